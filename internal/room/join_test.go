package room_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/livetest"
)

// TestInviteLinkCookie: opening the invite link sets the candidate cookie,
// which then opens the room from the site's own origin only.
func TestInviteLinkCookie(t *testing.T) {
	c := livetest.NewEmbedded(t, livetest.FastRooms)
	in := c.Instances[0]
	staffTok, iv := setup(t, c, "Cora", "Dan")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	res, err := noRedirect.Get(iv.Candidates[0].InviteURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "ace_candidate" {
			cookie = ck
		}
	}
	if res.StatusCode != http.StatusSeeOther || cookie == nil || !cookie.HttpOnly || cookie.Value != iv.Candidates[0].InviteToken ||
		!strings.HasSuffix(res.Header.Get("Location"), "/room") {
		t.Fatalf("invite link: %d %v %q", res.StatusCode, cookie, res.Header.Get("Location"))
	}
	hdr := []string{"Cookie", "ace_candidate=" + cookie.Value, "Origin", in.URL}
	cl, _, err := livetest.Dial(t, in, iv.ID, "", hdr...)
	if err != nil {
		t.Fatal(err)
	}
	cl.Send("hello", "", map[string]any{"last_seq": 0})
	w := cl.WaitType("welcome")
	if w.Field("role") != "candidate" || w.Field("name") != "Cora" {
		t.Fatalf("welcome %s", w.Raw)
	}
	if _, res, err := livetest.Dial(t, in, iv.ID, "", "Cookie", "ace_candidate="+cookie.Value, "Origin", "http://evil.example"); err == nil || res == nil || res.StatusCode != 403 {
		t.Fatalf("cookie from a foreign origin: %v %v", err, res)
	}

	if st := livetest.API(t, "DELETE", in.URL+"/api/v1/interviews/"+joinID(iv.ID)+"/candidates/"+joinID(iv.Candidates[1].ID)+"/invite", staffTok, nil, nil); st != 204 {
		t.Fatalf("revoke: %d", st)
	}
	res, err = noRedirect.Get(iv.Candidates[1].InviteURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusGone {
		t.Fatalf("revoked invite link: %d", res.StatusCode)
	}
	// A new link for the revoked candidate: the old one stays dead, the new one works.
	var fresh struct {
		InviteURL   string `json:"invite_url"`
		InviteToken string `json:"invite_token"`
	}
	if st := livetest.API(t, "POST", in.URL+"/api/v1/interviews/"+joinID(iv.ID)+"/candidates/"+joinID(iv.Candidates[1].ID)+"/invite", staffTok, nil, &fresh); st != 201 || fresh.InviteToken == "" {
		t.Fatalf("rotate: %d %+v", st, fresh)
	}
	for url, want := range map[string]int{iv.Candidates[1].InviteURL: http.StatusNotFound, fresh.InviteURL: http.StatusSeeOther} {
		res, err := noRedirect.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("%s after rotation: %d, want %d", url, res.StatusCode, want)
		}
	}
	livetest.Join(t, in, iv.ID, fresh.InviteToken, 0)
	res, err = noRedirect.Get(in.URL + "/join/not-a-token")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown invite link: %d", res.StatusCode)
	}
}

func joinID(n int64) string { return strconv.FormatInt(n, 10) }
