package store

import (
	"context"
	"fmt"
)

// Timer states.
const (
	TimerRunning = "running"
	TimerPaused  = "paused"
	TimerExpired = "expired"
)

// Timer is a server-authoritative countdown. Times are Unix milliseconds:
// a running timer has a deadline, a paused one the time it had left.
type Timer struct {
	ID          int64  `db:"id" json:"id"`
	InterviewID int64  `db:"interview_id" json:"-"`
	Scope       string `db:"scope" json:"scope"`
	Position    int    `db:"position" json:"position"`
	CandidateID int64  `db:"candidate_id" json:"candidate_id,omitempty"`
	State       string `db:"state" json:"state"`
	DurationMS  int64  `db:"duration_ms" json:"duration_ms"`
	DeadlineMS  int64  `db:"deadline_ms" json:"deadline_ms"`
	RemainingMS int64  `db:"remaining_ms" json:"remaining_ms"`
}

const timerCols = `id, interview_id, scope, position, candidate_id, state, duration_ms, deadline_ms, remaining_ms`

// Timers returns the interview's timers as of this transaction.
func (rt *RoomTx) Timers(ctx context.Context) ([]Timer, error) {
	ts := []Timer{}
	err := rt.SelectContext(ctx, &ts, rt.Q(`SELECT `+timerCols+` FROM timers WHERE interview_id = ? ORDER BY id`), rt.ID)
	return ts, err
}

// PutTimer inserts or replaces the timer of (scope, position, candidate) and returns it with its id.
func (rt *RoomTx) PutTimer(ctx context.Context, t Timer) (Timer, error) {
	t.InterviewID = rt.ID
	err := rt.GetContext(ctx, &t.ID, rt.Q(`INSERT INTO timers (interview_id, scope, position, candidate_id, state, duration_ms, deadline_ms, remaining_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (interview_id, scope, position, candidate_id) DO UPDATE SET state = excluded.state, duration_ms = excluded.duration_ms,
		deadline_ms = excluded.deadline_ms, remaining_ms = excluded.remaining_ms RETURNING id`),
		t.InterviewID, t.Scope, t.Position, t.CandidateID, t.State, t.DurationMS, t.DeadlineMS, t.RemainingMS)
	return t, err
}

// RoomTimers returns an interview's timers outside a transaction.
func (s *Store) RoomTimers(ctx context.Context, interviewID int64) ([]Timer, error) {
	ts := []Timer{}
	if err := s.r.SelectContext(ctx, &ts, s.q(`SELECT `+timerCols+` FROM timers WHERE interview_id = ? ORDER BY id`), interviewID); err != nil {
		return nil, fmt.Errorf("store: timers: %w", err)
	}
	return ts, nil
}

// DueTimers returns running timers whose deadline has passed (the sweeper's one indexed query).
func (s *Store) DueTimers(ctx context.Context, nowMS int64, limit int) ([]Timer, error) {
	ts := []Timer{}
	err := s.r.SelectContext(ctx, &ts, s.q(`SELECT `+timerCols+` FROM timers WHERE state = ? AND deadline_ms <= ? ORDER BY deadline_ms LIMIT ?`),
		TimerRunning, nowMS, limit)
	if err != nil {
		return nil, fmt.Errorf("store: due timers: %w", err)
	}
	return ts, nil
}

// ExpireTimer is the exactly-once decision: the conditional update succeeds
// for one caller only, across every instance, and that caller appends
// timer.expired in the same transaction. Others get no events.
func (s *Store) ExpireTimer(ctx context.Context, t Timer, nowMS int64, data func(Timer) any) ([]Event, error) {
	evs, err := s.InRoom(ctx, t.InterviewID, func(rt *RoomTx) error {
		res, err := rt.ExecContext(ctx, rt.Q(`UPDATE timers SET state = ?, remaining_ms = 0 WHERE id = ? AND state = ? AND deadline_ms <= ?`),
			TimerExpired, t.ID, TimerRunning, nowMS)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		if err := rt.GetContext(ctx, &t, rt.Q(`SELECT `+timerCols+` FROM timers WHERE id = ?`), t.ID); err != nil {
			return err
		}
		audience := AudienceAll
		if t.CandidateID != 0 {
			audience = CandidateAudience(t.CandidateID)
		}
		return rt.Append("timer.expired", 0, audience, data(t))
	})
	if err != nil {
		return nil, fmt.Errorf("store: expire timer %d: %w", t.ID, err)
	}
	return evs, nil
}
