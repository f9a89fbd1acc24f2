package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Login attempts are counted in the database, so every instance sees the
// same counts: two instances must not allow twice the guesses. Three
// counters, each in a fixed window from its first attempt:
//   - the pair (account, address): a guesser is stopped without locking the
//     account's owner out of their own address;
//   - the address, across accounts: one address trying many accounts;
//   - the account, across addresses: many addresses trying one account.
//
// The web layer decides what the counts allow (internal/web/login_throttle.go).

// LoginWindows are how long each counter lasts from its first attempt.
type LoginWindows struct{ Pair, Address, Account time.Duration }

// LoginCounts are the attempts counted in each window, the current one included.
type LoginCounts struct{ Pair, Address, Account int }

// maxKeyEmail bounds the email in a key: longer ones are no account's
// (accounts have at most 254 characters) and must not make huge keys.
const maxKeyEmail = 254

type loginKey struct {
	k      string
	window time.Duration
	count  *int
	pair   bool
}

// loginKeys are the keys of one attempt; an empty email (the setup page)
// counts the address only. The address comes first in the pair: it never
// holds "|", so no two pairs share a key.
func loginKeys(email, addr string, w LoginWindows, c *LoginCounts) []loginKey {
	keys := []loginKey{{"a|" + addr, w.Address, &c.Address, false}}
	if email == "" {
		return keys
	}
	email = NormalizeEmail(email)
	if len(email) > maxKeyEmail {
		email = email[:maxKeyEmail]
	}
	return append(keys, loginKey{"p|" + addr + "|" + email, w.Pair, &c.Pair, true}, loginKey{"u|" + email, w.Account, &c.Account, false})
}

// CountLoginAttempt counts an attempt to log in to email from addr and
// returns the counts with it. It counts before the password is checked, so
// concurrent guesses cannot all pass a check that none has counted yet; a
// refused attempt is taken back (TakeBackLoginAttempt).
func (s *Store) CountLoginAttempt(ctx context.Context, email, addr string, w LoginWindows) (LoginCounts, error) {
	var c LoginCounts
	now := time.Now().UnixMilli()
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		for _, k := range loginKeys(email, addr, w, &c) {
			expired := now - k.window.Milliseconds()
			err := tx.GetContext(ctx, k.count, s.q(`INSERT INTO login_throttle (k, attempts, window_start) VALUES (?, 1, ?)
				ON CONFLICT (k) DO UPDATE SET
					attempts = CASE WHEN login_throttle.window_start <= ? THEN 1 ELSE login_throttle.attempts + 1 END,
					window_start = CASE WHEN login_throttle.window_start <= ? THEN excluded.window_start ELSE login_throttle.window_start END
				RETURNING attempts`), k.k, now, expired, expired)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return LoginCounts{}, fmt.Errorf("store: count login attempt: %w", err)
	}
	return c, nil
}

// TakeBackLoginAttempt uncounts an attempt that was refused before its
// password was checked: it guessed nothing.
func (s *Store) TakeBackLoginAttempt(ctx context.Context, email, addr string) error {
	return s.uncountLogin(ctx, email, addr, false)
}

// LoginSucceeded clears the pair's counter and uncounts the attempt from the
// address and the account, so people who log in often from one office
// address never add up to a lock.
func (s *Store) LoginSucceeded(ctx context.Context, email, addr string) error {
	return s.uncountLogin(ctx, email, addr, true)
}

func (s *Store) uncountLogin(ctx context.Context, email, addr string, clearPair bool) error {
	var c LoginCounts
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		for _, k := range loginKeys(email, addr, LoginWindows{}, &c) {
			q := `UPDATE login_throttle SET attempts = attempts - 1 WHERE k = ? AND attempts > 0`
			if clearPair && k.pair {
				q = `DELETE FROM login_throttle WHERE k = ?`
			}
			if _, err := tx.ExecContext(ctx, s.q(q), k.k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: uncount login attempt: %w", err)
	}
	return nil
}

// PurgeLoginThrottle deletes counters whose window started before before.
func (s *Store) PurgeLoginThrottle(ctx context.Context, before time.Time) error {
	if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM login_throttle WHERE window_start < ?`), before.UnixMilli()); err != nil {
		return fmt.Errorf("store: purge login throttle: %w", err)
	}
	return nil
}
