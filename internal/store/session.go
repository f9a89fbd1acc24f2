package store

import (
	"context"
	"fmt"
	"time"
)

// SessionStorage is fiber.Storage over the sessions table, so login sessions
// survive restarts and are shared by every instance (STACK.md §11).
type SessionStorage struct{ s *Store }

// Sessions returns the store's fiber.Storage for login sessions.
func (s *Store) Sessions() *SessionStorage { return &SessionStorage{s: s} }

// Get returns the value of key, or nil when missing or expired.
func (ss *SessionStorage) Get(key string) ([]byte, error) {
	var v []byte
	err := ss.s.r.Get(&v, ss.s.q(`SELECT v FROM sessions WHERE k = ? AND (expires_at = 0 OR expires_at > ?)`), key, time.Now().Unix())
	if err != nil {
		if notFound(err) == ErrNotFound {
			return nil, nil
		}
		return nil, fmt.Errorf("store: get session: %w", err)
	}
	return v, nil
}

// Set stores val under key for exp (0 means no expiry).
func (ss *SessionStorage) Set(key string, val []byte, exp time.Duration) error {
	var expires int64
	if exp != 0 {
		expires = time.Now().Add(exp).Unix()
	}
	_, err := ss.s.w.Exec(ss.s.q(`INSERT INTO sessions (k, v, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (k) DO UPDATE SET v = excluded.v, expires_at = excluded.expires_at`), key, val, expires)
	if err != nil {
		return fmt.Errorf("store: set session: %w", err)
	}
	return nil
}

// Delete removes key.
func (ss *SessionStorage) Delete(key string) error {
	if _, err := ss.s.w.Exec(ss.s.q(`DELETE FROM sessions WHERE k = ?`), key); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// Reset removes every session.
func (ss *SessionStorage) Reset() error {
	if _, err := ss.s.w.Exec(`DELETE FROM sessions`); err != nil {
		return fmt.Errorf("store: reset sessions: %w", err)
	}
	return nil
}

// Close is a no-op: the store owns the database handle.
func (ss *SessionStorage) Close() error { return nil }

// PurgeExpiredSessions deletes expired sessions; the server calls it periodically.
func (s *Store) PurgeExpiredSessions(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE expires_at <> 0 AND expires_at <= ?`), time.Now().Unix())
	if err != nil {
		return fmt.Errorf("store: purge sessions: %w", err)
	}
	return nil
}
