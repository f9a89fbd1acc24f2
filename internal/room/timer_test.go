package room_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/store"
)

// timerRoom: a panel of two interviewers (Ivy on A, Ian on B) and two
// candidates (Cora on A, Dan on B), in an interview with an exam time limit.
type timerRoom struct {
	c        *livetest.Cluster
	staffTok string
	iv       livetest.Created
	ivy, ian *livetest.Client
	everyone []*livetest.Client
}

func newTimerRoom(t *testing.T) *timerRoom {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok := c.Staff("ivy@example.com", store.RoleInterviewer)
	ianTok := c.Staff("ian@example.com", store.RoleInterviewer)
	qs := seedQuestions(t, c)
	iv := createInterview(t, a, staffTok, map[string]any{"title": "Timers", "exam_time_limit_s": 3600,
		"questions":  []map[string]any{{"question_id": qs[0], "time_limit_s": 600}, {"question_id": qs[1]}, {"question_id": qs[2], "time_limit_s": 2}},
		"candidates": names("Cora", "Dan"), "interviewers": []string{"ian@example.com"}})
	r := &timerRoom{c: c, staffTok: staffTok, iv: iv}
	r.ivy = livetest.Join(t, a, iv.ID, staffTok, 0)
	r.ian = livetest.Join(t, b, iv.ID, ianTok, 0)
	cora := livetest.Join(t, a, iv.ID, iv.Candidates[0].InviteToken, 0)
	dan := livetest.Join(t, b, iv.ID, iv.Candidates[1].InviteToken, 0)
	r.everyone = []*livetest.Client{r.ivy, r.ian, cora, dan}
	return r
}

// timed sends a timer request as c, fails unless it is acknowledged, and
// returns the event it caused as every client received it (the same bytes
// on each) with the local times the request was sent and answered.
func (r *timerRoom) timed(t *testing.T, c *livetest.Client, typ string, data any, event string) (timerData, time.Time, time.Time) {
	t.Helper()
	before := lastOf(events(t, r.c.Instances[0], r.staffTok, r.iv.ID))
	sent := time.Now()
	c.Ack(typ, data)
	acked := time.Now()
	return r.sameOnAll(t, before+1, event), sent, acked
}

// sameOnAll waits for the event with this seq on every client and checks
// that all of them got the same data.
func (r *timerRoom) sameOnAll(t *testing.T, seq int64, typ string) timerData {
	t.Helper()
	var first livetest.Frame
	for i, c := range r.everyone {
		f := c.WaitFor(fmt.Sprintf("%s seq %d", typ, seq), func(f livetest.Frame) bool { return f.Seq == seq })
		if f.Type != typ {
			t.Fatalf("seq %d is %s, want %s", seq, f.Raw, typ)
		}
		if i == 0 {
			first = f
		} else if !bytes.Equal(f.Data, first.Data) {
			t.Fatalf("clients disagree on seq %d:\n%s\n%s", seq, first.Raw, f.Raw)
		}
	}
	return decodeTimer(t, first.Data)
}

// within fails unless lo-slack <= v <= hi+slack.
func within(t *testing.T, what string, v, lo, hi int64) {
	t.Helper()
	const slack = 2 // ms: rounding of the two clocks' millisecond reads
	if v < lo-slack || v > hi+slack {
		t.Fatalf("%s = %d, want within [%d, %d]", what, v, lo, hi)
	}
}

func checkTimerEvent(t *testing.T, d timerData) {
	t.Helper()
	switch d.State {
	case store.TimerRunning:
		dl, err := time.Parse(time.RFC3339Nano, d.Deadline)
		if err != nil || dl.UnixMilli() != d.DeadlineMS {
			t.Fatalf("deadline %q does not say deadline_ms %d", d.Deadline, d.DeadlineMS)
		}
		if d.RemainingMS != max(0, d.DeadlineMS-d.serverNowMS(t)) {
			t.Fatalf("running: remaining_ms %d, deadline_ms %d, server_now %s", d.RemainingMS, d.DeadlineMS, d.ServerNow)
		}
	case store.TimerPaused:
		if d.Deadline != "" || d.DeadlineMS != 0 {
			t.Fatalf("a paused timer has a deadline: %+v", d)
		}
	}
}

// TestTimerPauseResumeExtend drives the question and the exam timer through
// pause, resume and extend and checks the deadlines every client gets.
func TestTimerPauseResumeExtend(t *testing.T) {
	r := newTimerRoom(t)
	all4 := r.everyone

	start := time.Now()
	r.ivy.Ack("interview.start", nil)
	exam := r.sameOnAll(t, 2, "timer.started")
	if exam.Scope != "exam" || exam.State != store.TimerRunning || exam.DurationMS != 3600_000 {
		t.Fatalf("exam timer %+v", exam)
	}
	checkTimerEvent(t, exam)
	if exam.DeadlineMS-exam.serverNowMS(t) != 3600_000 {
		t.Fatalf("exam deadline %d is not server_now + 1h", exam.DeadlineMS)
	}
	within(t, "exam deadline", exam.DeadlineMS, start.UnixMilli()+3600_000, time.Now().UnixMilli()+3600_000)

	r.ian.Ack("question.push", map[string]any{"position": 1})
	acked := time.Now()
	question := r.sameOnAll(t, 4, "timer.started")
	checkTimerEvent(t, question)
	if question.Scope != "question" || question.Position != 1 || question.DurationMS != 600_000 || question.DeadlineMS-question.serverNowMS(t) != 600_000 {
		t.Fatalf("question timer %+v", question)
	}
	within(t, "question deadline", question.DeadlineMS, start.UnixMilli()+600_000, acked.UnixMilli()+600_000)

	for _, scope := range []string{"question", "exam"} {
		cur := question
		if scope == "exam" {
			cur = exam
		}
		req := map[string]any{"scope": scope}

		// Pause: what was left is kept.
		paused, sent, acked := r.timed(t, r.ivy, "timer.pause", req, "timer.paused")
		checkTimerEvent(t, paused)
		if paused.State != store.TimerPaused || paused.Scope != scope || paused.TimerID != cur.TimerID {
			t.Fatalf("%s pause: %+v", scope, paused)
		}
		if paused.RemainingMS != cur.DeadlineMS-paused.serverNowMS(t) {
			t.Fatalf("%s pause: remaining_ms %d, want deadline %d - server_now %s", scope, paused.RemainingMS, cur.DeadlineMS, paused.ServerNow)
		}
		within(t, scope+" remaining after pause", paused.RemainingMS, cur.DeadlineMS-acked.UnixMilli(), cur.DeadlineMS-sent.UnixMilli())

		// Pausing twice is refused, as is resuming a running timer (below).
		if code := r.ian.ErrorCode("timer.pause", req); code != "already_paused" {
			t.Fatalf("%s pause twice: %q", scope, code)
		}

		// Extend while paused: the time left grows by exactly 60 s.
		ext, _, _ := r.timed(t, r.ian, "timer.extend", map[string]any{"scope": scope, "seconds": 60}, "timer.extended")
		checkTimerEvent(t, ext)
		if ext.State != store.TimerPaused || ext.RemainingMS != paused.RemainingMS+60_000 || ext.AddedMS != 60_000 || ext.DurationMS != cur.DurationMS+60_000 {
			t.Fatalf("%s extend while paused: %+v, paused %+v", scope, ext, paused)
		}

		// Resume: deadline = server time + what was left.
		resumed, sent, acked := r.timed(t, r.ian, "timer.resume", req, "timer.resumed")
		checkTimerEvent(t, resumed)
		if resumed.State != store.TimerRunning || resumed.DeadlineMS != resumed.serverNowMS(t)+ext.RemainingMS {
			t.Fatalf("%s resume: %+v, want deadline server_now + %d", scope, resumed, ext.RemainingMS)
		}
		within(t, scope+" deadline after resume", resumed.DeadlineMS, sent.UnixMilli()+ext.RemainingMS, acked.UnixMilli()+ext.RemainingMS)
		if code := r.ivy.ErrorCode("timer.resume", req); code != "not_paused" {
			t.Fatalf("%s resume a running timer: %q", scope, code)
		}

		// Extend while running: the deadline moves by exactly 60000 ms.
		ext2, _, _ := r.timed(t, r.ivy, "timer.extend", map[string]any{"scope": scope, "seconds": 60}, "timer.extended")
		checkTimerEvent(t, ext2)
		if ext2.State != store.TimerRunning || ext2.DeadlineMS != resumed.DeadlineMS+60_000 || ext2.AddedMS != 60_000 || ext2.DurationMS != ext.DurationMS+60_000 {
			t.Fatalf("%s extend: %+v, resumed %+v", scope, ext2, resumed)
		}
		if scope == "exam" {
			exam = ext2
		} else {
			question = ext2
		}
	}

	// A client joining now is told the same deadlines in its welcome.
	late := livetest.Join(t, r.c.Instances[1], r.iv.ID, r.iv.Candidates[0].InviteToken, 0)
	var ts []timerData
	for _, raw := range welcomeTimers(t, late.WaitType("welcome")) {
		ts = append(ts, decodeTimer(t, raw))
	}
	if len(ts) != 2 {
		t.Fatalf("welcome timers: %+v", ts)
	}
	for _, w := range ts {
		want := question
		if w.Scope == "exam" {
			want = exam
		}
		if w.TimerID != want.TimerID || w.State != store.TimerRunning || w.DeadlineMS != want.DeadlineMS || w.DurationMS != want.DurationMS {
			t.Fatalf("welcome timer %+v, want deadline %d of %+v", w, want.DeadlineMS, want)
		}
		checkTimerEvent(t, w)
	}

	// Every client saw every timer event once.
	evs := events(t, r.c.Instances[1], r.staffTok, r.iv.ID)
	for _, typ := range []string{"timer.started", "timer.paused", "timer.resumed", "timer.extended"} {
		want := 0
		for _, e := range evs {
			if e.Type == typ {
				want++
			}
		}
		for i, c := range all4 {
			if n := c.Count(typ); n != want {
				t.Fatalf("client %d saw %d %s, the transcript has %d", i, n, typ, want)
			}
		}
	}
}

func welcomeTimers(t *testing.T, f livetest.Frame) []json.RawMessage {
	t.Helper()
	var w struct {
		Timers []json.RawMessage `json:"timers"`
	}
	if err := json.Unmarshal(f.Data, &w); err != nil {
		t.Fatalf("welcome %s: %v", f.Raw, err)
	}
	return w.Timers
}

// TestConcurrentPause: two interviewers on different instances pause the
// same timer at the same moment: one is acknowledged, the other refused
// with already_paused, and the transcript holds one timer.paused. Two
// extends at once both count.
func TestConcurrentPause(t *testing.T) {
	r := newTimerRoom(t)
	r.ivy.Ack("interview.start", nil)
	r.ivy.Ack("question.push", map[string]any{"position": 1})
	for round := range 5 {
		for _, scope := range []string{"exam", "question"} {
			before := events(t, r.c.Instances[0], r.staffTok, r.iv.ID)
			answers := concurrently(t, []*livetest.Client{r.ivy, r.ian}, fmt.Sprintf("pause-%s-%d", scope, round), "timer.pause", map[string]any{"scope": scope})
			codes := map[string]int{}
			for _, f := range answers {
				codes[answerCode(f)]++
			}
			if codes["ack"] != 1 || codes["already_paused"] != 1 {
				t.Fatalf("round %d %s: two pauses at once answered %v", round, scope, codes)
			}
			after := events(t, r.c.Instances[1], r.staffTok, r.iv.ID)
			if len(after) != len(before)+1 || after[len(after)-1].Type != "timer.paused" {
				t.Fatalf("round %d %s: two pauses appended %d events", round, scope, len(after)-len(before))
			}
			paused := r.sameOnAll(t, lastOf(after), "timer.paused")

			// Two extends at once: both are acknowledged and both count.
			answers = concurrently(t, []*livetest.Client{r.ian, r.ivy}, fmt.Sprintf("extend-%s-%d", scope, round), "timer.extend", map[string]any{"scope": scope, "seconds": 60})
			for _, f := range answers {
				if f.Type != "ack" {
					t.Fatalf("concurrent extend: %s", f.Raw)
				}
			}
			second := r.sameOnAll(t, lastOf(after)+2, "timer.extended")
			if second.RemainingMS != paused.RemainingMS+120_000 {
				t.Fatalf("two extends of 60 s: remaining %d, was %d", second.RemainingMS, paused.RemainingMS)
			}

			// And resuming from both at once: one ack, one not_paused.
			answers = concurrently(t, []*livetest.Client{r.ian, r.ivy}, fmt.Sprintf("resume-%s-%d", scope, round), "timer.resume", map[string]any{"scope": scope})
			codes = map[string]int{}
			for _, f := range answers {
				codes[answerCode(f)]++
			}
			if codes["ack"] != 1 || codes["not_paused"] != 1 {
				t.Fatalf("round %d %s: two resumes at once answered %v", round, scope, codes)
			}
			resumed := r.sameOnAll(t, lastOf(after)+3, "timer.resumed")
			if resumed.DeadlineMS != resumed.serverNowMS(t)+second.RemainingMS {
				t.Fatalf("resume after concurrent extends: %+v", resumed)
			}
		}
	}
	evs := events(t, r.c.Instances[0], r.staffTok, r.iv.ID)
	n := 0
	for _, e := range evs {
		if e.Type == "timer.paused" {
			n++
		}
	}
	if n != 10 {
		t.Fatalf("%d timer.paused in the transcript, want 10", n)
	}
}

// concurrently sends one request per client at the same moment, each from
// its own goroutine, and returns the answers.
func concurrently(t *testing.T, clients []*livetest.Client, id, typ string, data any) []livetest.Frame {
	t.Helper()
	msg := fmt.Appendf(nil, `{"type":%q,"id":%q,"data":%s}`, typ, id, mustMarshal(data))
	gate := make(chan struct{})
	errs := make(chan error, len(clients))
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			errs <- c.Conn.WriteMessage(websocket.TextMessage, msg)
		}()
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("send %s: %v", typ, err)
		}
	}
	var out []livetest.Frame
	for _, c := range clients {
		out = append(out, c.WaitFor("answer to "+id, func(f livetest.Frame) bool { return (f.Type == "ack" || f.Type == "error") && f.ID == id }))
	}
	return out
}

func answerCode(f livetest.Frame) string {
	if f.Type == "ack" {
		return "ack"
	}
	code, _ := f.Field("code").(string)
	return code
}

// TestExtendExpiredTimer: a question timer runs out; pausing it is refused
// and answers are refused; extending it reopens it for the added time, and
// the candidate can answer again.
func TestExtendExpiredTimer(t *testing.T) {
	r := newTimerRoom(t)
	cora := r.everyone[2]
	r.ivy.Ack("interview.start", nil)
	r.ivy.Ack("question.push", map[string]any{"position": 3}) // 2 s
	started := r.sameOnAll(t, 4, "timer.started")
	if started.DurationMS != 2000 {
		t.Fatalf("question 3 timer %+v", started)
	}
	expired := r.sameOnAll(t, 5, "timer.expired")
	if expired.State != store.TimerExpired || expired.TimerID != started.TimerID || expired.RemainingMS != 0 {
		t.Fatalf("expired %+v", expired)
	}
	if expired.serverNowMS(t) < started.DeadlineMS {
		t.Fatalf("expired at %s, before the deadline %d", expired.ServerNow, started.DeadlineMS)
	}
	for typ, want := range map[string]string{"timer.pause": "expired", "timer.resume": "not_paused"} {
		if code := r.ian.ErrorCode(typ, nil); code != want {
			t.Fatalf("%s of an expired timer: %q, want %q", typ, code, want)
		}
	}
	if code := cora.ErrorCode("answer.draft", map[string]any{"text": "late", "version": 1}); code != "time_up" {
		t.Fatalf("draft after expiry: %q", code)
	}

	ext, sent, acked := r.timed(t, r.ian, "timer.extend", map[string]any{"seconds": 60}, "timer.extended")
	checkTimerEvent(t, ext)
	if ext.State != store.TimerRunning || ext.TimerID != started.TimerID || ext.AddedMS != 60_000 || ext.DurationMS != 62_000 {
		t.Fatalf("extend of an expired timer: %+v", ext)
	}
	if ext.DeadlineMS != ext.serverNowMS(t)+60_000 {
		t.Fatalf("reopened deadline %d, want server_now %s + 60 s", ext.DeadlineMS, ext.ServerNow)
	}
	within(t, "reopened deadline", ext.DeadlineMS, sent.UnixMilli()+60_000, acked.UnixMilli()+60_000)
	cora.Ack("answer.draft", map[string]any{"text": "now in time", "version": 2})
	cora.Ack("answer.submit", map[string]any{"text": "now in time, final", "version": 3})
	if n := r.ivy.Count("timer.expired"); n != 1 {
		t.Fatalf("%d timer.expired", n)
	}
}

// TestPauseHoldsExpiry: a 2 s question timer is paused at once; its old
// deadline passes without expiry; after resume it expires at the new
// deadline, once.
func TestPauseHoldsExpiry(t *testing.T) {
	r := newTimerRoom(t)
	r.ivy.Ack("interview.start", nil)
	r.ivy.Ack("question.push", map[string]any{"position": 3})
	started := r.sameOnAll(t, 4, "timer.started")
	paused, _, _ := r.timed(t, r.ivy, "timer.pause", nil, "timer.paused")
	if paused.RemainingMS <= 0 || paused.RemainingMS > 2000 {
		t.Fatalf("paused %+v", paused)
	}
	// Wait, polling, until the old deadline is well past.
	livetest.Eventually(t, "the old deadline to pass", func() error {
		if left := started.DeadlineMS + 500 - time.Now().UnixMilli(); left > 0 {
			return fmt.Errorf("%d ms to go", left)
		}
		return nil
	})
	evs := events(t, r.c.Instances[1], r.staffTok, r.iv.ID)
	if countEvents(evs, "timer.expired") != 0 {
		t.Fatalf("a paused timer expired: %+v", evs)
	}
	if code := r.everyone[3].ErrorCode("answer.draft", map[string]any{"text": "while paused", "version": 1}); code != "" {
		t.Fatalf("draft while paused: %q", code)
	}
	resumed, _, _ := r.timed(t, r.ian, "timer.resume", nil, "timer.resumed")
	if resumed.DeadlineMS != resumed.serverNowMS(t)+paused.RemainingMS {
		t.Fatalf("resumed %+v after paused %+v", resumed, paused)
	}
	expired := r.sameOnAll(t, lastOf(evs)+2, "timer.expired") // after timer.resumed
	if expired.serverNowMS(t) < resumed.DeadlineMS {
		t.Fatalf("expired at %s, before the resumed deadline %d", expired.ServerNow, resumed.DeadlineMS)
	}
	if n := countEvents(events(t, r.c.Instances[0], r.staffTok, r.iv.ID), "timer.expired"); n != 1 {
		t.Fatalf("%d timer.expired", n)
	}
}

func countEvents(evs []event, typ string) int {
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

// TestOneExpiryAttempt: with the room served by two instances, the one that
// started the timer expires it and the other, its backup, never tries (its
// attempt waits BackupDelay and timer.expired disarms it first): a burst of
// deadlines costs one transaction each, not one per instance. When the
// starting instance stops serving the room, the backup expires the timer.
func TestOneExpiryAttempt(t *testing.T) {
	cfg := livetest.FastRooms
	// Only the armed timers try, and only NATS delivers: an event the seq
	// check fetches from the database carries no publisher, so it is armed
	// on time (an extra attempt, never a late expiry), which would make
	// the counts below depend on whether the check ran before NATS arrived.
	cfg.SweepEvery = time.Hour
	cfg.CheckEvery = time.Hour
	cfg.BackupDelay = 2 * time.Second
	c := livetest.NewCluster(t, 2, cfg)
	a, b := c.Instances[0], c.Instances[1]
	staffTok, iv := setup(t, c, "Cora")
	cora := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	ivy := livetest.Join(t, a, iv.ID, staffTok, 0)
	ivy.Ack("interview.start", nil)

	ivy.Ack("question.push", map[string]any{"position": 1, "time_limit_s": 1})
	ivy.WaitType("timer.expired")
	first := cora.WaitType("timer.expired")
	// Cora's instance applied timer.expired before sending it to her, and
	// that disarmed its backup: the counts are final.
	if na, nb := a.Hub.ExpiryAttempts(), b.Hub.ExpiryAttempts(); na != 1 || nb != 0 {
		t.Fatalf("expiry attempts: %d on the instance that started the timer, %d on the other; want 1 and 0", na, nb)
	}

	// The interviewer leaves after pushing again: A closes the room and
	// disarms its timer, and B, armed as the backup, expires it once.
	ivy.Ack("question.push", map[string]any{"position": 1, "time_limit_s": 1})
	later := func(typ string) func(livetest.Frame) bool {
		return func(f livetest.Frame) bool { return f.Type == typ && f.Seq > first.Seq }
	}
	cora.WaitFor("the second timer.started", later("timer.started"))
	ivy.Conn.Close()
	livetest.Eventually(t, "A to close the room", func() error {
		if n := a.Hub.Rooms(); n != 0 {
			return fmt.Errorf("%d rooms open on A", n)
		}
		return nil
	})
	cora.WaitFor("the second timer.expired", later("timer.expired"))
	if na, nb := a.Hub.ExpiryAttempts(), b.Hub.ExpiryAttempts(); na != 1 || nb != 1 {
		t.Fatalf("expiry attempts after A left: %d on A, %d on B; want 1 and 1", na, nb)
	}
}
