package room

import (
	"context"

	"github.com/ace-interviews/ace/internal/store"
)

func (r *Room) startInterview(ctx context.Context, m *Member, req Request) *Error {
	if e := decodeData(req, &struct{}{}); e != nil {
		return e
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error { return startTx(ctx, rt, m.id.ParticipantID) })
}

func (r *Room) endInterview(ctx context.Context, m *Member, req Request) *Error {
	if e := decodeData(req, &struct{}{}); e != nil {
		return e
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error { return endTx(ctx, rt, m.id.ParticipantID) })
}

// StartInterview starts an interview on the server's own account (actor 0):
// a practice attempt has no interviewer to press Start. The same step as
// interview.start; the *Error codes are the same too.
func (h *Hub) StartInterview(ctx context.Context, interviewID int64) error {
	return h.systemAction(ctx, interviewID, func(rt *store.RoomTx) error { return startTx(ctx, rt, 0) })
}

// EndInterview ends an interview on the server's own account (a practice
// attempt finished by its taker).
func (h *Hub) EndInterview(ctx context.Context, interviewID int64) error {
	return h.systemAction(ctx, interviewID, func(rt *store.RoomTx) error { return endTx(ctx, rt, 0) })
}

// systemAction runs fn in the room's transaction outside any room writer
// and publishes what it appended; instances serving the room deliver it
// like any other event.
func (h *Hub) systemAction(ctx context.Context, interviewID int64, fn func(rt *store.RoomTx) error) error {
	evs, err := h.store.InRoom(ctx, interviewID, fn)
	if err != nil {
		return err
	}
	h.publish(evs)
	return nil
}

// startTx moves the interview to live and starts its exam timers: the
// room's, and a personal one for each candidate with extra time. A
// self-paced exam's interview.started carries every planned question.
func startTx(ctx context.Context, rt *store.RoomTx, actor int64) error {
	iv, err := rt.Interview(ctx)
	if err != nil {
		return err
	}
	switch iv.Status {
	case store.StatusLive:
		return errf("already_live", "the interview has already started")
	case store.StatusEnded:
		return errf("interview_ended", "the interview has ended")
	}
	if err := rt.SetStatus(ctx, store.StatusLive); err != nil {
		return err
	}
	started := startedData{Status: store.StatusLive, Pacing: iv.Pacing}
	if iv.Pacing == store.PacingSelfPaced {
		qs, err := rt.PlannedQuestions(ctx)
		if err != nil {
			return err
		}
		started.Questions = make([]questionData, len(qs))
		for i, q := range qs {
			started.Questions[i] = plannedData(q)
		}
	}
	if err := rt.Append("interview.started", actor, store.AudienceAll, started); err != nil {
		return err
	}
	if iv.ExamTimeLimitS > 0 {
		return startTimers(ctx, rt, "exam", 0, int64(iv.ExamTimeLimitS)*1000, actor)
	}
	return nil
}

func endTx(ctx context.Context, rt *store.RoomTx, actor int64) error {
	iv, err := rt.Interview(ctx)
	if err != nil {
		return err
	}
	if iv.Status == store.StatusEnded {
		return errf("interview_ended", "the interview has already ended")
	}
	if err := rt.SetStatus(ctx, store.StatusEnded); err != nil {
		return err
	}
	// Timers stop with the interview; interview.ended tells clients so.
	if err := rt.StopTimers(ctx); err != nil {
		return err
	}
	return rt.Append("interview.ended", actor, store.AudienceAll, statusData{Status: store.StatusEnded})
}
