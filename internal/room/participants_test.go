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
