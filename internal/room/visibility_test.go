package room

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// The gate, as a table: every event type the engine appends, with the
// audience it is appended to, against every kind of member.
func TestGateEveryEventEveryMember(t *testing.T) {
	staff := Identity{ParticipantID: 1, Role: store.PartInterviewer, Name: "Ivy", UserID: 7}
	cora := Identity{ParticipantID: 2, Role: store.PartCandidate, Name: "Cora"}
	dan := Identity{ParticipantID: 3, Role: store.PartCandidate, Name: "Dan"}
	qid := int64(42)
	chars := 12
	room := store.Timer{ID: 1, Scope: "question", Position: 1, State: store.TimerRunning, DeadlineMS: 2e12}
	personal := store.Timer{ID: 2, Scope: "exam", CandidateID: cora.ParticipantID, State: store.TimerRunning, DeadlineMS: 2e12, ExtraMS: 60_000}
	selfPacedQ := store.Timer{ID: 3, Scope: "question", Position: 2, CandidateID: cora.ParticipantID, State: store.TimerPaused, RemainingMS: 5000}
	now := time.UnixMilli(1e12)
	type row struct {
		typ      string
		audience string
		data     any
		sees     [3]bool // staff, cora, dan
	}
	all := [3]bool{true, true, true}
	own := [3]bool{true, true, false}
	onlyStaff := [3]bool{true, false, false}
	rows := []row{
		{"interview.started", store.AudienceAll, statusData{store.StatusLive}, all},
		{"interview.ended", store.AudienceAll, statusData{store.StatusEnded}, all},
		{"question.pushed", store.AudienceAll, questionData{Position: 1, Prompt: "p", Answer: "MODEL-ANSWER", QuestionID: &qid}, all},
		{"timer.started", timerAudience(room), timerData(room, now), all},
		{"timer.paused", timerAudience(room), timerData(room, now), all},
		{"timer.resumed", timerAudience(room), timerData(room, now), all},
		{"timer.extended", timerAudience(room), timerData(room, now), all},
		{"timer.expired", timerAudience(room), timerData(room, now), all},
		{"timer.started", timerAudience(personal), timerData(personal, now), own},
		{"timer.expired", timerAudience(personal), timerData(personal, now), own},
		{"answer.submitted", store.CandidateAudience(cora.ParticipantID), submittedData{CandidateID: 2, Position: 1, Text: "CORA-ANSWER"}, own},
		{"chat.message", store.AudienceAll, chatMessage{From: 1, Name: "Ivy", Role: store.PartInterviewer, Text: "hello all"}, all},
		{"chat.message", store.CandidateAudience(cora.ParticipantID), chatMessage{From: 2, Name: "Cora", Role: store.PartCandidate, Text: "CORA-CHAT"}, own},
		{"candidate.focus_lost", store.AudienceStaff, signalEvent{CandidateID: 2, Position: 1}, onlyStaff},
		{"candidate.focus_back", store.AudienceStaff, signalEvent{CandidateID: 2, Position: 1}, onlyStaff},
		{"candidate.pasted", store.AudienceStaff, signalEvent{CandidateID: 2, Position: 1, Chars: &chars}, onlyStaff},
		{"scorecard.submitted", store.AudienceStaff, map[string]any{"candidate_id": 2, "author_id": 1, "version": 1}, onlyStaff},
		// Ephemeral frames go through the same rule.
		{"answer.draft", store.AudienceStaff, draftEvent{CandidateID: 2, Position: 1, Text: "CORA-DRAFT"}, onlyStaff},
		{"note.saved", store.AudienceStaff, noteEvent{AuthorID: 1, CandidateID: 2, Text: "NOTE"}, onlyStaff},
		{"presence.changed", store.AudienceStaff, presenceData{ParticipantID: 2, Online: true}, onlyStaff},
		{"participant.added", store.AudienceStaff, addedData{ParticipantID: 4, Name: "Late Lou", Role: store.PartCandidate, ExtraTimePct: 50}, onlyStaff},
		{"participant.removed", store.AudienceStaff, participantRef{ParticipantID: 1}, onlyStaff},
		{"candidate.revoked", store.AudienceStaff, candidateRef{CandidateID: 2}, onlyStaff},
		{"answer.saved", audienceOnly(cora.ParticipantID), savedData{Position: 1, Version: 3}, [3]bool{false, true, false}},
		// Exams: a self-paced start carries the plan (no model answers for candidates),
		// a candidate's moves, accommodation and personal timers are theirs.
		{"interview.started", store.AudienceAll, startedData{Status: store.StatusLive, Pacing: store.PacingSelfPaced,
			Questions: []questionData{{Position: 1, Prompt: "p", Answer: "MODEL-ANSWER", QuestionID: &qid}}}, all},
		{"question.opened", store.CandidateAudience(cora.ParticipantID), openedData{CandidateID: 2, Position: 1}, own},
		{"candidate.extra_time_changed", store.CandidateAudience(cora.ParticipantID), extraTimeData{CandidateID: 2, ExtraTimePct: 50}, own},
		{"timer.extended", timerAudience(personal), timerData(personal, now), own},
		{"timer.paused", timerAudience(selfPacedQ), timerData(selfPacedQ, now), own},
	}
	for _, r := range rows {
		ev := store.Event{InterviewID: 9, Seq: 5, Type: r.typ, Audience: r.audience, Data: store.JSON(mustJSON(r.data)), CreatedAt: now}
		d := newDelivered(ev)
		for i, id := range []Identity{staff, cora, dan} {
			b := d.frameFor(id)
			projected, ok := Project(ev, id)
			if (b != nil) != r.sees[i] || ok != r.sees[i] {
				t.Errorf("%s to %q: %s sees it live=%v rest=%v, want %v", r.typ, r.audience, id.Name, b != nil, ok, r.sees[i])
				continue
			}
			if b == nil || id.Staff() {
				continue
			}
			for _, secret := range []string{"MODEL-ANSWER", `"question_id"`} {
				if strings.Contains(string(b), secret) || strings.Contains(string(projected.Data), secret) {
					t.Errorf("%s: candidate %s got %s: %s", r.typ, id.Name, secret, b)
				}
			}
		}
	}
}

// The welcome is built by the same rules.
func TestWelcomeThroughTheGate(t *testing.T) {
	pushed := time.UnixMilli(1e12)
	qid := int64(42)
	snap := snapshot{
		iv: store.Interview{ID: 9, Status: store.StatusLive, CurrentPosition: 1, LastSeq: 12},
		questions: []store.PlannedQuestion{
			{Position: 1, Prompt: "on screen", Answer: "MODEL-ANSWER-1", QuestionID: &qid, PushedAt: &pushed},
			{Position: 2, Prompt: "NOT-YET-PUSHED", Answer: "MODEL-ANSWER-2"},
		},
		timers: []store.Timer{
			{ID: 1, Scope: "question", Position: 1, State: store.TimerRunning, DeadlineMS: 2e12},
			{ID: 2, Scope: "exam", CandidateID: 3, State: store.TimerRunning, DeadlineMS: 2e12},
		},
		participants: []store.Participant{{ID: 1, Role: store.PartInterviewer}, {ID: 2, Role: store.PartCandidate}, {ID: 3, Role: store.PartCandidate}},
		answers:      []store.Answer{{CandidateID: 2, Position: 1, Text: "CORA-TEXT"}, {CandidateID: 3, Position: 1, Text: "DAN-TEXT"}},
		notes:        []store.Note{{AuthorID: 1, CandidateID: 2, Text: "PRIVATE-NOTE"}},
	}
	staff := welcomeFor(Identity{ParticipantID: 1, Role: store.PartInterviewer}, snap, pushed, 0)
	if len(staff.Questions) != 2 || staff.Questions[1].Answer != "MODEL-ANSWER-2" || len(staff.Timers) != 2 ||
		len(staff.Answers) != 2 || staff.Answers[1].CandidateID != 3 || len(staff.Notes) != 1 || len(staff.Participants) != 3 {
		t.Fatalf("staff welcome: %+v", staff)
	}
	cora := Identity{ParticipantID: 2, Role: store.PartCandidate}
	// A candidate's snapshot holds their own answers only (loadSnapshot); the
	// gate still filters, so a wider snapshot cannot leak.
	w := welcomeFor(cora, snap, pushed, 0)
	b, _ := json.Marshal(w)
	for _, secret := range []string{"MODEL-ANSWER", "NOT-YET-PUSHED", "DAN-TEXT", "PRIVATE-NOTE", `"question_id"`, `"participants"`, `"notes"`} {
		if strings.Contains(string(b), secret) {
			t.Errorf("candidate welcome carries %s: %s", secret, b)
		}
	}
	if len(w.Timers) != 1 || w.Timers[0].TimerID != 1 || len(w.Answers) != 1 || w.Answers[0].Text != "CORA-TEXT" || w.Question == nil {
		t.Fatalf("candidate welcome: %s", b)
	}
	if dan := welcomeFor(Identity{ParticipantID: 3, Role: store.PartCandidate}, snap, pushed, 0); len(dan.Timers) != 2 {
		t.Fatalf("Dan's welcome lacks his personal timer: %+v", dan.Timers)
	}
}

// A self-paced candidate's welcome: every planned question once live (no
// model answer), the question they have open, their own accommodation and
// timers; the staff's: each candidate's position and accommodation.
func TestWelcomeSelfPaced(t *testing.T) {
	now := time.UnixMilli(1e12)
	snap := snapshot{
		iv:   store.Interview{ID: 9, Status: store.StatusScheduled, Pacing: store.PacingSelfPaced, LastSeq: 3},
		self: store.Participant{ID: 2, Role: store.PartCandidate, Position: 2, ExtraTimePct: 50},
		questions: []store.PlannedQuestion{
			{Position: 1, Prompt: "first", Answer: "MODEL-ANSWER-1", TimeLimitS: 60},
			{Position: 2, Prompt: "second", Answer: "MODEL-ANSWER-2"},
		},
		timers: []store.Timer{
			{ID: 1, Scope: "exam", State: store.TimerRunning, DeadlineMS: 2e12},
			{ID: 2, Scope: "exam", CandidateID: 2, State: store.TimerRunning, DeadlineMS: 2e12 + 5000, ExtraMS: 5000},
			{ID: 3, Scope: "question", Position: 1, CandidateID: 3, State: store.TimerRunning, DeadlineMS: 2e12},
		},
		participants: []store.Participant{{ID: 1, Role: store.PartInterviewer}, {ID: 2, Role: store.PartCandidate, Position: 2, ExtraTimePct: 50},
			{ID: 3, Role: store.PartCandidate, Position: 1}},
	}
	cora := Identity{ParticipantID: 2, Role: store.PartCandidate}
	if w := welcomeFor(cora, snap, now, 0); len(w.Questions) != 0 || w.Question != nil {
		t.Fatalf("before the start a candidate sees the plan: %+v", w.Questions)
	}
	snap.iv.Status = store.StatusLive
	w := welcomeFor(cora, snap, now, 0)
	b, _ := json.Marshal(w)
	if strings.Contains(string(b), "MODEL-ANSWER") {
		t.Fatalf("candidate welcome carries a model answer: %s", b)
	}
	if len(w.Questions) != 2 || w.Question == nil || w.Question.Position != 2 || w.Interview.CurrentPosition != 2 ||
		w.Interview.Pacing != store.PacingSelfPaced || w.ExtraTimePct != 50 {
		t.Fatalf("candidate welcome: %s", b)
	}
	if len(w.Timers) != 2 || w.Timers[1].CandidateID != 2 || w.Timers[1].ExtraMS != 5000 {
		t.Fatalf("Cora's timers are the room's and her own, not Dan's: %+v", w.Timers)
	}
	staff := welcomeFor(Identity{ParticipantID: 1, Role: store.PartInterviewer}, snap, now, 0)
	if len(staff.Timers) != 3 || staff.Participants[1].Position != 2 || staff.Participants[1].ExtraTimePct != 50 || staff.Participants[2].Position != 1 {
		t.Fatalf("staff welcome: %+v", staff)
	}
}

// The decision whether an answer is open, for both pacings: a personal
// timer decides over the room's; a self-paced limit runs from the first open.
func TestAnswerOpen(t *testing.T) {
	const cand = 2
	running := func(scope string, pos int, c int64, deadline int64) store.Timer {
		return store.Timer{Scope: scope, Position: pos, CandidateID: c, State: store.TimerRunning, DeadlineMS: deadline}
	}
	expired := func(scope string, pos int, c int64) store.Timer {
		return store.Timer{Scope: scope, Position: pos, CandidateID: c, State: store.TimerExpired}
	}
	const now = 1000
	for _, c := range []struct {
		name   string
		s      answerState
		pos    int
		want   string
		wantAt int
	}{
		{"pushed: the question on screen", answerState{status: "live", current: 2}, 0, "", 2},
		{"pushed: another question", answerState{status: "live", current: 2}, 1, "not_current", 0},
		{"pushed: room timer out", answerState{status: "live", current: 2, timers: timerMap([]store.Timer{expired("question", 2, 0)})}, 2, "time_up", 0},
		{"pushed: room out, own extra time runs", answerState{status: "live", current: 2,
			timers: timerMap([]store.Timer{expired("question", 2, 0), running("question", 2, cand, 5000)})}, 2, "", 2},
		{"pushed: own timer out, room runs", answerState{status: "live", current: 2,
			timers: timerMap([]store.Timer{running("exam", 0, 0, 5000), expired("exam", 0, cand)})}, 2, "time_up", 0},
		{"pushed: another candidate's timer is not mine", answerState{status: "live", current: 2,
			timers: timerMap([]store.Timer{expired("exam", 0, 3)})}, 2, "", 2},
		{"self-paced: position needed", answerState{status: "live", pacing: store.PacingSelfPaced, limits: map[int]int{1: 0}}, 0, "bad_request", 0},
		{"self-paced: no such question", answerState{status: "live", pacing: store.PacingSelfPaced, limits: map[int]int{1: 0}}, 4, "not_found", 0},
		{"self-paced: any unlimited question", answerState{status: "live", pacing: store.PacingSelfPaced, limits: map[int]int{1: 0, 2: 0}}, 2, "", 2},
		{"self-paced: limited, not opened", answerState{status: "live", pacing: store.PacingSelfPaced, limits: map[int]int{1: 60}}, 1, "not_open", 0},
		{"self-paced: limited, opened", answerState{status: "live", pacing: store.PacingSelfPaced, limits: map[int]int{1: 60},
			timers: timerMap([]store.Timer{running("question", 1, cand, 5000)})}, 1, "", 1},
		{"self-paced: own question timer out", answerState{status: "live", pacing: store.PacingSelfPaced, limits: map[int]int{1: 60, 2: 0},
			timers: timerMap([]store.Timer{running("question", 1, cand, now)})}, 1, "time_up", 0},
		{"self-paced: the others stay open", answerState{status: "live", pacing: store.PacingSelfPaced, limits: map[int]int{1: 60, 2: 0},
			timers: timerMap([]store.Timer{running("question", 1, cand, now)})}, 2, "", 2},
		{"self-paced: exam out", answerState{status: "live", pacing: store.PacingSelfPaced, limits: map[int]int{1: 0},
			timers: timerMap([]store.Timer{expired("exam", 0, 0)})}, 1, "time_up", 0},
		{"scheduled", answerState{status: "scheduled"}, 1, "not_live", 0},
		{"ended", answerState{status: "ended", pacing: store.PacingSelfPaced}, 1, "interview_ended", 0},
	} {
		pos, e := c.s.open(cand, c.pos, now)
		got := ""
		if e != nil {
			got = e.Code
		}
		if got != c.want || pos != c.wantAt {
			t.Errorf("%s: (%d, %q), want (%d, %q)", c.name, pos, got, c.wantAt, c.want)
		}
	}
}

// admit refuses every way a socket may have lost its place before hello.
func TestAdmit(t *testing.T) {
	hash := "h1"
	other := "h2"
	revoked := time.Now()
	cand := Identity{ParticipantID: 2, Role: store.PartCandidate, TokenHash: hash}
	live := store.Interview{ID: 9, Status: store.StatusLive}
	ended := store.Interview{ID: 9, Status: store.StatusEnded}
	disabledAt := time.Now()
	for _, c := range []struct {
		name string
		id   Identity
		snap snapshot
		want string
	}{
		{"a live invite", cand, snapshot{iv: live, self: store.Participant{ID: 2, InterviewID: 9, Role: store.PartCandidate, TokenHash: &hash}}, ""},
		{"another interview", cand, snapshot{iv: live, self: store.Participant{ID: 2, InterviewID: 8, Role: store.PartCandidate, TokenHash: &hash}}, "forbidden"},
		{"revoked", cand, snapshot{iv: live, self: store.Participant{ID: 2, InterviewID: 9, Role: store.PartCandidate, TokenHash: &hash, RevokedAt: &revoked}}, "revoked"},
		{"re-issued", cand, snapshot{iv: live, self: store.Participant{ID: 2, InterviewID: 9, Role: store.PartCandidate, TokenHash: &other}}, "bad_token"},
		{"ended", cand, snapshot{iv: ended, self: store.Participant{ID: 2, InterviewID: 9, Role: store.PartCandidate, TokenHash: &hash}}, "invite_expired"},
		{"interviewer", Identity{ParticipantID: 1, Role: store.PartInterviewer, UserID: 7},
			snapshot{iv: ended, self: store.Participant{ID: 1, InterviewID: 9, Role: store.PartInterviewer}, user: &store.User{Role: store.RoleInterviewer}}, ""},
		{"removed interviewer", Identity{ParticipantID: 1, Role: store.PartInterviewer, UserID: 7},
			snapshot{iv: live, self: store.Participant{ID: 1, InterviewID: 9, Role: store.PartInterviewer, RevokedAt: &revoked}, user: &store.User{Role: store.RoleInterviewer}}, "removed"},
		{"demoted to reviewer", Identity{ParticipantID: 1, Role: store.PartInterviewer, UserID: 7},
			snapshot{iv: live, self: store.Participant{ID: 1, InterviewID: 9, Role: store.PartInterviewer}, user: &store.User{Role: store.RoleReviewer}}, "forbidden"},
		{"disabled", Identity{ParticipantID: 1, Role: store.PartInterviewer, UserID: 7},
			snapshot{iv: live, self: store.Participant{ID: 1, InterviewID: 9, Role: store.PartInterviewer}, user: &store.User{Role: store.RoleAdmin, DisabledAt: &disabledAt}}, "forbidden"},
	} {
		got := ""
		if e := admit(c.id, c.snap, 9); e != nil {
			got = e.Code
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
