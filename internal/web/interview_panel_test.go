package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestRemoveInterviewer: DELETE .../interviewers/{pid} takes an interviewer
// off the panel: their open socket in the room closes, they cannot reconnect
// or read the interview, and the last interviewer stays.
func TestRemoveInterviewer(t *testing.T) {
	f := newRoomFixture(t)
	var iv createdInterview
	if st := f.apiJSON("POST", "/api/v1/interviews", f.alice, map[string]any{"title": "Panel", "interviewers": []string{"bob@example.test"}}, &iv); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	var got struct {
		Participants []struct {
			ID    int64  `json:"id"`
			Role  string `json:"role"`
			Email string `json:"email"`
		} `json:"participants"`
	}
	f.apiJSON("GET", fmt.Sprintf("/api/v1/interviews/%d", iv.ID), f.alice, nil, &got)
	pids := map[string]int64{}
	for _, p := range got.Participants {
		pids[p.Email] = p.ID
	}
	alice, bob := pids["alice@example.test"], pids["bob@example.test"]
	if alice == 0 || bob == 0 {
		t.Fatalf("panel: %+v", got)
	}
	path := func(pid int64) string { return fmt.Sprintf("/api/v1/interviews/%d/interviewers/%d", iv.ID, pid) }

	// Bob's manage page offers to remove each of the two.
	c := f.client()
	c.login("bob@example.test")
	if page := c.get(fmt.Sprintf("/interviews/%d", iv.ID)).body; !strings.Contains(page, fmt.Sprintf(`data-participant-id="%d"`, alice)) {
		t.Fatalf("the manage page does not list the panel with ids:\n%s", page)
	}

	ws := f.dialRoom(iv.ID, f.bob)
	if st := f.apiJSON("DELETE", path(bob), f.reviewer, nil, nil); st != http.StatusForbidden {
		t.Fatalf("a reviewer removing: %d", st)
	}
	if st := f.apiJSON("DELETE", path(f.iv.Candidates[0].ID), f.alice, nil, nil); st != http.StatusNotFound {
		t.Fatalf("removing a candidate (of another interview) as an interviewer: %d", st)
	}
	if st := f.apiJSON("DELETE", path(bob), f.alice, nil, nil); st != http.StatusNoContent {
		t.Fatalf("remove: %d", st)
	}
	if code := ws.closeCode(); code != 4001 {
		t.Fatalf("bob's socket closed with %d, want 4001", code)
	}
	if st := f.dialStatus(iv.ID, f.bob); st != http.StatusForbidden {
		t.Fatalf("bob reconnecting: %d", st)
	}
	if st := f.apiJSON("GET", fmt.Sprintf("/api/v1/interviews/%d", iv.ID), f.bob, nil, nil); st != http.StatusForbidden {
		t.Fatalf("bob reading the interview: %d", st)
	}
	if st := f.apiJSON("DELETE", path(bob), f.alice, nil, nil); st != http.StatusNoContent {
		t.Fatalf("removing twice: %d", st)
	}
	if page := c.get(fmt.Sprintf("/interviews/%d", iv.ID)); page.status != http.StatusForbidden {
		t.Fatalf("bob's manage page after removal: %d", page.status)
	}
	var e struct {
		Error struct{ Code string }
	}
	if st := f.apiJSON("DELETE", path(alice), f.alice, nil, &e); st != http.StatusConflict || e.Error.Code != "last_interviewer" {
		t.Fatalf("removing the last interviewer: %d %+v", st, e)
	}
	if st := f.apiJSON("DELETE", fmt.Sprintf("/api/v1/interviews/%d/interviewers/x", iv.ID), f.alice, nil, nil); st != http.StatusBadRequest {
		t.Fatalf("bad id: %d", st)
	}
}
