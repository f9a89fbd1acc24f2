package room

import (
	"context"

	"github.com/ace-interviews/ace/internal/store"
)

// Request data of timer.pause, timer.resume and timer.extend.
type timerReq struct {
	Scope   string `json:"scope"`
	Seconds int    `json:"seconds"`
}

// findTimer returns the room-wide timer a timer.* request means.
func findTimer(ctx context.Context, rt *store.RoomTx, scope string) (store.Timer, error) {
	iv, err := liveInterview(ctx, rt)
	if err != nil {
		return store.Timer{}, err
	}
	pos := iv.CurrentPosition
	if scope == "exam" {
		pos = 0
	}
	ts, err := rt.Timers(ctx)
	if err != nil {
		return store.Timer{}, err
	}
	for _, t := range ts {
		if t.Scope == scope && t.Position == pos && t.CandidateID == 0 {
			return t, nil
		}
	}
	return store.Timer{}, errf("no_timer", "there is no %s timer to change", scope)
}

func timerScope(d *timerReq) *Error {
	switch d.Scope {
	case "":
		d.Scope = "question"
	case "question", "exam":
	default:
		return errf("bad_request", "scope must be question or exam")
	}
	return nil
}

// changeTimer loads the timer a request names, lets change decide its new
// state, stores it and appends the event.
func (r *Room) changeTimer(ctx context.Context, m *Member, req Request, typ string, change func(t *store.Timer, now int64, d timerReq) *Error) *Error {
	var d timerReq
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if e := timerScope(&d); e != nil {
		return e
	}
	if typ == "timer.extended" && (d.Seconds < 1 || d.Seconds > 3600) {
		return errf("bad_request", "seconds must be between 1 and 3600")
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
		t, err := findTimer(ctx, rt, d.Scope)
		if err != nil {
			return err
		}
		now := rt.Now.UnixMilli()
		// A running timer past its deadline is expired even if no one has said so yet.
		if t.State == store.TimerRunning && t.DeadlineMS <= now && typ != "timer.extended" {
			return errf("expired", "the timer has run out")
		}
		if e := change(&t, now, d); e != nil {
			return e
		}
		t, err = rt.PutTimer(ctx, t)
		if err != nil {
			return err
		}
		ev := timerData(t, rt.Now)
		if typ == "timer.extended" {
			ev.AddedMS = int64(d.Seconds) * 1000
		}
		return appendTimerEvent(rt, typ, m.id.ParticipantID, ev, t)
	})
}

func (r *Room) pauseTimer(ctx context.Context, m *Member, req Request) *Error {
	return r.changeTimer(ctx, m, req, "timer.paused", func(t *store.Timer, now int64, _ timerReq) *Error {
		switch t.State {
		case store.TimerPaused:
			return errf("already_paused", "the timer is already paused")
		case store.TimerExpired:
			return errf("expired", "the timer has run out")
		}
		t.State, t.RemainingMS, t.DeadlineMS = store.TimerPaused, t.DeadlineMS-now, 0
		return nil
	})
}

func (r *Room) resumeTimer(ctx context.Context, m *Member, req Request) *Error {
	return r.changeTimer(ctx, m, req, "timer.resumed", func(t *store.Timer, now int64, _ timerReq) *Error {
		if t.State != store.TimerPaused {
			return errf("not_paused", "the timer is not paused")
		}
		t.State, t.DeadlineMS, t.RemainingMS = store.TimerRunning, now+t.RemainingMS, 0
		return nil
	})
}

func (r *Room) extendTimer(ctx context.Context, m *Member, req Request) *Error {
	return r.changeTimer(ctx, m, req, "timer.extended", func(t *store.Timer, now int64, d timerReq) *Error {
		add := int64(d.Seconds) * 1000
		t.DurationMS += add
		switch {
		case t.State == store.TimerPaused:
			t.RemainingMS += add
		case t.State == store.TimerRunning && t.DeadlineMS > now:
			t.DeadlineMS += add
		default:
			// Extending a timer that ran out reopens it for the added time.
			t.State, t.DeadlineMS, t.RemainingMS = store.TimerRunning, now+add, 0
		}
		return nil
	})
}
