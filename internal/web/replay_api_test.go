package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/store"
)

// TestReplayAccess: a replay is for reviewers, admins and the interview's
// panel; candidates, anonymous visitors and other interviewers are refused.
func TestReplayAccess(t *testing.T) {
	f := newRoomFixture(t)
	cand := f.iv.Candidates[0]
	path := fmt.Sprintf("/api/v1/interviews/%d/candidates/%d/replay", f.iv.ID, cand.ID)
	c := f.client()

	for _, tc := range []struct {
		name   string
		token  string
		status int
		code   string
	}{
		{"anonymous", "", http.StatusUnauthorized, "unauthorized"},
		{"the candidate's invite token", cand.InviteToken, http.StatusUnauthorized, "bad_token"},
		{"an interviewer not on the panel", f.bob, http.StatusForbidden, "forbidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h []string
			if tc.token != "" {
				h = []string{"Authorization", "Bearer " + tc.token}
			}
			r := c.get(path, h...)
			if r.status != tc.status || r.errorCode(t) != tc.code {
				t.Fatalf("%d %s, want %d %s", r.status, r.body, tc.status, tc.code)
			}
		})
	}

	for _, who := range []string{f.alice, f.admin, f.reviewer} {
		var out struct {
			Items []map[string]any `json:"items"`
		}
		if st := f.apiJSON("GET", path, who, nil, &out); st != http.StatusOK || out.Items == nil {
			t.Fatalf("%d %+v", st, out)
		}
	}

	// A reviewer's browser, with its session cookie.
	rc := f.client()
	rc.login("rita@example.test")
	if r := rc.get(path); r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("reviewer's session: %d %q", r.status, r.header.Get("Cache-Control"))
	}

	for _, tc := range []struct {
		path   string
		status int
	}{
		{fmt.Sprintf("/api/v1/interviews/%d/candidates/x/replay", f.iv.ID), http.StatusBadRequest},
		{fmt.Sprintf("/api/v1/interviews/%d/candidates/999999/replay", f.iv.ID), http.StatusNotFound},
		{fmt.Sprintf("/api/v1/interviews/999999/candidates/%d/replay", cand.ID), http.StatusNotFound},
	} {
		r := c.get(tc.path, "Authorization", "Bearer "+f.alice)
		if r.status != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.path, r.status, tc.status)
		}
	}
	// Another interview's candidate, and the interview's own interviewer,
	// are no candidates of it.
	other := otherInterview(t, f)
	ps, err := f.store.Participants(context.Background(), f.iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var staffID int64
	for _, p := range ps {
		if p.Role == store.PartInterviewer {
			staffID = p.ID
		}
	}
	for _, id := range []int64{other.Candidates[0].ID, staffID} {
		r := c.get(fmt.Sprintf("/api/v1/interviews/%d/candidates/%d/replay", f.iv.ID, id), "Authorization", "Bearer "+f.alice)
		if r.status != http.StatusNotFound {
			t.Errorf("participant %d: %d, want 404", id, r.status)
		}
	}
}

// otherInterview creates a second interview on f's server.
func otherInterview(t *testing.T, f *roomFixture) createdInterview {
	t.Helper()
	var out createdInterview
	if st := f.apiJSON("POST", "/api/v1/interviews", f.bob, map[string]any{"title": "other", "candidates": []map[string]any{{"name": "Eve"}}}, &out); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	return out
}

// TestReplayOnTheReport: the report page holds an empty replay section per
// candidate and loads the replay view.
func TestReplayOnTheReport(t *testing.T) {
	f := newRoomFixture(t)
	c := f.client()
	c.login("rita@example.test")
	r := c.get(f.path("/report"))
	if r.status != http.StatusOK || !strings.Contains(r.body, "/static/js/replay.js?v=") || !strings.Contains(r.body, "/static/css/replay.css?v=") {
		t.Fatalf("report: %d\n%s", r.status, r.body)
	}
	for _, cand := range f.iv.Candidates {
		if !strings.Contains(r.body, fmt.Sprintf(`<section class="replay no-print" data-candidate="%d"`, cand.ID)) {
			t.Fatalf("no replay section for candidate %d", cand.ID)
		}
	}
}
