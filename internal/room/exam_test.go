package room_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/store"
)

// examQuestions: a question with a 2-second limit and two without one.
func examQuestions(t *testing.T, c *livetest.Cluster) []map[string]any {
	t.Helper()
	ids := c.Questions(
		bank.Question{Technology: "Exams", Level: bank.Beginner, Prompt: "Name a sorting algorithm that is stable.", Answer: "MODEL-ANSWER-SORT", TimeLimitS: 2},
		bank.Question{Technology: "Exams", Level: bank.Intermediate, Prompt: "Why does a hash map need a good hash?", Answer: "MODEL-ANSWER-HASH"},
		bank.Question{Technology: "Exams", Level: bank.Advanced, Prompt: "When is a B-tree better than a binary tree?", Answer: "MODEL-ANSWER-BTREE"},
	)
	if len(ids) != 3 {
		t.Fatalf("seeded %d questions", len(ids))
	}
	return []map[string]any{{"question_id": ids[0]}, {"question_id": ids[1]}, {"question_id": ids[2]}}
}

// timedEvent is a transcript entry with its time.
type timedEvent struct {
	Seq  int64           `json:"seq"`
	Type string          `json:"type"`
	TS   time.Time       `json:"ts"`
	Data json.RawMessage `json:"data"`
}

func timedTranscript(t *testing.T, in *livetest.Instance, token string, id int64) []timedEvent {
	t.Helper()
	var out struct {
		Events []timedEvent `json:"events"`
	}
	if st := livetest.API(t, "GET", fmt.Sprintf("%s/api/v1/interviews/%d/events?limit=5000", in.URL, id), token, nil, &out); st != 200 {
		t.Fatalf("transcript: status %d", st)
	}
	return out.Events
}

// expiries counts timer.expired per timer (scope:position:candidate).
func expiries(t *testing.T, evs []timedEvent) map[string][]timerData {
	out := map[string][]timerData{}
	for _, e := range evs {
		if e.Type == "timer.expired" {
			d := decodeTimer(t, e.Data)
			k := fmt.Sprintf("%s:%d:%d", d.Scope, d.Position, d.CandidateID)
			out[k] = append(out[k], d)
		}
	}
	return out
}

func isTimer(f livetest.Frame, typ, scope string, pos int, cand int64) bool {
	if f.Type != typ {
		return false
	}
	var d timerData
	_ = json.Unmarshal(f.Data, &d)
	return d.Scope == scope && d.Position == pos && d.CandidateID == cand
}

// A self-paced exam across two instances: Cora (on A) and Dan (+50 %, on B)
// work on different questions; a question's limit runs per candidate from
// their first open; the instance Dan's timers were started on dies before
// his deadline; each timer expires exactly once, at its own moment, and
// late answers are refused while the others stay open.
func TestSelfPacedExamAcrossInstances(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok := c.Staff("ivy@example.com", store.RoleInterviewer)
	iv := createInterview(t, a, staffTok, map[string]any{"title": "Self-paced", "pacing": "self_paced", "exam_time_limit_s": 4,
		"questions":  examQuestions(t, c),
		"candidates": []map[string]any{{"name": "Cora"}, {"name": "Dan", "extra_time_pct": 50}}})
	coraID, danID := iv.Candidates[0].ID, iv.Candidates[1].ID
	ivy := livetest.Join(t, a, iv.ID, staffTok, 0)
	cora := livetest.Join(t, a, iv.ID, iv.Candidates[0].InviteToken, 0)
	dan := livetest.Join(t, b, iv.ID, iv.Candidates[1].InviteToken, 0)

	if code := cora.ErrorCode("question.open", map[string]any{"position": 1}); code != "not_live" {
		t.Fatalf("open before the start: %q", code)
	}
	ivy.Ack("interview.start", nil)
	started := dan.WaitType("interview.started")
	var sd struct {
		Pacing    string `json:"pacing"`
		Questions []struct {
			Position int    `json:"position"`
			Prompt   string `json:"prompt"`
		} `json:"questions"`
	}
	if err := json.Unmarshal(started.Data, &sd); err != nil || sd.Pacing != "self_paced" || len(sd.Questions) != 3 {
		t.Fatalf("interview.started to a candidate: %s", started.Raw)
	}
	if strings.Contains(started.Raw, "MODEL-ANSWER") || strings.Contains(started.Raw, "question_id") {
		t.Fatalf("a candidate's interview.started carries model answers: %s", started.Raw)
	}
	if !strings.Contains(ivy.WaitType("interview.started").Raw, "MODEL-ANSWER-SORT") {
		t.Fatal("the staff's interview.started lacks the model answers")
	}
	if code := ivy.ErrorCode("question.push", map[string]any{"position": 1}); code != "self_paced" {
		t.Fatalf("push in a self-paced exam: %q", code)
	}
	roomExam := decodeTimer(t, ivy.WaitFor("room exam timer", func(f livetest.Frame) bool { return isTimer(f, "timer.started", "exam", 0, 0) }).Data)
	danExam := decodeTimer(t, dan.WaitFor("Dan's exam timer", func(f livetest.Frame) bool { return isTimer(f, "timer.started", "exam", 0, danID) }).Data)
	if roomExam.DurationMS != 4000 || danExam.DurationMS != 6000 || danExam.DeadlineMS-roomExam.DeadlineMS != 2000 {
		t.Fatalf("exam timers: room %+v, Dan %+v", roomExam, danExam)
	}

	// Different questions, any order; a limited question must be opened first.
	if code := cora.ErrorCode("answer.draft", map[string]any{"position": 1, "text": "x", "version": 1}); code != "not_open" {
		t.Fatalf("draft of an unopened limited question: %q", code)
	}
	if code := cora.ErrorCode("answer.draft", map[string]any{"text": "x", "version": 1}); code != "bad_request" {
		t.Fatalf("draft without a position: %q", code)
	}
	dan.Ack("question.open", map[string]any{"position": 1})
	danQ := decodeTimer(t, dan.WaitFor("Dan's question timer", func(f livetest.Frame) bool { return isTimer(f, "timer.started", "question", 1, danID) }).Data)
	if danQ.DurationMS != 3000 {
		t.Fatalf("Dan's 2 s question with +50 %%: %+v", danQ)
	}
	dan.Ack("question.open", map[string]any{"position": 1}) // again: no restart
	cora.Ack("question.open", map[string]any{"position": 2})
	cora.Ack("answer.draft", map[string]any{"position": 2, "text": "Cora on two", "version": 1})
	cora.WaitFor("Cora's save", func(f livetest.Frame) bool { return f.Type == "answer.saved" && f.Field("position") == float64(2) })
	dan.Ack("answer.draft", map[string]any{"position": 1, "text": "Dan before the limit", "version": 1})
	dan.WaitFor("Dan's save", func(f livetest.Frame) bool { return f.Type == "answer.saved" && f.Field("position") == float64(1) })

	// B, where Dan's timer was started, dies before his deadline; he comes back on A.
	lastSeq := dan.Seqs()[len(dan.Seqs())-1]
	b.Kill()
	dan = livetest.Join(t, a, iv.ID, iv.Candidates[1].InviteToken, lastSeq)
	dan.WaitFor("Dan's question timer expiring", func(f livetest.Frame) bool { return isTimer(f, "timer.expired", "question", 1, danID) })
	if code := dan.ErrorCode("answer.draft", map[string]any{"position": 1, "text": "Dan too late", "version": 2}); code != "time_up" {
		t.Fatalf("draft after Dan's question limit: %q", code)
	}
	dan.Ack("answer.draft", map[string]any{"position": 2, "text": "Dan on two", "version": 1})

	// The room's exam time ends Cora's exam; Dan's own runs on.
	cora.WaitFor("the room's exam expiring", func(f livetest.Frame) bool { return isTimer(f, "timer.expired", "exam", 0, 0) })
	if code := cora.ErrorCode("answer.submit", map[string]any{"position": 2, "text": "Cora late"}); code != "time_up" {
		t.Fatalf("Cora's submit after the exam time: %q", code)
	}
	if code := dan.ErrorCode("answer.submit", map[string]any{"position": 2, "text": "Dan submits two"}); code != "" {
		t.Fatalf("Dan's submit within his extra time: %q", code)
	}
	dan.WaitFor("Dan's exam expiring", func(f livetest.Frame) bool { return isTimer(f, "timer.expired", "exam", 0, danID) })
	if code := dan.ErrorCode("answer.submit", map[string]any{"position": 3, "text": "Dan late"}); code != "time_up" {
		t.Fatalf("Dan's submit after his exam time: %q", code)
	}

	evs := timedTranscript(t, a, staffTok, iv.ID)
	exp := expiries(t, evs)
	for k, deadline := range map[string]int64{
		"question:1:" + itoa(danID): danQ.DeadlineMS,
		"exam:0:0":                  roomExam.DeadlineMS,
		"exam:0:" + itoa(danID):     danExam.DeadlineMS,
	} {
		if len(exp[k]) != 1 {
			t.Fatalf("timer %s expired %d times", k, len(exp[k]))
		}
		if at := exp[k][0].serverNowMS(t); at < deadline {
			t.Fatalf("timer %s expired at %d, before its deadline %d", k, at, deadline)
		}
	}
	if len(exp) != 3 {
		t.Fatalf("expiries: %v", exp)
	}
	// Cora never got anything of Dan's.
	for _, f := range cora.Frames() {
		if f.Field("candidate_id") == float64(danID) || strings.Contains(f.Raw, "Dan ") {
			t.Fatalf("Cora received Dan's %s", f.Raw)
		}
	}
	// What counts: Dan's text from before his limit, his submission, Cora's draft.
	answers := map[string]string{}
	for _, ans := range mustAnswers(t, c, iv.ID) {
		answers[fmt.Sprintf("%d:%d", ans.CandidateID, ans.Position)] = ans.Text
	}
	want := map[string]string{itoa(danID) + ":1": "Dan before the limit", itoa(danID) + ":2": "Dan submits two", itoa(coraID) + ":2": "Cora on two"}
	for k, v := range want {
		if answers[k] != v {
			t.Fatalf("answer %s = %q, want %q (all: %v)", k, answers[k], v, answers)
		}
	}
}

func mustAnswers(t *testing.T, c *livetest.Cluster, id int64) []store.Answer {
	t.Helper()
	var as []store.Answer
	livetest.Eventually(t, "stored answers", func() error {
		var err error
		as, err = c.Store.Answers(t.Context(), id, 0)
		if err != nil {
			return err
		}
		if len(as) < 3 {
			return fmt.Errorf("%d answers stored", len(as))
		}
		return nil
	})
	return as
}

func itoa(n int64) string { return fmt.Sprint(n) }

// The interviewer's controls in a self-paced exam: pausing the room stops
// everyone's clocks, a room-wide extend gives extra time its share,
// one candidate's exam can be extended or ended alone, and an ended exam
// stays ended through a room-wide extend.
func TestSelfPacedControls(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok := c.Staff("ivy@example.com", store.RoleInterviewer)
	qs := examQuestions(t, c)
	qs[0]["time_limit_s"] = 300
	iv := createInterview(t, a, staffTok, map[string]any{"title": "Controls", "pacing": "self_paced", "exam_time_limit_s": 600,
		"questions": qs, "candidates": []map[string]any{{"name": "Cora"}, {"name": "Dan", "extra_time_pct": 100}}})
	coraID, danID := iv.Candidates[0].ID, iv.Candidates[1].ID
	ivy := livetest.Join(t, a, iv.ID, staffTok, 0)
	cora := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	dan := livetest.Join(t, a, iv.ID, iv.Candidates[1].InviteToken, 0)
	ivy.Ack("interview.start", nil)
	if code := cora.ErrorCode("candidate.end", map[string]any{"candidate_id": danID}); code != "forbidden" {
		t.Fatalf("a candidate ending another's exam: %q", code)
	}
	if code := ivy.ErrorCode("question.open", map[string]any{"position": 1}); code != "forbidden" {
		t.Fatalf("an interviewer opening a question: %q", code)
	}
	cora.Ack("question.open", map[string]any{"position": 1})
	dan.Ack("question.open", map[string]any{"position": 1})
	dq := decodeTimer(t, ivy.WaitFor("Dan's question timer", func(f livetest.Frame) bool { return isTimer(f, "timer.started", "question", 1, danID) }).Data)
	if dq.DurationMS != 600_000 {
		t.Fatalf("Dan's 300 s question with +100 %%: %+v", dq)
	}

	count := func(cl *livetest.Client, typ string) int { return cl.Count(typ) }
	ivy.Ack("timer.pause", nil)
	// The room's exam, Dan's exam, and both question timers.
	livetest.Eventually(t, "four pauses", func() error {
		if n := count(ivy, "timer.paused"); n != 4 {
			return fmt.Errorf("%d", n)
		}
		return nil
	})
	livetest.Eventually(t, "Cora's two pauses", func() error {
		if n := count(cora, "timer.paused"); n != 2 {
			return fmt.Errorf("%d", n)
		}
		return nil
	})
	if code := ivy.ErrorCode("timer.pause", nil); code != "already_paused" {
		t.Fatalf("pausing twice: %q", code)
	}
	ivy.Ack("timer.resume", nil)
	livetest.Eventually(t, "four resumes", func() error {
		if n := count(ivy, "timer.resumed"); n != 4 {
			return fmt.Errorf("%d", n)
		}
		return nil
	})

	from := len(ivy.Frames())
	ivy.Ack("timer.extend", map[string]any{"seconds": 60})
	roomExt := decodeTimer(t, frameAfter(t, ivy, from, "room extend", func(f livetest.Frame) bool { return isTimer(f, "timer.extended", "exam", 0, 0) }).Data)
	danExt := decodeTimer(t, frameAfter(t, ivy, from, "Dan's extend", func(f livetest.Frame) bool { return isTimer(f, "timer.extended", "exam", 0, danID) }).Data)
	if roomExt.AddedMS != 60_000 || danExt.AddedMS != 120_000 || danExt.DurationMS != 1200_000+120_000 {
		t.Fatalf("room-wide extend: room %+v, Dan %+v", roomExt, danExt)
	}

	// One candidate's question timer.
	from = len(cora.Frames())
	ivy.Ack("timer.extend", map[string]any{"seconds": 30, "scope": "question", "candidate_id": coraID, "position": 1})
	if d := decodeTimer(t, frameAfter(t, cora, from, "Cora's question extend", func(f livetest.Frame) bool {
		return isTimer(f, "timer.extended", "question", 1, coraID)
	}).Data); d.DurationMS != 330_000 {
		t.Fatalf("Cora's question after +30 s: %+v", d)
	}
	if code := ivy.ErrorCode("timer.extend", map[string]any{"seconds": 30, "scope": "question"}); code != "bad_request" {
		t.Fatalf("a room-wide question timer in a self-paced exam: %q", code)
	}

	// End Cora's exam: she is closed, Dan is not; a room-wide extend leaves her ended.
	ivy.Ack("candidate.end", map[string]any{"candidate_id": coraID})
	ended := cora.WaitFor("Cora's exam ended", func(f livetest.Frame) bool { return isTimer(f, "timer.expired", "exam", 0, coraID) })
	if ended.Field("ended") != true {
		t.Fatalf("candidate.end: %s", ended.Raw)
	}
	if code := cora.ErrorCode("answer.draft", map[string]any{"position": 2, "text": "after the end", "version": 1}); code != "time_up" {
		t.Fatalf("draft after candidate.end: %q", code)
	}
	dan.Ack("answer.draft", map[string]any{"position": 2, "text": "Dan goes on", "version": 1})
	if code := ivy.ErrorCode("candidate.end", map[string]any{"candidate_id": coraID}); code != "time_up" {
		t.Fatalf("ending twice: %q", code)
	}
	from = len(cora.Frames())
	ivy.Ack("timer.extend", map[string]any{"seconds": 60})
	frameAfter(t, cora, from, "the room's extend", func(f livetest.Frame) bool { return isTimer(f, "timer.extended", "exam", 0, 0) })
	if code := cora.ErrorCode("answer.draft", map[string]any{"position": 2, "text": "still ended", "version": 2}); code != "time_up" {
		t.Fatalf("a room-wide extend reopened an ended exam: %q", code)
	}
	// Extending her own exam reopens it.
	ivy.Ack("timer.extend", map[string]any{"seconds": 60, "candidate_id": coraID})
	cora.WaitFor("Cora's exam reopened", func(f livetest.Frame) bool { return isTimer(f, "timer.extended", "exam", 0, coraID) })
	cora.Ack("answer.draft", map[string]any{"position": 2, "text": "reopened", "version": 3})
	for _, f := range cora.Frames() {
		if f.Field("candidate_id") == float64(danID) {
			t.Fatalf("Cora received Dan's %s", f.Raw)
		}
	}
}

// Changing a candidate's extra time during a pushed interview moves that
// candidate's deadlines only, on every client of both instances.
func TestExtraTimeChangedLive(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok := c.Staff("ivy@example.com", store.RoleInterviewer)
	ianTok := c.Staff("ian@example.com", store.RoleInterviewer)
	qs := seedQuestions(t, c)
	iv := createInterview(t, a, staffTok, map[string]any{"title": "Extra", "exam_time_limit_s": 3600,
		"questions": []map[string]any{{"question_id": qs[0], "time_limit_s": 600}}, "candidates": names("Cora", "Dan"),
		"interviewers": []string{"ian@example.com"}})
	danID := iv.Candidates[1].ID
	ivy := livetest.Join(t, a, iv.ID, staffTok, 0)
	ian := livetest.Join(t, b, iv.ID, ianTok, 0)
	cora := livetest.Join(t, a, iv.ID, iv.Candidates[0].InviteToken, 0)
	dan := livetest.Join(t, b, iv.ID, iv.Candidates[1].InviteToken, 0)
	if code := ivy.ErrorCode("candidate.extra_time", map[string]any{"candidate_id": danID, "extra_time_pct": 401}); code != "bad_request" {
		t.Fatalf("401 %%: %q", code)
	}
	if code := ivy.ErrorCode("candidate.extra_time", map[string]any{"candidate_id": 99999, "extra_time_pct": 50}); code != "not_found" {
		t.Fatalf("unknown candidate: %q", code)
	}
	ivy.Ack("interview.start", nil)
	ivy.Ack("question.push", map[string]any{"position": 1})
	room := map[string]timerData{}
	for _, scope := range []string{"exam", "question"} {
		pos := 0
		if scope == "question" {
			pos = 1
		}
		room[scope] = decodeTimer(t, dan.WaitFor("room "+scope, func(f livetest.Frame) bool { return isTimer(f, "timer.started", scope, pos, 0) }).Data)
	}
	coraFrames := len(cora.Frames())

	// +50 %: Dan's exam and question each get half their length more.
	step := func(data map[string]any, wantExtra map[string]int64) {
		t.Helper()
		fromDan, fromIan := len(dan.Frames()), len(ian.Frames())
		data["candidate_id"] = danID
		ivy.Ack("candidate.extra_time", data)
		frameAfter(t, dan, fromDan, "extra_time_changed", func(f livetest.Frame) bool { return f.Type == "candidate.extra_time_changed" })
		for scope, extra := range wantExtra {
			pos := 0
			if scope == "question" {
				pos = 1
			}
			match := func(f livetest.Frame) bool { return isTimer(f, "timer.extended", scope, pos, danID) }
			d := decodeTimer(t, frameAfter(t, dan, fromDan, "Dan's "+scope, match).Data)
			onIan := decodeTimer(t, frameAfter(t, ian, fromIan, "Dan's "+scope+" on Ian's console", match).Data)
			if d.DeadlineMS-room[scope].DeadlineMS != extra || d.ExtraMS != extra || onIan.DeadlineMS != d.DeadlineMS {
				t.Fatalf("%s after %v: Dan's deadline %d is room's %d + %d (extra_ms %d), want + %d; Ian sees %d",
					scope, data, d.DeadlineMS, room[scope].DeadlineMS, d.DeadlineMS-room[scope].DeadlineMS, d.ExtraMS, extra, onIan.DeadlineMS)
			}
		}
	}
	step(map[string]any{"extra_time_pct": 50}, map[string]int64{"exam": 1800_000, "question": 300_000})
	step(map[string]any{"extra_time_pct": 0, "extra_time_s": 60}, map[string]int64{"exam": 60_000, "question": 60_000})
	// A room-wide extend moves the room's and Dan's alike (no percentage now).
	fromDan := len(dan.Frames())
	ivy.Ack("timer.extend", map[string]any{"seconds": 100, "scope": "exam"})
	room["exam"] = decodeTimer(t, frameAfter(t, dan, fromDan, "room extend", func(f livetest.Frame) bool { return isTimer(f, "timer.extended", "exam", 0, 0) }).Data)
	if d := decodeTimer(t, frameAfter(t, dan, fromDan, "Dan's extend", func(f livetest.Frame) bool { return isTimer(f, "timer.extended", "exam", 0, danID) }).Data); d.DeadlineMS-room["exam"].DeadlineMS != 60_000 {
		t.Fatalf("after a room-wide extend Dan's exam ends %d ms after the room's", d.DeadlineMS-room["exam"].DeadlineMS)
	}
	step(map[string]any{"extra_time_pct": 100}, map[string]int64{"exam": 3700_000, "question": 600_000})

	// Cora got none of it.
	for _, f := range cora.Frames()[coraFrames:] {
		if f.Field("candidate_id") == float64(danID) || f.Type == "candidate.extra_time_changed" {
			t.Fatalf("Cora received %s", f.Raw)
		}
	}
	// Dan's welcome says his accommodation and carries his own timers.
	again := livetest.Join(t, a, iv.ID, iv.Candidates[1].InviteToken, 0)
	w := again.WaitType("welcome")
	if w.Field("extra_time_pct") != float64(100) || !strings.Contains(w.Raw, `"candidate_id":`+itoa(danID)) {
		t.Fatalf("Dan's welcome: %s", w.Raw)
	}
}

// A draft sent right after question.open is acknowledged finds the question
// open, although the room's own delivery of timer.started may lag the ack.
func TestDraftRightAfterOpen(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok := c.Staff("ivy@example.com", store.RoleInterviewer)
	qs := examQuestions(t, c)
	for _, q := range qs {
		q["time_limit_s"] = 300
	}
	iv := createInterview(t, a, staffTok, map[string]any{"title": "Open then type", "pacing": "self_paced",
		"questions": qs, "candidates": []map[string]any{{"name": "Cora"}}})
	ivy := livetest.Join(t, a, iv.ID, staffTok, 0)
	cora := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	ivy.Ack("interview.start", nil)
	cora.WaitType("interview.started")
	for pos := range qs {
		cora.Ack("question.open", map[string]any{"position": pos + 1})
		if f := cora.Request("answer.draft", map[string]any{"position": pos + 1, "text": "at once", "version": 1}); f.Type != "ack" {
			t.Fatalf("draft right after opening question %d: %s", pos+1, f.Raw)
		}
	}
}

// A candidate added with extra time after the exam started gets their own
// exam timer at once, longer by their accommodation; the others keep theirs.
func TestAddedCandidateGetsExtraTime(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok := c.Staff("ivy@example.com", store.RoleInterviewer)
	iv := createInterview(t, a, staffTok, map[string]any{"title": "Late with extra time", "pacing": "self_paced", "exam_time_limit_s": 600,
		"questions": examQuestions(t, c), "candidates": []map[string]any{{"name": "Cora"}}})
	ivy := livetest.Join(t, b, iv.ID, staffTok, 0)
	cora := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	ivy.Ack("interview.start", nil)
	room := decodeTimer(t, ivy.WaitFor("the room's exam timer", func(f livetest.Frame) bool { return isTimer(f, "timer.started", "exam", 0, 0) }).Data)

	var added livetest.Created
	if st := livetest.API(t, "POST", fmt.Sprintf("%s/api/v1/interviews/%d/candidates", a.URL, iv.ID), staffTok,
		map[string]any{"candidates": []map[string]any{{"name": "Lou", "extra_time_pct": 50}}}, &added); st != 201 || len(added.Candidates) != 1 {
		t.Fatalf("add candidate: %d %+v", st, added)
	}
	lou := added.Candidates[0]
	mine := decodeTimer(t, ivy.WaitFor("Lou's exam timer", func(f livetest.Frame) bool { return isTimer(f, "timer.extended", "exam", 0, lou.ID) }).Data)
	if mine.ExtraMS != 300_000 || mine.DeadlineMS-room.DeadlineMS != 300_000 {
		t.Fatalf("Lou's exam timer %+v beside the room's %+v", mine, room)
	}
	louc := livetest.Join(t, a, iv.ID, lou.InviteToken, 0)
	w := louc.WaitType("welcome")
	if !strings.Contains(w.Raw, `"extra_ms":300000`) {
		t.Fatalf("Lou's welcome lacks his own exam timer: %s", w.Raw)
	}
	cora.Ack("chat.send", map[string]any{"text": "sync"})
	for _, f := range cora.Frames() {
		if strings.Contains(f.Raw, fmt.Sprintf(`"candidate_id":%d`, lou.ID)) {
			t.Fatalf("Cora received Lou's timer: %s", f.Raw)
		}
	}
}
