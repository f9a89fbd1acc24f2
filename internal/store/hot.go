package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/jmoiron/sqlx"
)

// A room's actions run the same few statements many times a second, each
// inside a transaction that holds the interview's lock. Sent as text, every
// one of them is parsed and planned again by PostgreSQL; prepared once, an
// execution is only Bind and Execute (about 85 µs less per statement on the
// 2-core test machine, docs/benchmarks.md). These are those statements.
//
// They are prepared by Migrate, once the tables exist, on the write pool:
// database/sql then prepares each again on every connection that first runs
// it inside a transaction, on that transaction's own connection, so no
// transaction ever waits for a second connection. Before Migrate, on
// SQLite (whose statements are parsed in-process) or if preparing failed,
// the text is run as it is.
type hotStmt int

// hotText holds each statement's text, with ? placeholders; sqlite is
// empty for a statement only PostgreSQL runs.
var hotText []struct{ postgres, sqlite string }

// hot registers a statement both dialects run as it is.
func hot(query string) hotStmt { return hotFor(query, query) }

// hotFor registers a statement whose text differs between the dialects.
func hotFor(postgres, sqlite string) hotStmt {
	hotText = append(hotText, struct{ postgres, sqlite string }{postgres, sqlite})
	return hotStmt(len(hotText) - 1)
}

func (s *Store) hotQuery(i hotStmt) string {
	if s.dialect == Postgres {
		return s.q(hotText[i].postgres)
	}
	return s.q(hotText[i].sqlite)
}

// hotSet holds the prepared statements by hotStmt; nil until Migrate
// prepares them (and on SQLite): run the text. Read on every statement of
// a room, replaced only by Migrate and Close, so a pointer swap, not a lock.
type hotSet struct {
	stmts atomic.Pointer[[]*sqlx.Stmt]
}

func (h *hotSet) get(i hotStmt) *sqlx.Stmt {
	if p := h.stmts.Load(); p != nil {
		return (*p)[i]
	}
	return nil
}

// prepareHot prepares the hot statements on PostgreSQL.
func (s *Store) prepareHot(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	stmts := make([]*sqlx.Stmt, len(hotText))
	for i := range hotText {
		st, err := s.w.PreparexContext(ctx, s.hotQuery(hotStmt(i)))
		if err != nil {
			for _, p := range stmts[:i] {
				_ = p.Close()
			}
			return fmt.Errorf("store: prepare %q: %w", firstLine(hotText[i].postgres), err)
		}
		stmts[i] = st
	}
	closeStmts(s.hot.stmts.Swap(&stmts))
	return nil
}

// closeHot drops the prepared statements (a transaction still using one
// keeps it until it ends: database/sql closes it after its last user).
func (s *Store) closeHot() { closeStmts(s.hot.stmts.Swap(nil)) }

func closeStmts(p *[]*sqlx.Stmt) {
	if p == nil {
		return
	}
	for _, st := range *p {
		_ = st.Close()
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// txStmt returns the hot statement bound to tx, or nil to run its text.
func (s *Store) txStmt(ctx context.Context, tx *sqlx.Tx, i hotStmt) *sqlx.Stmt {
	if st := s.hot.get(i); st != nil {
		return tx.StmtxContext(ctx, st)
	}
	return nil
}

func (s *Store) hotExec(ctx context.Context, tx *sqlx.Tx, i hotStmt, args ...any) (sql.Result, error) {
	if st := s.txStmt(ctx, tx, i); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, s.hotQuery(i), args...)
}

func (s *Store) hotGet(ctx context.Context, tx *sqlx.Tx, dest any, i hotStmt, args ...any) error {
	if st := s.txStmt(ctx, tx, i); st != nil {
		return st.GetContext(ctx, dest, args...)
	}
	return tx.GetContext(ctx, dest, s.hotQuery(i), args...)
}

func (s *Store) hotSelect(ctx context.Context, tx *sqlx.Tx, dest any, i hotStmt, args ...any) error {
	if st := s.txStmt(ctx, tx, i); st != nil {
		return st.SelectContext(ctx, dest, args...)
	}
	return tx.SelectContext(ctx, dest, s.hotQuery(i), args...)
}
