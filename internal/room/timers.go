package room

import (
	"context"
	"log/slog"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// Timers are deadline-based: a running timer stores an absolute deadline
// (Unix ms, set on the database's clock), a paused one the time it had left.
// Each instance arms a local timer for the rooms it serves; the sweeper
// catches what no live instance armed. Expiry itself is decided by the
// store's conditional update, exactly once across instances.

func timerData(t store.Timer, now time.Time) timerEvent {
	e := timerEvent{TimerID: t.ID, Scope: t.Scope, Position: t.Position, CandidateID: t.CandidateID, State: t.State,
		DurationMS: t.DurationMS, RemainingMS: t.RemainingMS, ExtraMS: t.ExtraMS, Ended: t.Ended == 1, ServerNow: ts(now)}
	if t.State == store.TimerRunning {
		e.Deadline, e.DeadlineMS = ts(time.UnixMilli(t.DeadlineMS)), t.DeadlineMS
		e.RemainingMS = max(0, t.DeadlineMS-now.UnixMilli())
	}
	return e
}

func (e timerEvent) timer(interviewID int64) store.Timer {
	return store.Timer{ID: e.TimerID, InterviewID: interviewID, Scope: e.Scope, Position: e.Position, CandidateID: e.CandidateID,
		State: e.State, DurationMS: e.DurationMS, DeadlineMS: e.DeadlineMS, RemainingMS: e.RemainingMS, ExtraMS: e.ExtraMS, Ended: b2i(e.Ended)}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// appendTimerEvent appends a timer.* event to its audience.
func appendTimerEvent(rt *store.RoomTx, typ string, actor int64, ev timerEvent, t store.Timer) error {
	return rt.Append(typ, actor, timerAudience(t), ev)
}

// startTimer stores a running timer and appends timer.started.
func startTimer(ctx context.Context, rt *store.RoomTx, t store.Timer, actor int64) error {
	_, err := startTimerGet(ctx, rt, t, actor)
	return err
}

// startTimerGet is startTimer returning the timer as stored.
func startTimerGet(ctx context.Context, rt *store.RoomTx, t store.Timer, actor int64) (store.Timer, error) {
	t.State, t.DeadlineMS, t.RemainingMS = store.TimerRunning, rt.Now.UnixMilli()+t.DurationMS, 0
	t, err := rt.PutTimer(ctx, t)
	if err != nil {
		return t, err
	}
	return t, appendTimerEvent(rt, "timer.started", actor, timerData(t, rt.Now), t)
}

// startTimers starts the room's timer of a scope and position and, beside
// it, a personal one for each candidate with extra time, lasting that much
// longer.
func startTimers(ctx context.Context, rt *store.RoomTx, scope string, position int, durationMS, actor int64) error {
	if err := startTimer(ctx, rt, store.Timer{Scope: scope, Position: position, DurationMS: durationMS}, actor); err != nil {
		return err
	}
	cs, err := rt.TimerCandidates(ctx, scope, position)
	if err != nil {
		return err
	}
	// A candidate whose personal copy was made by an interviewer's action on
	// them alone gets it restarted too: it decides for them over the room's.
	for _, c := range cs {
		if extra := c.ExtraMS(durationMS); (extra != 0 && c.RevokedAt == nil) || c.Personal {
			t := store.Timer{Scope: scope, Position: position, CandidateID: c.ID, DurationMS: durationMS + extra, ExtraMS: extra}
			if err := startTimer(ctx, rt, t, actor); err != nil {
				return err
			}
		}
	}
	return nil
}

// expire tries to expire t. Any instance may try, as often as it likes: the
// database's conditional update lets exactly one succeed, and only the
// winner publishes timer.expired. A timer that fires before the database's
// clock reaches its deadline (this instance's clock runs fast) is left to
// the sweeper, which asks on the database's clock.
func (h *Hub) expire(t store.Timer) {
	h.expiryAttempts.Add(1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	evs, err := h.store.ExpireTimer(ctx, t, func(t store.Timer, now time.Time) (string, any) {
		return timerAudience(t), timerData(t, now)
	})
	if err != nil {
		h.log.Error("expire timer", slog.Int64("timer_id", t.ID), slog.Int64("interview_id", t.InterviewID), slog.Any("error", err))
		return
	}
	h.publish(evs)
}

// setTimer records a timer's state and arms or disarms its local expiry.
// Caller holds r.mu.
func (r *Room) setTimer(t store.Timer) { r.armTimer(t, 0) }

// armTimer is setTimer with the expiry tried late after the deadline: a
// backup's BackupDelay, for a timer another instance arms too.
func (r *Room) armTimer(t store.Timer, late time.Duration) {
	r.timers[keyOf(t)] = t
	r.disarm(t.ID)
	if t.State != store.TimerRunning {
		return
	}
	wait := time.Until(time.UnixMilli(t.DeadlineMS)) + late
	r.armed[t.ID] = time.AfterFunc(max(wait, 0), func() { r.hub.tasks.run("expire timer", func() { r.hub.expire(t) }) })
}

func (r *Room) disarm(id int64) {
	if a, ok := r.armed[id]; ok {
		a.Stop()
		delete(r.armed, id)
	}
}

// sweepLoop expires due timers that no local room armed: those of rooms no
// instance serves, or whose arming instance died. Expiry is then late by
// at most SweepEvery.
func (h *Hub) sweepLoop() {
	t := time.NewTicker(h.cfg.SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		due, err := h.store.DueTimers(ctx, 500)
		cancel()
		if err != nil {
			h.log.Error("sweep timers", slog.Any("error", err))
			continue
		}
		for _, d := range due {
			h.expire(d)
		}
	}
}
