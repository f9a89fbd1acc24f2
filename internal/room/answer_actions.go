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
// screen, neither its timer nor the exam timer has run out, and the answer
// is not submitted.
func (r *Room) answerOpen(m *Member, position int, now time.Time) (int, *Error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pos, e := answerOpen(r.status, r.current, r.timers, m.id.ParticipantID, position, now.UnixMilli())
	if e != nil && r.behind(m) {
		// The member's welcome came from the database and may be ahead of
		// what this instance has delivered: a question it sees may not be on
		// this room's screen yet. Catch up before refusing.
		r.mu.Unlock()
		r.catchUp(m)
		r.mu.Lock()
		pos, e = answerOpen(r.status, r.current, r.timers, m.id.ParticipantID, position, now.UnixMilli())
	}
	if e == nil && r.submitted[store.AnswerKey{CandidateID: m.id.ParticipantID, Position: pos}] {
		return 0, errf("already_submitted", "this answer is submitted; only another submit changes it")
	}
	return pos, e
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

func answerOpen(status string, current int, timers map[timerKey]store.Timer, candidate int64, position int, now int64) (int, *Error) {
	switch status {
	case store.StatusScheduled:
		return 0, errf("not_live", "the interview has not started")
	case store.StatusEnded:
		return 0, errf("interview_ended", "the interview has ended")
	}
	if position == 0 {
		position = current
	}
	if position == 0 {
		return 0, errf("no_question", "no question has been pushed yet")
	}
	if position != current {
		return 0, errf("not_current", "only the question on screen can be answered")
	}
	for _, k := range []timerKey{{"question", position, 0}, {"question", position, candidate}, {"exam", 0, 0}, {"exam", 0, candidate}} {
		t, ok := timers[k]
		if !ok {
			continue
		}
		if t.State == store.TimerExpired || (t.State == store.TimerRunning && t.DeadlineMS <= now) {
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
		ts, err := rt.Timers(ctx)
		if err != nil {
			return err
		}
		timers := map[timerKey]store.Timer{}
		for _, t := range ts {
			timers[keyOf(t)] = t
		}
		var refused *Error
		if pos, refused = answerOpen(iv.Status, iv.CurrentPosition, timers, m.id.ParticipantID, d.Position, rt.Now.UnixMilli()); refused != nil {
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
