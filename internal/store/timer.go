package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
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
	// ExtraMS is how much of a personal timer's duration is the candidate's extra time.
	ExtraMS int64 `db:"extra_ms" json:"extra_ms,omitempty"`
	// Ended marks a candidate's exam ended by an interviewer (1), which a
	// room-wide extend does not reopen.
	Ended int `db:"ended" json:"ended,omitempty"`
}

const timerCols = `id, interview_id, scope, position, candidate_id, state, duration_ms, deadline_ms, remaining_ms, extra_ms, ended`

// RoomTimers returns an interview's timers outside a transaction.
func (s *Store) RoomTimers(ctx context.Context, interviewID int64) ([]Timer, error) {
	ts := []Timer{}
	if err := s.r.SelectContext(ctx, &ts, s.q(`SELECT `+timerCols+` FROM timers WHERE interview_id = ? ORDER BY id`), interviewID); err != nil {
		return nil, fmt.Errorf("store: timers: %w", err)
	}
	return ts, nil
}

// DueTimers returns running timers whose deadline has passed by the
// database's clock (the sweeper's one indexed query).
func (s *Store) DueTimers(ctx context.Context, limit int) ([]Timer, error) {
	ts := []Timer{}
	err := s.r.SelectContext(ctx, &ts, s.q(`SELECT `+timerCols+` FROM timers WHERE state = ? AND deadline_ms <= `+s.nowMS()+` ORDER BY deadline_ms LIMIT ?`),
		TimerRunning, limit)
	if err != nil {
		return nil, fmt.Errorf("store: due timers: %w", err)
	}
	return ts, nil
}

// ExpireTimer is the exactly-once decision: the conditional update, against
// the database's clock, succeeds for one caller only across every instance,
// and that caller appends timer.expired in the same transaction. Others get
// no events. event gives the event's audience and data (the room decides both).
func (s *Store) ExpireTimer(ctx context.Context, t Timer, event func(Timer, time.Time) (audience string, data any)) ([]Event, error) {
	evs, err := s.InRoom(ctx, t.InterviewID, func(rt *RoomTx) error {
		// One round trip decides and reads the expired timer back.
		err := rt.tx.GetContext(ctx, &t, rt.q(`UPDATE timers SET state = ?, remaining_ms = 0 WHERE id = ? AND state = ? AND deadline_ms <= ? RETURNING `+timerCols),
			TimerExpired, t.ID, TimerRunning, rt.Now.UnixMilli())
		if errors.Is(err, sql.ErrNoRows) {
			return nil // not due on the database's clock, or already expired, paused or gone
		}
		if err != nil {
			return err
		}
		audience, data := event(t, rt.Now)
		return rt.Append("timer.expired", 0, audience, data)
	})
	if err != nil {
		return nil, fmt.Errorf("store: expire timer %d: %w", t.ID, err)
	}
	return evs, nil
}
