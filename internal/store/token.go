package store

import (
	"context"
	"fmt"
	"time"
)

// APIToken is a personal API token as listed: never the token itself, which
// is shown once and stored only as its hash.
type APIToken struct {
	ID         int64      `db:"id" json:"id"`
	UserID     int64      `db:"user_id" json:"user_id"`
	Name       string     `db:"name" json:"name"`
	CreatedAt  time.Time  `db:"created_at" json:"created_at"`
	LastUsedAt *time.Time `db:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `db:"revoked_at" json:"revoked_at,omitempty"`
}

const tokenCols = `id, user_id, name, created_at, last_used_at, revoked_at`

// tokenUseGranularity bounds the writes that keep last_used_at: a client
// making many requests a second writes it once a minute, not every time.
const tokenUseGranularity = time.Minute

// CreateAPIToken stores the hash of a new personal API token of a user.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, tokenHash string) error {
	_, err := s.CreateNamedAPIToken(ctx, userID, "", tokenHash)
	return err
}

// CreateNamedAPIToken stores the hash of a new token with a label that
// helps its owner tell their tokens apart in a listing.
func (s *Store) CreateNamedAPIToken(ctx context.Context, userID int64, name, tokenHash string) (APIToken, error) {
	var t APIToken
	err := s.w.GetContext(ctx, &t, s.q(`INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING `+tokenCols),
		userID, name, tokenHash, time.Now().UTC())
	if err != nil {
		return t, fmt.Errorf("store: create api token: %w", err)
	}
	return t, nil
}

// UserByAPIToken returns the owner of a live token of an enabled account;
// ErrNotFound otherwise. It records when the token was last used.
func (s *Store) UserByAPIToken(ctx context.Context, tokenHash string) (User, error) {
	var row struct {
		User
		TokenID  int64      `db:"token_id"`
		LastUsed *time.Time `db:"token_last_used_at"`
	}
	err := s.r.GetContext(ctx, &row, s.q(`SELECT u.id, u.email, u.name, u.role, u.password_hash, u.created_at, u.disabled_at, u.sessions_revoked_at,
		t.id AS token_id, t.last_used_at AS token_last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`), tokenHash)
	if err != nil {
		return User{}, fmt.Errorf("store: user by api token: %w", notFound(err))
	}
	now := time.Now().UTC()
	if row.LastUsed == nil || now.Sub(*row.LastUsed) >= tokenUseGranularity {
		if _, err := s.w.ExecContext(ctx, s.q(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`), now, row.TokenID); err != nil {
			return User{}, fmt.Errorf("store: note use of api token %d: %w", row.TokenID, err)
		}
	}
	return row.User, nil
}

// APITokens lists a user's tokens, revoked ones included, newest first.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	ts := []APIToken{}
	if err := s.r.SelectContext(ctx, &ts, s.q(`SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`), userID); err != nil {
		return nil, fmt.Errorf("store: api tokens of user %d: %w", userID, err)
	}
	return ts, nil
}

// AllAPITokens lists every token, revoked ones included, by user then
// newest first: the admin page shows them under each account.
func (s *Store) AllAPITokens(ctx context.Context) ([]APIToken, error) {
	ts := []APIToken{}
	if err := s.r.SelectContext(ctx, &ts, `SELECT `+tokenCols+` FROM api_tokens ORDER BY user_id, id DESC`); err != nil {
		return nil, fmt.Errorf("store: api tokens: %w", err)
	}
	return ts, nil
}

// RevokeAPIToken revokes one token and returns it (revoking twice keeps the
// first time); ErrNotFound if there is no such token.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64) (APIToken, error) {
	if _, err := s.w.ExecContext(ctx, s.q(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`), time.Now().UTC(), id); err != nil {
		return APIToken{}, fmt.Errorf("store: revoke api token %d: %w", id, err)
	}
	var t APIToken
	if err := s.w.GetContext(ctx, &t, s.q(`SELECT `+tokenCols+` FROM api_tokens WHERE id = ?`), id); err != nil {
		return t, fmt.Errorf("store: revoke api token %d: %w", id, notFound(err))
	}
	return t, nil
}

// RevokeAPITokens revokes every live token of a user and returns how many.
func (s *Store) RevokeAPITokens(ctx context.Context, userID int64) (int, error) {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`), time.Now().UTC(), userID)
	if err != nil {
		return 0, fmt.Errorf("store: revoke api tokens of user %d: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
