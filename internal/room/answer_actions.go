package room

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/ace-interviews/ace/internal/store"
)

// Request data of answer.draft and answer.submit.
type (
	draftData struct {
		Text     string `json:"text"`
		Version  int64  `json:"version"`
		Position int    `json:"position"`
	}
	submitData struct {
		Text     string `json:"text"`
		Position int    `json:"position"`
		Version  int64  `json:"version"`
	}
)

// answerOpen decides from the room's delivered state whether a candidate
// may still draft at position: the interview is live, the position is on
// screen (pushed) or planned and opened (self-paced), neither its timer nor
// the exam timer has run out for the candidate, and the answer is not
// submitted.
func (r *Room) answerOpen(m *Member, position int, now time.Time) (int, *Error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pos, e := r.answerState().open(m.id.ParticipantID, position, now.UnixMilli())
	if e != nil && r.behind(m) {
		// The member's welcome came from the database and may be ahead of
		// what this instance has delivered: a question it sees may not be on
		// this room's screen yet. Catch up before refusing.
		r.mu.Unlock()
		r.catchUp(m)
		r.mu.Lock()
		pos, e = r.answerState().open(m.id.ParticipantID, position, now.UnixMilli())
	}
	if e == nil && r.submitted[store.AnswerKey{CandidateID: m.id.ParticipantID, Position: pos}] {
		return 0, errf("already_submitted", "this answer is submitted; only another submit changes it")
	}
	return pos, e
}

// answerState is the room's delivered state. Caller holds r.mu.
func (r *Room) answerState() answerState {
	return answerState{status: r.status, pacing: r.pacing, current: r.current, limits: r.limits, timers: r.timers}
}

// behind reports whether m was sent events this room has not applied yet.
// Caller holds r.mu.
func (r *Room) behind(m *Member) bool { return m.sent > r.delivered }

// catchUp fetches what the room has not delivered and waits, at most a
// second, until it has applied everything m was sent.
func (r *Room) catchUp(m *Member) {
	r.repair()
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		r.mu.Lock()
		behind := r.behind(m)
		r.mu.Unlock()
		if !behind {
			return
		}
	}
}

// answerState is what decides whether an answer is open: the room's
// delivered state for drafts, the stored state for submissions.
type answerState struct {
	status  string
	pacing  string
	current int                      // pushed: the question on screen
	limits  map[int]int              // self-paced: planned positions and their time limits (s)
	timers  map[timerKey]store.Timer // personal timers decide over the room's
}

func (s answerState) open(candidate int64, position int, now int64) (int, *Error) {
	switch s.status {
	case store.StatusScheduled:
		return 0, errf("not_live", "the interview has not started")
	case store.StatusEnded:
		return 0, errf("interview_ended", "the interview has ended")
	}
	if s.pacing == store.PacingSelfPaced {
		if position == 0 {
			return 0, errf("bad_request", "a self-paced exam needs the position of the answer")
		}
		limit, ok := s.limits[position]
		if !ok {
			return 0, errf("not_found", "the exam has no question %d", position)
		}
		if _, opened := s.timers[timerKey{"question", position, candidate}]; limit > 0 && !opened {
			return 0, errf("not_open", "open question %d before answering it: its time runs from then", position)
		}
	} else {
		if position == 0 {
			position = s.current
		}
		if position == 0 {
			return 0, errf("no_question", "no question has been pushed yet")
		}
		if position != s.current {
			return 0, errf("not_current", "only the question on screen can be answered")
		}
	}
	for _, k := range []timerKey{{"question", position, candidate}, {"exam", 0, candidate}} {
		if timeUp(s.timers, k, now) {
			return 0, errf("time_up", "time is up for this question; the answer received before the deadline counts")
		}
	}
	return position, nil
}

func checkText(s string) *Error {
	if !utf8.ValidString(s) {
		return errf("bad_request", "text is not valid UTF-8")
	}
	if utf8.RuneCountInString(s) > MaxAnswerChars {
		return errf("too_large", "an answer may hold at most %d characters", MaxAnswerChars)
	}
	return nil
}

func (r *Room) draft(ctx context.Context, m *Member, req Request) *Error {
	var d draftData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if e := checkText(d.Text); e != nil {
		return e
	}
	now := r.hub.now()
	pos, e := r.answerOpen(m, d.Position, now)
	if e != nil {
		return e
	}
	if d.Version <= 0 {
		d.Version = now.UnixMilli()
	}
	draft := store.Draft{InterviewID: r.id, CandidateID: m.id.ParticipantID, Position: pos, Version: d.Version, Text: d.Text, ReceivedAt: now.UTC()}
	if !r.hub.drafts.add(pendingDraft{d: draft, m: m}) {
		return errf("busy", "the server is saving a backlog; resend shortly")
	}
	r.outbound.offer(ephemeral{Audience: store.AudienceStaff, Type: "answer.draft", TS: now,
		DraftOf: &store.AnswerKey{CandidateID: m.id.ParticipantID, Position: pos},
		Data:    mustJSON(draftEvent{CandidateID: m.id.ParticipantID, Position: pos, Version: d.Version, Text: d.Text})})
	return nil
}

func (r *Room) submit(ctx context.Context, m *Member, req Request) *Error {
	var d submitData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if e := checkText(d.Text); e != nil {
		return e
	}
	var pos int
	e := r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
		// Decided on the database's state inside the room lock, not on what
		// this instance has delivered: a submission is final.
		iv, err := rt.Interview(ctx)
		if err != nil {
			return err
		}
		st, err := storedAnswerState(ctx, rt, iv)
		if err != nil {
			return err
		}
		var refused *Error
		if pos, refused = st.open(m.id.ParticipantID, d.Position, rt.Now.UnixMilli()); refused != nil {
			return refused
		}
		version := d.Version
		if version <= 0 {
			version = rt.Now.UnixMilli()
		}
		if err := rt.SubmitAnswer(ctx, m.id.ParticipantID, pos, d.Text, version); err != nil {
			return err
		}
		return rt.Append("answer.submitted", m.id.ParticipantID, store.CandidateAudience(m.id.ParticipantID),
			submittedData{CandidateID: m.id.ParticipantID, Position: pos, Text: d.Text, Version: version})
	})
	if e == nil {
		// Before the ack: the candidate's next draft must see the submission,
		// which the room's own delivery of the event may not have applied yet.
		r.mu.Lock()
		r.submitted[store.AnswerKey{CandidateID: m.id.ParticipantID, Position: pos}] = true
		r.mu.Unlock()
	}
	return e
}

// storedAnswerState is answerState as the room's transaction reads it.
func storedAnswerState(ctx context.Context, rt *store.RoomTx, iv store.Interview) (answerState, error) {
	st := answerState{status: iv.Status, pacing: iv.Pacing, current: iv.CurrentPosition}
	ts, err := rt.Timers(ctx)
	if err != nil {
		return st, err
	}
	st.timers = timerMap(ts)
	if iv.Pacing == store.PacingSelfPaced {
		qs, err := rt.PlannedQuestions(ctx)
		if err != nil {
			return st, err
		}
		st.limits = planLimits(qs)
	}
	return st, nil
}

func planLimits(qs []store.PlannedQuestion) map[int]int {
	m := make(map[int]int, len(qs))
	for _, q := range qs {
		m[q.Position] = q.TimeLimitS
	}
	return m
}
