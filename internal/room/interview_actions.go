package room

import (
	"context"

	"github.com/ace-interviews/ace/internal/store"
)

func (r *Room) startInterview(ctx context.Context, m *Member, req Request) *Error {
	if e := decodeData(req, &struct{}{}); e != nil {
		return e
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
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
		if err := rt.Append("interview.started", m.id.ParticipantID, store.AudienceAll, statusData{Status: store.StatusLive}); err != nil {
			return err
		}
		if iv.ExamTimeLimitS > 0 {
			return startTimer(ctx, rt, "exam", 0, int64(iv.ExamTimeLimitS)*1000, m.id.ParticipantID)
		}
		return nil
	})
}

func (r *Room) endInterview(ctx context.Context, m *Member, req Request) *Error {
	if e := decodeData(req, &struct{}{}); e != nil {
		return e
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
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
		return rt.Append("interview.ended", m.id.ParticipantID, store.AudienceAll, statusData{Status: store.StatusEnded})
	})
}
