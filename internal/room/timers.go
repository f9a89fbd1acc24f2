package room

import (
	"context"
	"log/slog"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// timerEvent is the data of every timer.* event and of the welcome's
// timers: the deadline is absolute, and server_now lets a client draw the
// countdown with its clock offset (no per-second ticks are sent).
type timerEvent struct {
	TimerID     int64  `json:"timer_id"`
	Scope       string `json:"scope"`
	Position    int    `json:"position"`
	CandidateID int64  `json:"candidate_id,omitempty"`
	State       string `json:"state"`
	DurationMS  int64  `json:"duration_ms"`
	Deadline    string `json:"deadline,omitempty"`
	DeadlineMS  int64  `json:"deadline_ms,omitempty"`
	RemainingMS int64  `json:"remaining_ms"`
	ServerNow   string `json:"server_now"`
	AddedMS     int64  `json:"added_ms,omitempty"`
}

func timerData(t store.Timer, now time.Time) timerEvent {
	e := timerEvent{TimerID: t.ID, Scope: t.Scope, Position: t.Position, CandidateID: t.CandidateID, State: t.State,
		DurationMS: t.DurationMS, RemainingMS: t.RemainingMS, ServerNow: ts(now)}
	if t.State == store.TimerRunning {
		e.Deadline, e.DeadlineMS = ts(time.UnixMilli(t.DeadlineMS)), t.DeadlineMS
		e.RemainingMS = max(0, t.DeadlineMS-now.UnixMilli())
	}
	return e
}

func (e timerEvent) timer(interviewID int64) store.Timer {
	return store.Timer{ID: e.TimerID, InterviewID: interviewID, Scope: e.Scope, Position: e.Position, CandidateID: e.CandidateID,
		State: e.State, DurationMS: e.DurationMS, DeadlineMS: e.DeadlineMS, RemainingMS: e.RemainingMS}
}

// expire tries to expire t. Any instance may try, as often as it likes: the
// database's conditional update lets exactly one succeed, and only the
// winner publishes timer.expired.
func (h *Hub) expire(t store.Timer) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	now := h.now()
	evs, err := h.store.ExpireTimer(ctx, t, now.UnixMilli(), func(t store.Timer) any { return timerData(t, now) })
	if err != nil {
		h.log.Warn("expire timer", slog.Int64("timer_id", t.ID), slog.Any("error", err))
		return
	}
	h.publish(evs)
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
		due, err := h.store.DueTimers(ctx, h.now().UnixMilli(), 500)
		cancel()
		if err != nil {
			h.log.Warn("sweep timers", slog.Any("error", err))
			continue
		}
		for _, d := range due {
			h.expire(d)
		}
	}
}
