package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Roles of staff accounts.
const (
	RoleAdmin       = "admin"
	RoleInterviewer = "interviewer"
	RoleReviewer    = "reviewer"
)

// ValidRole reports whether r is one of the staff roles.
func ValidRole(r string) bool {
	return r == RoleAdmin || r == RoleInterviewer || r == RoleReviewer
}

// User is a staff account.
type User struct {
	ID           int64      `db:"id" json:"id"`
	Email        string     `db:"email" json:"email"`
	Name         string     `db:"name" json:"name"`
	Role         string     `db:"role" json:"role"`
	PasswordHash string     `db:"password_hash" json:"-"`
	CreatedAt    time.Time  `db:"created_at" json:"created_at"`
	DisabledAt   *time.Time `db:"disabled_at" json:"disabled_at,omitempty"`
	// SessionsRevokedAt ends every session that began before it (set when
	// the account is disabled).
	SessionsRevokedAt *time.Time `db:"sessions_revoked_at" json:"-"`
}

// Disabled reports whether the account may not log in or use its tokens.
func (u User) Disabled() bool { return u.DisabledAt != nil }

const userCols = `id, email, name, role, password_hash, created_at, disabled_at, sessions_revoked_at`

// ErrLastAdmin refuses to demote or disable the only enabled admin.
var ErrLastAdmin = errors.New("the last admin keeps the admin role")

// NormalizeEmail is how emails are compared and stored.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// CreateUser adds a staff account; ErrConflict when the email is taken.
func (s *Store) CreateUser(ctx context.Context, email, name, role, passwordHash string) (User, error) {
	var u User
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		return s.createUser(ctx, tx, &u, email, name, role, passwordHash)
	})
	if err != nil {
		return User{}, fmt.Errorf("store: create user: %w", err)
	}
	return u, nil
}

func (s *Store) createUser(ctx context.Context, tx *sqlx.Tx, u *User, email, name, role, hash string) error {
	email = NormalizeEmail(email)
	var n int
	if err := tx.GetContext(ctx, &n, s.q(`SELECT count(*) FROM users WHERE email = ?`), email); err != nil {
		return err
	}
	if n > 0 {
		return ErrConflict
	}
	if err := tx.GetContext(ctx, &u.ID, s.q(`INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
		email, strings.TrimSpace(name), role, hash, time.Now().UTC()); err != nil {
		return err
	}
	return tx.GetContext(ctx, u, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), u.ID)
}

// UserByEmail returns the account with that email or ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.r.GetContext(ctx, &u, s.q(`SELECT `+userCols+` FROM users WHERE email = ?`), NormalizeEmail(email))
	if err != nil {
		return u, fmt.Errorf("store: user by email: %w", notFound(err))
	}
	return u, nil
}

// UserByID returns the account or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.r.GetContext(ctx, &u, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id)
	if err != nil {
		return u, fmt.Errorf("store: user %d: %w", id, notFound(err))
	}
	return u, nil
}

// ListUsers returns every staff account by email.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	us := []User{}
	if err := s.r.SelectContext(ctx, &us, `SELECT `+userCols+` FROM users ORDER BY email`); err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	return us, nil
}

// CountUsers returns the number of staff accounts.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.w.GetContext(ctx, &n, `SELECT count(*) FROM users`); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// SetUserRole changes a role and reports whether it changed. It refuses
// (ErrLastAdmin) to demote the last enabled admin, which would leave nobody
// able to manage accounts.
func (s *Store) SetUserRole(ctx context.Context, id int64, role string) (changed bool, err error) {
	err = s.tx(ctx, func(tx *sqlx.Tx) error {
		var u User
		if err := tx.GetContext(ctx, &u, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id); err != nil {
			return notFound(err)
		}
		if u.Role == role {
			return nil
		}
		if u.Role == RoleAdmin && !u.Disabled() {
			if err := s.keepAnAdmin(ctx, tx); err != nil {
				return err
			}
		}
		changed = true
		_, err := tx.ExecContext(ctx, s.q(`UPDATE users SET role = ? WHERE id = ?`), role, id)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: set role of user %d: %w", id, err)
	}
	return changed, nil
}

// keepAnAdmin returns ErrLastAdmin unless another enabled admin remains when
// one enabled admin stops being one.
func (s *Store) keepAnAdmin(ctx context.Context, tx *sqlx.Tx) error {
	var admins int
	if err := tx.GetContext(ctx, &admins, s.q(`SELECT count(*) FROM users WHERE role = ? AND disabled_at IS NULL`), RoleAdmin); err != nil {
		return err
	}
	if admins <= 1 {
		return ErrLastAdmin
	}
	return nil
}

// SetUserDisabled disables an account (keeping the first time it was
// disabled), which also ends its sessions for good, or enables it again; it
// returns the account as it now is. Disabling the last enabled admin is
// refused with ErrLastAdmin.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool) (User, error) {
	var u User
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &u, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id); err != nil {
			return notFound(err)
		}
		if disabled == u.Disabled() {
			return nil
		}
		if disabled && u.Role == RoleAdmin {
			if err := s.keepAnAdmin(ctx, tx); err != nil {
				return err
			}
		}
		at := time.Now().UTC()
		var err error
		if disabled {
			_, err = tx.ExecContext(ctx, s.q(`UPDATE users SET disabled_at = ?, sessions_revoked_at = ? WHERE id = ?`), at, at, id)
		} else {
			_, err = tx.ExecContext(ctx, s.q(`UPDATE users SET disabled_at = NULL WHERE id = ?`), id)
		}
		if err != nil {
			return err
		}
		return tx.GetContext(ctx, &u, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id)
	})
	if err != nil {
		return User{}, fmt.Errorf("store: set user %d disabled=%t: %w", id, disabled, err)
	}
	return u, nil
}

// SetUserPassword replaces a password hash.
func (s *Store) SetUserPassword(ctx context.Context, id int64, hash string) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE users SET password_hash = ? WHERE id = ?`), hash, id)
	if err != nil {
		return fmt.Errorf("store: set password of user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: set password of user %d: %w", id, ErrNotFound)
	}
	return nil
}

// SetSetupToken records the hash of the one live first-admin setup token,
// replacing any earlier one.
func (s *Store) SetSetupToken(ctx context.Context, hash string) error {
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM setup_tokens`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)`), hash, time.Now().UTC())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set setup token: %w", err)
	}
	return nil
}

// SetupTokenValid reports whether hash is the live setup token and no user exists yet.
func (s *Store) SetupTokenValid(ctx context.Context, hash string) (bool, error) {
	var n int
	err := s.r.GetContext(ctx, &n, s.q(`SELECT count(*) FROM setup_tokens WHERE token_hash = ? AND NOT EXISTS (SELECT 1 FROM users)`), hash)
	if err != nil {
		return false, fmt.Errorf("store: check setup token: %w", err)
	}
	return n == 1, nil
}

// CreateFirstAdmin consumes the setup token and creates the first admin in one
// transaction; ErrNotFound when the token is not live or a user already exists.
func (s *Store) CreateFirstAdmin(ctx context.Context, tokenHash, email, name, passwordHash string) (User, error) {
	var u User
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM setup_tokens WHERE token_hash = ? AND NOT EXISTS (SELECT 1 FROM users)`), tokenHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		return s.createUser(ctx, tx, &u, email, name, RoleAdmin, passwordHash)
	})
	if err != nil {
		return User{}, fmt.Errorf("store: create first admin: %w", err)
	}
	return u, nil
}
