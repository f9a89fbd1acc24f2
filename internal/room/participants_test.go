package room_test

import (
	"fmt"
	"testing"

	"github.com/ace-interviews/ace/internal/livetest"
)

// TestParticipantAdded: a candidate added during the session reaches the
// interviewers on every instance at once, and never another candidate.
func TestParticipantAdded(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok, iv := setup(t, c, "Cora")
	staff := livetest.Join(t, b, iv.ID, staffTok, 0)
	cora := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	var added struct {
		Candidates []struct {
			ID          int64  `json:"id"`
			InviteToken string `json:"invite_token"`
		} `json:"candidates"`
	}
	if st := livetest.API(t, "POST", fmt.Sprintf("%s/api/v1/interviews/%d/candidates", a.URL, iv.ID), staffTok,
		map[string]any{"candidates": []map[string]any{{"name": "Late Lou", "extra_time_pct": 25, "extra_time_s": 300}}}, &added); st != 201 || len(added.Candidates) != 1 {
		t.Fatalf("add candidate: %d %+v", st, added)
	}
	f := staff.WaitFor("participant.added", func(f livetest.Frame) bool { return f.Type == "participant.added" })
	if f.Field("participant_id") != float64(added.Candidates[0].ID) || f.Field("name") != "Late Lou" || f.Field("role") != "candidate" ||
		f.Field("extra_time_pct") != float64(25) || f.Field("extra_time_s") != float64(300) {
		t.Fatalf("participant.added: %s", f.Raw)
	}
	livetest.Join(t, a, iv.ID, added.Candidates[0].InviteToken, 0)
	cora.Ack("chat.send", map[string]any{"text": "sync point"})
	if n := cora.Count("participant.added"); n != 0 {
		t.Fatalf("a candidate was told of another candidate: %s", cora.Dump())
	}
}

// TestDraftIntervalFollowsRoomSize: every member's welcome names the room's
// draft interval, candidates' too (their pages pace their typing by it),
// and a room filled while it is open slows down as one filled beforehand.
func TestDraftIntervalFollowsRoomSize(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	var cands []string
	for i := range 40 {
		cands = append(cands, fmt.Sprintf("Candidate %d", i))
	}
	staffTok, iv := setup(t, c, cands...)
	interval := func(cl *livetest.Client) any { return cl.WaitType("welcome").Field("draft_interval_ms") }

	staff := livetest.Join(t, a, iv.ID, staffTok, 0)
	first := livetest.Join(t, a, iv.ID, iv.Candidates[0].InviteToken, 0)
	// 40 candidates: 100 ms (draftInterval).
	if got, want := interval(first), float64(100); got != want {
		t.Fatalf("a candidate's draft_interval_ms in a room of 40: %v, want %v", got, want)
	}
	if got, want := interval(staff), float64(100); got != want {
		t.Fatalf("the interviewer's draft_interval_ms in a room of 40: %v, want %v", got, want)
	}

	// 20 more, added through the other instance while the room is open.
	var added struct {
		Candidates []struct {
			InviteToken string `json:"invite_token"`
		} `json:"candidates"`
	}
	more := make([]map[string]any, 20)
	for i := range more {
		more[i] = map[string]any{"name": fmt.Sprintf("Late %d", i)}
	}
	if st := livetest.API(t, "POST", fmt.Sprintf("%s/api/v1/interviews/%d/candidates", b.URL, iv.ID), staffTok,
		map[string]any{"candidates": more}, &added); st != 201 || len(added.Candidates) != 20 {
		t.Fatalf("add candidates: %d %+v", st, added)
	}
	// The room counts each participant.added before passing it on, and one
	// instance's publishes arrive in order: the last one seen means all 20.
	staff.WaitFor("participant.added of Late 19", func(f livetest.Frame) bool {
		return f.Type == "participant.added" && f.Field("name") == "Late 19"
	})
	late := livetest.Join(t, a, iv.ID, added.Candidates[19].InviteToken, 0)
	if got, want := interval(late), float64(150); got != want {
		t.Fatalf("draft_interval_ms after 20 more joined a room of 40: %v, want %v", got, want)
	}
}
