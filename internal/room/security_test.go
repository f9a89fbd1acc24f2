package room_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
)

// dialSilent opens a socket that has passed the upgrade but not said hello.
func dialSilent(t *testing.T, in *livetest.Instance, id int64, token string) *livetest.Client {
	t.Helper()
	c, res, err := livetest.Dial(t, in, id, token)
	if err != nil {
		t.Fatalf("dial: %v %v", err, res)
	}
	return c
}

// refusedAtHello says hello on a socket the room must refuse: it gets an
// error frame with code, is closed with 4001, and never gets a welcome.
func refusedAtHello(t *testing.T, c *livetest.Client, code string) {
	t.Helper()
	c.Send("hello", "", map[string]any{"last_seq": 0})
	err := c.WaitClosed()
	if got := closeCode(t, err); got != 4001 {
		t.Fatalf("close after a refused hello: %v (code %d), frames:\n%s", err, got, c.Dump())
	}
	if c.Count("welcome") != 0 {
		t.Fatalf("a refused socket got a welcome:\n%s", c.Dump())
	}
	var got string
	for _, f := range c.Frames() {
		if f.Type == "error" {
			got, _ = f.Field("code").(string)
		}
	}
	if got != code {
		t.Fatalf("refusal code %q, want %q:\n%s", got, code, c.Dump())
	}
}

func inviteURL(in *livetest.Instance, iv livetest.Created, cand int64) string {
	return fmt.Sprintf("%s/api/v1/interviews/%d/candidates/%d/invite", in.URL, iv.ID, cand)
}

// TestRevokeBeforeHello: a socket upgraded before its invite was revoked,
// which says hello only afterwards, never joins: on an instance where the
// room is already live and on one where it is not.
func TestRevokeBeforeHello(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok, iv := setup(t, c, "Cora", "Dan")
	cora, dan := iv.Candidates[0], iv.Candidates[1]

	// Dan's room is live on b (the interviewer is there); Cora's socket
	// waits on a, where no one has joined yet.
	staff := livetest.Join(t, b, iv.ID, staffTok, 0)
	silentDan := dialSilent(t, b, iv.ID, dan.InviteToken)
	silentCora := dialSilent(t, a, iv.ID, cora.InviteToken)
	for _, cand := range []int64{cora.ID, dan.ID} {
		if st := livetest.API(t, "DELETE", inviteURL(a, iv, cand), staffTok, nil, nil); st != 204 {
			t.Fatalf("revoke %d: %d", cand, st)
		}
	}
	refusedAtHello(t, silentDan, "revoked")
	refusedAtHello(t, silentCora, "revoked")
	for _, f := range staff.Frames() {
		if f.Type == "presence.changed" && f.Field("online") == true && f.Field("role") == store.PartCandidate {
			t.Fatalf("a revoked candidate was announced online: %s", f.Raw)
		}
	}
	// The upgrade itself now refuses the revoked invite too.
	if st, code := refused(t, b, iv.ID, dan.InviteToken); st != 401 || code != "revoked" {
		t.Fatalf("upgrade with a revoked invite: %d %q", st, code)
	}
}

// TestReissueBeforeHello: after a new link is issued, a socket opened with
// the old token before the re-issue cannot join, on either instance, and the
// new token can.
func TestReissueBeforeHello(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok, iv := setup(t, c, "Cora")
	cora := iv.Candidates[0]
	livetest.Join(t, a, iv.ID, staffTok, 0)
	old := []*livetest.Client{dialSilent(t, a, iv.ID, cora.InviteToken), dialSilent(t, b, iv.ID, cora.InviteToken)}
	var fresh struct {
		InviteToken string `json:"invite_token"`
	}
	if st := livetest.API(t, "POST", inviteURL(a, iv, cora.ID), staffTok, nil, &fresh); st != 201 {
		t.Fatalf("re-issue: %d", st)
	}
	for _, s := range old {
		refusedAtHello(t, s, "bad_token")
	}
	w := livetest.Join(t, b, iv.ID, fresh.InviteToken, 0).WaitType("welcome")
	if w.Field("participant_id") != float64(cora.ID) {
		t.Fatalf("welcome with the new token: %s", w.Raw)
	}
}

// TestDraftAfterSubmit: once submitted, an answer changes only by another
// submission; a draft is refused, and one already queued when the submit
// committed does not rewrite it. Pushing the question again reopens it.
func TestDraftAfterSubmit(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok, iv := setup(t, c, "Cora")
	cora := iv.Candidates[0]
	staff := livetest.Join(t, a, iv.ID, staffTok, 0)
	cand := livetest.Join(t, b, iv.ID, cora.InviteToken, 0)
	staff.Ack("interview.start", nil)
	staff.Ack("question.push", map[string]any{"position": 1})
	first := cand.WaitType("question.pushed")
	cand.Ack("answer.draft", map[string]any{"text": "first try", "version": 1})
	cand.Ack("answer.submit", map[string]any{"text": "my final answer", "version": 2})
	if code := cand.ErrorCode("answer.draft", map[string]any{"text": "changed after submitting", "version": 3}); code != "already_submitted" {
		t.Fatalf("draft after submit: %q", code)
	}
	// A draft that was queued before the submit committed reaches the store after it.
	late := store.Draft{InterviewID: iv.ID, CandidateID: cora.ID, Position: 1, Version: 9, Text: "queued before the submit", ReceivedAt: time.Now().UTC()}
	if err := b.Store.SaveDrafts(context.Background(), []store.Draft{late}); err != nil {
		t.Fatal(err)
	}
	answer := func() store.Answer {
		as, err := a.Store.Answers(context.Background(), iv.ID, cora.ID)
		if err != nil || len(as) != 1 {
			t.Fatalf("answers: %v %+v", err, as)
		}
		return as[0]
	}
	if got := answer(); got.Text != "my final answer" || got.Submitted != 1 {
		t.Fatalf("the submitted answer was rewritten: %+v", got)
	}
	// Submitting again is allowed while the question is open, and recorded.
	cand.Ack("answer.submit", map[string]any{"text": "my better final answer", "version": 10})
	if got := answer(); got.Text != "my better final answer" {
		t.Fatalf("resubmission: %+v", got)
	}
	if n := countType(fetchTranscript(t, c, staffTok, iv.ID), "answer.submitted"); n != 2 {
		t.Fatalf("%d answer.submitted events, want 2", n)
	}
	// Pushed again, the question is open to drafts again.
	staff.Ack("question.push", map[string]any{"position": 1})
	cand.WaitFor("the second push", func(f livetest.Frame) bool { return f.Type == "question.pushed" && f.Seq > first.Seq })
	livetest.Eventually(t, "a draft after the question was pushed again", func() error {
		if code := cand.ErrorCode("answer.draft", map[string]any{"text": "a new attempt", "version": 11}); code != "" {
			return fmt.Errorf("%s", code)
		}
		return nil
	})
	livetest.Eventually(t, "the reopened answer follows drafts", func() error {
		if got := answer(); got.Text != "a new attempt" || got.Submitted != 0 {
			return fmt.Errorf("%+v", got)
		}
		return nil
	})
}

// TestEndedInterviewTakesNothingFromCandidates: after interview.ended an
// open candidate socket can no longer chat, signal, draft or submit, and
// nothing it sends reaches the transcript.
func TestEndedInterviewTakesNothingFromCandidates(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok, iv := setup(t, c, "Cora")
	staff := livetest.Join(t, a, iv.ID, staffTok, 0)
	cand := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	staff.Ack("interview.start", nil)
	staff.Ack("question.push", map[string]any{"position": 1})
	staff.Ack("interview.end", nil)
	cand.WaitType("interview.ended")
	last := fetchTranscript(t, c, staffTok, iv.ID)
	for _, m := range []struct {
		typ  string
		data map[string]any
	}{
		{"chat.send", map[string]any{"text": "is anyone there?"}},
		{"signal", map[string]any{"kind": "focus_lost"}},
		{"signal", map[string]any{"kind": "paste", "chars": 40}},
		{"answer.draft", map[string]any{"text": "late", "version": 5}},
		{"answer.submit", map[string]any{"text": "late", "version": 6}},
	} {
		if code := cand.ErrorCode(m.typ, m.data); code != "interview_ended" {
			t.Fatalf("%s after the end: %q", m.typ, code)
		}
	}
	if got := fetchTranscript(t, c, staffTok, iv.ID); len(got.Events) != len(last.Events) {
		t.Fatalf("the ended interview's transcript grew from %d to %d events", len(last.Events), len(got.Events))
	}
}

// TestSocketsPerInviteCapped: one invite opens a few sockets per instance,
// and the next is refused with a clear error and 4029.
func TestSocketsPerInviteCapped(t *testing.T) {
	c := livetest.NewCluster(t, 1, livetest.FastRooms)
	in := c.Instances[0]
	_, iv := setup(t, c, "Cora")
	tok := iv.Candidates[0].InviteToken
	var open []*livetest.Client
	for range room.MaxSocketsPerCandidate {
		open = append(open, livetest.Join(t, in, iv.ID, tok, 0))
	}
	extra := dialSilent(t, in, iv.ID, tok)
	err := extra.WaitClosed()
	if closeCode(t, err) != 4029 {
		t.Fatalf("socket over the cap: %v\n%s", err, extra.Dump())
	}
	if f := extra.WaitType("error"); f.Field("code") != "too_many_connections" {
		t.Fatalf("refusal: %s", f.Raw)
	}
	// A tab closed frees its place.
	open[0].Conn.Close()
	livetest.Eventually(t, "a socket after one closed", func() error {
		s := dialSilent(t, in, iv.ID, tok)
		s.Send("hello", "", map[string]any{"last_seq": 0})
		f := s.WaitFor("welcome or error", func(f livetest.Frame) bool { return f.Type == "welcome" || f.Type == "error" })
		if f.Type != "welcome" {
			return fmt.Errorf("%s", f.Raw)
		}
		return nil
	})
}

// TestMalformedFramesRateLimited: frames that are not even JSON count
// against the rate limit like any other.
func TestMalformedFramesRateLimited(t *testing.T) {
	c := livetest.NewCluster(t, 1, livetest.FastRooms)
	in := c.Instances[0]
	_, iv := setup(t, c, "Cora")
	cand := livetest.Join(t, in, iv.ID, iv.Candidates[0].InviteToken, 0)
	const n = 200
	for range n {
		cand.SendRaw([]byte(`{not json`))
	}
	codes := map[string]int{}
	livetest.Eventually(t, "an answer to every malformed frame", func() error {
		clear(codes)
		for _, f := range cand.Frames() {
			if f.Type == "error" {
				code, _ := f.Field("code").(string)
				codes[code]++
			}
		}
		if codes["bad_json"]+codes["rate_limited"] < n {
			return fmt.Errorf("%v", codes)
		}
		return nil
	})
	if codes["rate_limited"] == 0 || codes["bad_json"] > n-50 {
		t.Fatalf("a flood of %d malformed frames: %v", n, codes)
	}
}

// TestKickUser: a staff account's sockets close on every instance, joined
// or still before hello, and its role is decided again on reconnect.
func TestKickUser(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok, iv := setup(t, c, "Cora")
	uid := c.QueryInt(`SELECT id FROM users WHERE email = 'ivy@example.com'`)
	joined := livetest.Join(t, b, iv.ID, staffTok, 0)
	silent := dialSilent(t, a, iv.ID, staffTok)
	cand := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	a.Hub.KickUser(uid)
	for name, s := range map[string]*livetest.Client{"joined": joined, "before hello": silent} {
		if err := s.WaitClosed(); closeCode(t, err) != 4003 {
			t.Fatalf("%s staff socket: %v", name, err)
		}
	}
	// Others in the room are untouched.
	cand.Ack("chat.send", map[string]any{"text": "still here"})

	// KickParticipant: an interviewer removed from the panel leaves at once.
	again := livetest.Join(t, a, iv.ID, staffTok, 0)
	var pid int64
	if err := json.Unmarshal(again.WaitType("welcome").Data, &struct {
		ParticipantID *int64 `json:"participant_id"`
	}{&pid}); err != nil || pid == 0 {
		t.Fatalf("welcome: %v", err)
	}
	b.Hub.KickParticipant(iv.ID, pid, "you were removed from this interview")
	if err := again.WaitClosed(); closeCode(t, err) != 4001 {
		t.Fatalf("removed interviewer: %v", err)
	}
}

// TestDraftWhileTheRoomLags: a candidate whose welcome (read from the
// database) shows a question this instance's room has not delivered yet can
// draft at once; the room catches up instead of refusing with not_live.
func TestDraftWhileTheRoomLags(t *testing.T) {
	rc := livetest.FastRooms
	rc.CheckEvery = time.Hour // only the catch-up may repair the lag
	c := livetest.NewCluster(t, 2, rc)
	a, b := c.Instances[0], c.Instances[1]
	staffTok, iv := setup(t, c, "Cora", "Dan")
	staff := livetest.Join(t, a, iv.ID, staffTok, 0)
	livetest.Join(t, b, iv.ID, iv.Candidates[1].InviteToken, 0) // b's room is open
	a.Hub.Publish = func(string, []byte) error { return nil }   // b never hears of a's events
	staff.Ack("interview.start", nil)
	staff.Ack("question.push", map[string]any{"position": 1})
	cora := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	if w := cora.WaitType("welcome"); w.Field("question") == nil {
		t.Fatalf("the welcome has no question: %s", w.Raw)
	}
	if code := cora.ErrorCode("answer.draft", map[string]any{"text": "straight away", "version": 1}); code != "" {
		t.Fatalf("a draft while the room lags: %q", code)
	}
	cora.WaitType("answer.saved")
}
