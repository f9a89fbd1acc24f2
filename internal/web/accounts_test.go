package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

// TestNewPasswordRules: the setup page and the admin form refuse a password
// of white space only, count characters rather than bytes, and refuse the
// most common passwords.
func TestNewPasswordRules(t *testing.T) {
	bad := map[string]string{
		strings.Repeat(" ", 10): "not only spaces",
		"ééééé":                 "at least 10 characters", // 10 bytes
		"Password123":           "most common",
		"QWERTYUIOP":            "most common",
	}
	t.Run("setup", func(t *testing.T) {
		e := newEnv(t, store.SQLite)
		token, hash := auth.NewToken()
		if err := e.store.SetSetupToken(context.Background(), hash); err != nil {
			t.Fatal(err)
		}
		c := e.client()
		csrf := c.csrf("/setup/" + token)
		for pw, want := range bad {
			r := c.postForm("/setup/"+token, url.Values{"_csrf": {csrf}, "name": {"Ada"}, "email": {"ada@example.com"}, "password": {pw}})
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, want) {
				t.Errorf("password %q: %d, want 400 saying %q", pw, r.status, want)
			}
		}
		if r := c.postForm("/setup/"+token, url.Values{"_csrf": {csrf}, "name": {"Ada"}, "email": {"ada@example.com"}, "password": {"éléphant rose"}}); r.status != http.StatusSeeOther {
			t.Fatalf("a good password: %d", r.status)
		}
	})
	t.Run("admin form", func(t *testing.T) {
		e := newEnv(t, store.SQLite)
		e.user("ada@example.com", store.RoleAdmin)
		c := e.client()
		c.login("ada@example.com")
		csrf := c.csrf("/admin/users")
		for pw, want := range bad {
			r := c.postForm("/admin/users", url.Values{"_csrf": {csrf}, "email": {"new@example.com"}, "name": {"New"}, "role": {"reviewer"}, "password": {pw}})
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, want) {
				t.Errorf("password %q: %d, want 400 saying %q", pw, r.status, want)
			}
		}
		if _, err := e.store.UserByEmail(context.Background(), "new@example.com"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("an account was made with a refused password: %v", err)
		}
	})
}

// accountFixture: an admin (Ada, logged in), and Ivy, an interviewer with an
// API token, a session and an interview of her own.
type accountFixture struct {
	*env
	admin       *client
	ivy         *client
	ivyToken    string
	ivyID       int64
	interviewID int64
}

func newAccountFixture(t *testing.T, d store.Dialect) *accountFixture {
	t.Helper()
	e := newEnv(t, d)
	f := &accountFixture{env: e, ivyToken: e.user("ivy@example.com", store.RoleInterviewer)}
	e.user("ada@example.com", store.RoleAdmin)
	f.admin, f.ivy = e.client(), e.client()
	f.admin.login("ada@example.com")
	f.ivy.login("ivy@example.com")
	u, err := e.store.UserByEmail(context.Background(), "ivy@example.com")
	if err != nil {
		t.Fatal(err)
	}
	f.ivyID = u.ID
	var iv createdInterview
	if st := e.apiJSON("POST", "/api/v1/interviews", f.ivyToken, map[string]any{"title": "Screen"}, &iv); st != http.StatusCreated {
		t.Fatalf("create interview: %d", st)
	}
	f.interviewID = iv.ID
	return f
}

// adminPost submits a form of the users page.
func (f *accountFixture) adminPost(path string) resp {
	f.t.Helper()
	return f.admin.postForm(path, url.Values{"_csrf": {f.admin.csrf("/admin/users")}})
}

// closeCode waits (at most 10 s) for the server to close the socket and
// returns the close code.
func (c *wsClient) closeCode() int {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := c.conn.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				c.t.Fatalf("the socket was not closed by the server: %v", err)
			}
			return ce.Code
		}
	}
}

// dialStatus tries to open a room and returns the refused upgrade's status
// (101 if it was not refused).
func (e *env) dialStatus(id int64, token string) int {
	e.t.Helper()
	conn, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(e.url, "http")+fmt.Sprintf("/ws/interviews/%d", id),
		http.Header{"Authorization": {"Bearer " + token}})
	if err == nil {
		conn.Close()
		return http.StatusSwitchingProtocols
	}
	if res == nil {
		e.t.Fatalf("dial: %v", err)
	}
	return res.StatusCode
}

// TestDisableAccount: disabling ends the account's sessions, tokens and open
// sockets at once, and it cannot log in; enabling gives them back.
func TestDisableAccount(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newAccountFixture(t, d)
			ws := f.dialRoom(f.interviewID, f.ivyToken)
			idle := f.client() // a session that makes no request while the account is disabled
			idle.login("ivy@example.com")

			if r := f.adminPost("/admin/users/" + itoa(f.ivyID) + "/disable"); r.status != http.StatusSeeOther {
				t.Fatalf("disable: %d %s", r.status, r.body)
			}
			if code := ws.closeCode(); code != 4003 {
				t.Fatalf("the open socket closed with %d, want 4003", code)
			}
			if r := f.ivy.get("/staff/questions"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
				t.Fatalf("the disabled user's session still works: %d", r.status)
			}
			if st := f.apiJSON("GET", "/api/v1/interviews", f.ivyToken, nil, nil); st != http.StatusUnauthorized {
				t.Fatalf("the disabled user's token: %d", st)
			}
			if st := f.dialStatus(f.interviewID, f.ivyToken); st != http.StatusUnauthorized {
				t.Fatalf("reconnecting: %d", st)
			}
			lc := f.client()
			r := lc.postForm("/login", url.Values{"_csrf": {lc.csrf("/login")}, "email": {"ivy@example.com"}, "password": {"password-ivy@example.com"}})
			if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "Wrong email or password.") {
				t.Fatalf("a disabled account logs in: %d", r.status)
			}
			if page := f.admin.get("/admin/users").body; !strings.Contains(page, `data-email="ivy@example.com" data-disabled="true"`) || !strings.Contains(page, "Disabled since") {
				t.Fatal("the users page does not show the account disabled")
			}

			if r := f.adminPost("/admin/users/" + itoa(f.ivyID) + "/enable"); r.status != http.StatusSeeOther {
				t.Fatalf("enable: %d", r.status)
			}
			if st := f.apiJSON("GET", "/api/v1/interviews", f.ivyToken, nil, nil); st != http.StatusOK {
				t.Fatalf("the token after enabling: %d", st)
			}
			f.client().login("ivy@example.com")
			// Sessions begun before the disable stay over: a stolen cookie
			// does not come back with the account.
			for _, c := range []*client{f.ivy, idle} {
				if r := c.get("/staff/questions"); r.status != http.StatusSeeOther {
					t.Fatalf("a session from before the disable works again: %d", r.status)
				}
			}
		})
	}
}

// TestDisableRefusals: an admin cannot disable themselves from the page (so
// the last enabled admin cannot be disabled there either: the one acting is
// another enabled admin).
func TestDisableRefusals(t *testing.T) {
	f := newAccountFixture(t, store.SQLite)
	ada, _ := f.store.UserByEmail(context.Background(), "ada@example.com")
	if r := f.adminPost("/admin/users/" + itoa(ada.ID) + "/disable"); r.status != http.StatusBadRequest || !strings.Contains(r.body, "your own account") {
		t.Fatalf("disabling oneself: %d", r.status)
	}
	if strings.Contains(f.admin.get("/admin/users").body, fmt.Sprintf(`action="/admin/users/%d/disable"`, ada.ID)) {
		t.Fatal("the page offers to disable the admin's own account")
	}
	if r := f.adminPost("/admin/users/999/disable"); r.status != http.StatusNotFound {
		t.Fatalf("unknown user: %d", r.status)
	}
}

// TestRoleChangeClosesSockets: a demotion reaches open sockets at once; the
// reconnect is decided by the new role.
func TestRoleChangeClosesSockets(t *testing.T) {
	f := newAccountFixture(t, store.SQLite)
	ws := f.dialRoom(f.interviewID, f.ivyToken)
	r := f.admin.postForm("/admin/users/"+itoa(f.ivyID)+"/role", url.Values{"_csrf": {f.admin.csrf("/admin/users")}, "role": {store.RoleReviewer}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change role: %d", r.status)
	}
	if code := ws.closeCode(); code != 4003 {
		t.Fatalf("the open socket closed with %d, want 4003", code)
	}
	if st := f.dialStatus(f.interviewID, f.ivyToken); st != http.StatusForbidden {
		t.Fatalf("a reviewer reconnecting: %d", st)
	}
}

// TestRevokeTokenOnUsersPage: the users page lists tokens (never the token
// itself) and revokes them: the next request with it is a 401.
func TestRevokeTokenOnUsersPage(t *testing.T) {
	f := newAccountFixture(t, store.SQLite)
	token, hash := auth.NewToken()
	tk, err := f.store.CreateNamedAPIToken(context.Background(), f.ivyID, "ci <runner>", hash)
	if err != nil {
		t.Fatal(err)
	}
	if st := f.apiJSON("GET", "/api/v1/interviews", token, nil, nil); st != http.StatusOK {
		t.Fatalf("the token before: %d", st)
	}
	ws := f.dialRoom(f.interviewID, token)
	page := f.admin.get("/admin/users").body
	if !strings.Contains(page, fmt.Sprintf(`data-token-id="%d"`, tk.ID)) || !strings.Contains(page, "ci &lt;runner&gt;") {
		t.Fatalf("the token is not listed:\n%s", page)
	}
	if strings.Contains(page, token) || strings.Contains(page, hash) {
		t.Fatal("the users page shows the token or its hash")
	}
	if r := f.adminPost(fmt.Sprintf("/admin/tokens/%d/revoke", tk.ID)); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	if st := f.apiJSON("GET", "/api/v1/interviews", token, nil, nil); st != http.StatusUnauthorized {
		t.Fatalf("the revoked token: %d", st)
	}
	if code := ws.closeCode(); code != 4003 {
		t.Fatalf("the socket opened with the token closed with %d", code)
	}
	if st := f.apiJSON("GET", "/api/v1/interviews", f.ivyToken, nil, nil); st != http.StatusOK {
		t.Fatalf("another token of the same account: %d", st)
	}
	if !strings.Contains(f.admin.get("/admin/users").body, `data-revoked="true"`) {
		t.Fatal("the users page does not show the token revoked")
	}
	if r := f.adminPost("/admin/tokens/999/revoke"); r.status != http.StatusNotFound {
		t.Fatalf("unknown token: %d", r.status)
	}
}
