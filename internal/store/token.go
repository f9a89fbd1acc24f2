package store

import (
	"context"
	"fmt"
	"time"
)

// CreateAPIToken stores the hash of a new personal API token of a user.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, tokenHash string) error {
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)`),
		userID, tokenHash, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("store: create api token: %w", err)
	}
	return nil
}

// UserByAPIToken returns the owner of a live token; ErrNotFound otherwise.
func (s *Store) UserByAPIToken(ctx context.Context, tokenHash string) (User, error) {
	var u User
	err := s.r.GetContext(ctx, &u, s.q(`SELECT u.id, u.email, u.name, u.role, u.password_hash, u.created_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL`), tokenHash)
	if err != nil {
		return u, fmt.Errorf("store: user by api token: %w", notFound(err))
	}
	return u, nil
}

// RevokeAPITokens revokes every token of a user.
func (s *Store) RevokeAPITokens(ctx context.Context, userID int64) error {
	_, err := s.w.ExecContext(ctx, s.q(`UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`), time.Now().UTC(), userID)
	if err != nil {
		return fmt.Errorf("store: revoke api tokens: %w", err)
	}
	return nil
}
