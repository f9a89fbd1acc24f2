package review_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

var t0 = time.Date(2025, 1, 2, 10, 0, 0, 0, time.UTC)

func ev(sec float64, typ string, data map[string]any) store.Event {
	b, _ := json.Marshal(data)
	return store.Event{Type: typ, Data: b, CreatedAt: t0.Add(time.Duration(sec * float64(time.Second)))}
}

func ip(n int) *int { return &n }

// reportInput: two questions, candidates A and B. Question 1 (60 s) is
// paused for 10 s; A submits at 30 s, B is cut off by the timer. Question
// 2 (no limit) runs 20 s until the end; A pastes and leaves the page.
func reportInput() review.Input {
	pushed := t0
	return review.Input{
		Interview: store.Interview{ID: 1, Title: "t", Status: store.StatusEnded},
		Participants: []store.Participant{
			{ID: me, Role: store.PartInterviewer, Name: "Me"}, {ID: other, Role: store.PartInterviewer, Name: "Other"},
			{ID: candA, Role: store.PartCandidate, Name: "A"}, {ID: candB, Role: store.PartCandidate, Name: "B"},
		},
		Questions: []store.PlannedQuestion{
			{Position: 1, Prompt: "P1", Answer: "M1", TimeLimitS: 60, PushedAt: &pushed},
			{Position: 2, Prompt: "P2", Answer: "M2", PushedAt: &pushed},
			{Position: 3, Prompt: "never pushed"},
		},
		Answers: []store.Answer{
			{CandidateID: candA, Position: 1, Text: "a1", Submitted: 1},
			{CandidateID: candB, Position: 1, Text: "b1"},
			{CandidateID: candA, Position: 2, Text: "a2"},
		},
		Events: []store.Event{
			ev(0, "interview.started", nil),
			ev(0, "question.pushed", map[string]any{"position": 1, "time_limit_s": 60}),
			ev(0, "timer.started", map[string]any{"scope": "question", "position": 1, "state": "running", "duration_ms": 60000}),
			ev(10, "timer.paused", map[string]any{"scope": "question", "position": 1, "state": "paused", "duration_ms": 60000}),
			ev(20, "timer.resumed", map[string]any{"scope": "question", "position": 1, "state": "running", "duration_ms": 60000}),
			ev(40, "answer.submitted", map[string]any{"candidate_id": candA, "position": 1}),
			ev(70, "timer.expired", map[string]any{"scope": "question", "position": 1, "state": "expired", "duration_ms": 60000}),
			ev(80, "question.pushed", map[string]any{"position": 2, "time_limit_s": 0}),
			ev(85, "candidate.pasted", map[string]any{"candidate_id": candA, "position": 2, "chars": 40}),
			ev(86, "candidate.pasted", map[string]any{"candidate_id": candA, "position": 2, "chars": 2}),
			ev(90, "candidate.focus_lost", map[string]any{"candidate_id": candA, "position": 2}),
			ev(95, "candidate.focus_back", map[string]any{"candidate_id": candA, "position": 2}),
			ev(97, "candidate.focus_lost", map[string]any{"candidate_id": candA, "position": 2}),
			ev(100, "interview.ended", nil),
			ev(200, "candidate.focus_back", map[string]any{"candidate_id": candA, "position": 2}),
		},
		Scorecards: []store.Scorecard{
			{AuthorID: me, AuthorName: "Me", CandidateID: candA, Version: 1, Status: store.ScorecardSubmitted, Recommendation: "yes",
				Scores: []store.Score{{Position: 1, Score: ip(4), Comment: "great"}, {Position: 2, Score: ip(3)}}},
			{AuthorID: other, AuthorName: "Other", CandidateID: candA, Version: 1, Status: store.ScorecardSubmitted, Recommendation: "no",
				Scores: []store.Score{{Position: 1, Score: ip(3)}, {Position: 2}}},
			{AuthorID: other, AuthorName: "Other", CandidateID: candA, Version: 2, Status: store.ScorecardSubmitted, Recommendation: "strong_no", SeenPanel: true,
				Scores: []store.Score{{Position: 1, Score: ip(2), Comment: "meh"}, {Position: 2}}},
			{AuthorID: other, AuthorName: "Other", CandidateID: candB, Version: 1, Status: store.ScorecardSubmitted, Recommendation: "yes"},
			{AuthorID: me, AuthorName: "Me", CandidateID: candB, Version: 1, Status: store.ScorecardDraft, Recommendation: "no"},
		},
		Notes: []store.Note{{AuthorID: me, CandidateID: candA, Position: 1, Text: "note on A"}},
	}
}

func TestBuildReport(t *testing.T) {
	r := review.Build(reportInput(), review.Viewer{Kind: review.Panel, UserID: meUser, ParticipantID: me})
	if len(r.Candidates) != 2 {
		t.Fatalf("%d candidates", len(r.Candidates))
	}
	a, b := r.Candidates[0], r.Candidates[1]
	if len(a.Questions) != 2 || len(b.Questions) != 2 {
		t.Fatalf("questions %d %d: an unpushed question is reported", len(a.Questions), len(b.Questions))
	}
	q1, q2 := a.Questions[0], a.Questions[1]
	// A: open 0–10 and 20–40 (paused 10–20): 30 s of 60, submitted.
	if q1.Outcome != review.OutcomeSubmitted || q1.UsedMS != 30000 || q1.LimitMS != 60000 {
		t.Errorf("A q1 %+v", q1)
	}
	// B: 0–10 and 20–70: 60 s, cut off.
	if bq := b.Questions[0]; bq.Outcome != review.OutcomeCutOff || bq.UsedMS != 60000 {
		t.Errorf("B q1 %+v", bq)
	}
	// Question 2: 80–100 for both; A left it open, B never answered.
	if q2.Outcome != review.OutcomeOpen || q2.UsedMS != 20000 || q2.LimitMS != 0 {
		t.Errorf("A q2 %+v", q2)
	}
	if bq := b.Questions[1]; bq.Outcome != review.OutcomeNone || bq.UsedMS != 20000 {
		t.Errorf("B q2 %+v", bq)
	}
	// Pastes 2 (42 chars); focus lost twice: 5 s, then 3 s until the end.
	if q2.Pastes != 2 || q2.PastedChars != 42 || q2.FocusLost != 2 || q2.AwayMS != 8000 {
		t.Errorf("A q2 signals %+v", q2)
	}
	// Scores: the current versions (4 from me, 2 from the other's amendment).
	if len(q1.Scores) != 2 || *q1.Scores[0].Score != 4 || *q1.Scores[1].Score != 2 || q1.Scores[1].Comment != "meh" {
		t.Fatalf("A q1 scores %+v", q1.Scores)
	}
	if q1.Mean == nil || *q1.Mean != 3 || !q1.Disagree {
		t.Errorf("A q1 mean %v, disagree %v", q1.Mean, q1.Disagree)
	}
	// One score and one "not assessed": mean 3, no disagreement.
	if q2.Mean == nil || *q2.Mean != 3 || q2.Disagree || q2.Scores[1].Score != nil {
		t.Errorf("A q2 %+v", q2)
	}
	if len(a.Cards) != 2 || a.Cards[1].Version != 2 || len(a.Cards[1].Earlier) != 1 || a.Cards[1].Earlier[0].Recommendation != "no" || !a.Cards[0].Mine {
		t.Errorf("A cards %+v", a.Cards)
	}
	if len(a.Notes) != 1 || a.Notes[0].AuthorName != "Me" || len(b.Notes) != 0 {
		t.Errorf("notes %+v %+v", a.Notes, b.Notes)
	}
	// For B I have only a draft: the other's scorecard is hidden, counted.
	if len(b.Cards) != 0 || b.Hidden != 1 || b.Own == nil || b.Own.Recommendation != "no" {
		t.Errorf("B: cards %+v, hidden %d, own %+v", b.Cards, b.Hidden, b.Own)
	}
	for _, q := range b.Questions {
		if len(q.Scores) != 0 || q.Mean != nil {
			t.Errorf("B shows scores before I submitted: %+v", q)
		}
	}
	if len(r.Shown) != 1 || r.Shown[0] != candA {
		t.Errorf("shown %v", r.Shown)
	}

	// A reviewer sees both submitted scorecards for B, never my draft.
	rv := review.Build(reportInput(), review.Viewer{Kind: review.Overseer, UserID: reviewerID})
	if b := rv.Candidates[1]; len(b.Cards) != 1 || b.Cards[0].AuthorID != other || b.Own != nil || b.Hidden != 0 {
		t.Errorf("reviewer's B: %+v", b)
	}
}

// TestReportTimerReopened: extending a timer that ran out reopens the
// question; a submission after that counts.
func TestReportTimerReopened(t *testing.T) {
	in := reportInput()
	in.Answers = []store.Answer{{CandidateID: candB, Position: 1, Text: "late", Submitted: 1}}
	in.Events = []store.Event{
		ev(0, "question.pushed", map[string]any{"position": 1}),
		ev(0, "timer.started", map[string]any{"scope": "question", "position": 1, "state": "running", "duration_ms": 10000}),
		ev(10, "timer.expired", map[string]any{"scope": "question", "position": 1, "state": "expired", "duration_ms": 10000}),
		ev(30, "timer.extended", map[string]any{"scope": "question", "position": 1, "state": "running", "duration_ms": 70000}),
		ev(35, "answer.submitted", map[string]any{"candidate_id": candB, "position": 1}),
		ev(100, "interview.ended", nil),
	}
	r := review.Build(in, review.Viewer{Kind: review.Overseer})
	a, b := r.Candidates[0].Questions[0], r.Candidates[1].Questions[0]
	if b.Outcome != review.OutcomeSubmitted || b.UsedMS != 15000 || b.LimitMS != 70000 {
		t.Errorf("B %+v", b)
	}
	// A: 0–10, reopened 30–100 (the end), never submitted.
	if a.UsedMS != 80000 || a.Outcome != review.OutcomeNone {
		t.Errorf("A %+v", a)
	}
}

// TestReportSelfPaced: every planned question counts, none pushed, and the
// time used comes from each candidate's question.opened. B has a personal
// exam timer (extra time): the room's pause and expiry do not decide for
// them, their own do; B's question 1 has its own limit and runs out.
func TestReportSelfPaced(t *testing.T) {
	in := reportInput()
	in.Interview.Pacing = store.PacingSelfPaced
	in.Questions = []store.PlannedQuestion{
		{Position: 1, Prompt: "P1", TimeLimitS: 60},
		{Position: 2, Prompt: "P2"},
		{Position: 3, Prompt: "never opened"},
	}
	in.Answers = []store.Answer{
		{CandidateID: candA, Position: 1, Text: "a1", Submitted: 1},
		{CandidateID: candA, Position: 2, Text: "a2"},
		{CandidateID: candB, Position: 1, Text: "b1"},
	}
	exam := func(sec float64, typ, state string, cand int64) store.Event {
		d := map[string]any{"scope": "exam", "position": 0, "state": state, "duration_ms": 600000}
		if cand != 0 {
			d["candidate_id"] = cand
		}
		return ev(sec, typ, d)
	}
	opened := func(sec float64, cand int64, pos int) store.Event {
		return ev(sec, "question.opened", map[string]any{"candidate_id": cand, "position": pos})
	}
	in.Events = []store.Event{
		ev(0, "interview.started", map[string]any{"status": "live", "pacing": "self_paced"}),
		exam(0, "timer.started", "running", 0),
		exam(0, "timer.started", "running", candB),
		opened(5, candA, 2),
		opened(10, candB, 1),
		ev(10, "timer.started", map[string]any{"scope": "question", "position": 1, "candidate_id": candB, "state": "running", "duration_ms": 60000}),
		opened(25, candA, 1),
		ev(25, "timer.started", map[string]any{"scope": "question", "position": 1, "candidate_id": candA, "state": "running", "duration_ms": 60000}),
		ev(35, "answer.submitted", map[string]any{"candidate_id": candA, "position": 1}),
		exam(40, "timer.paused", "paused", candB),
		exam(45, "timer.paused", "paused", 0),
		exam(50, "timer.resumed", "running", candB),
		exam(55, "timer.resumed", "running", 0),
		opened(60, candA, 2),
		ev(62, "candidate.pasted", map[string]any{"candidate_id": candA, "position": 2, "chars": 7}),
		ev(70, "timer.expired", map[string]any{"scope": "question", "position": 1, "candidate_id": candB, "state": "expired", "duration_ms": 60000}),
		exam(80, "timer.expired", "expired", 0),
		opened(90, candB, 2),
		ev(100, "interview.ended", nil),
	}
	r := review.Build(in, review.Viewer{Kind: review.Overseer})
	want := map[int64][]struct {
		used    int64
		outcome string
	}{
		// A: q2 5–25 and 60–80 (the room's exam ran out), q1 25–35 submitted.
		candA: {{10000, review.OutcomeSubmitted}, {40000, review.OutcomeCutOff}, {0, review.OutcomeNone}},
		// B: q1 10–40 and 50–70 (their own pause; the question's timer ran
		// out), q2 90–100 (the room's expiry is not theirs).
		candB: {{50000, review.OutcomeCutOff}, {10000, review.OutcomeNone}, {0, review.OutcomeNone}},
	}
	for _, cr := range r.Candidates {
		w := want[cr.Candidate.ID]
		if len(cr.Questions) != 3 {
			t.Fatalf("%s: %d questions, want every planned one", cr.Candidate.Name, len(cr.Questions))
		}
		for i, q := range cr.Questions {
			if q.UsedMS != w[i].used || q.Outcome != w[i].outcome {
				t.Errorf("%s q%d: used %d %s, want %d %s", cr.Candidate.Name, q.Question.Position, q.UsedMS, q.Outcome, w[i].used, w[i].outcome)
			}
		}
	}
	if a := r.Candidates[0].Questions[1]; a.Pastes != 1 || a.PastedChars != 7 {
		t.Errorf("A q2 signals %+v", a)
	}
	if l := r.Candidates[0].Questions[0].LimitMS; l != 60000 {
		t.Errorf("limit %d", l)
	}
}
