package store

import (
	"context"
	"fmt"
	"time"
)

// RequestKick asks the serving instances to close a staff user's sockets.
// The ace command uses it: it changes accounts in the database but has no
// hub to close sockets with, so an instance claims the request (ClaimKicks).
func (s *Store) RequestKick(ctx context.Context, userID int64) error {
	if _, err := s.w.ExecContext(ctx, s.q(`INSERT INTO access_kicks (user_id, created_at) VALUES (?, ?)`), userID, time.Now().UTC()); err != nil {
		return fmt.Errorf("store: request kick of user %d: %w", userID, err)
	}
	return nil
}

// ClaimKicks removes and returns the pending kick requests. Each is claimed
// by exactly one instance, which closes the user's sockets everywhere.
func (s *Store) ClaimKicks(ctx context.Context) ([]int64, error) {
	// A cheap read first: on SQLite the delete would take the one writer
	// every second even when nothing is pending.
	var pending bool
	if err := s.r.GetContext(ctx, &pending, `SELECT EXISTS (SELECT 1 FROM access_kicks)`); err != nil {
		return nil, fmt.Errorf("store: pending kicks: %w", err)
	}
	if !pending {
		return nil, nil
	}
	var ids []int64
	if err := s.w.SelectContext(ctx, &ids, `DELETE FROM access_kicks RETURNING user_id`); err != nil {
		return nil, fmt.Errorf("store: claim kicks: %w", err)
	}
	return ids, nil
}
