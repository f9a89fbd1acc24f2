package store

import (
	"context"
	"io/fs"

	"github.com/jmoiron/sqlx"
	"github.com/pressly/goose/v3"

	acesql "github.com/ace-interviews/ace/sql"
)

// BulkLoadForTest runs fn in one write transaction with an exec of raw SQL
// (? placeholders): benchmarks load data sets far faster than the domain
// steps would.
func (s *Store) BulkLoadForTest(ctx context.Context, fn func(exec func(query string, args ...any) error) error) error {
	return s.tx(ctx, func(tx *sqlx.Tx) error {
		return fn(func(query string, args ...any) error {
			_, err := tx.ExecContext(ctx, s.q(query), args...)
			return err
		})
	})
}

// RefreshReviewEntriesForTest rewrites every interview's review_entries
// rows after a bulk load.
func (s *Store) RefreshReviewEntriesForTest(ctx context.Context) error {
	return s.tx(ctx, func(tx *sqlx.Tx) error {
		var ids []int64
		if err := tx.SelectContext(ctx, &ids, `SELECT id FROM interviews WHERE status = 'ended'`); err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.refreshReviewEntries(ctx, tx, id, 0); err != nil {
				return err
			}
		}
		return nil
	})
}

// AnalyzeForTest updates the planner's statistics (PostgreSQL's autovacuum
// does so shortly after a bulk load; SQLite only when asked).
func (s *Store) AnalyzeForTest(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, `ANALYZE`)
	return err
}

// MigrateToForTest applies the migrations up to version only.
func (s *Store) MigrateToForTest(ctx context.Context, version int64) error {
	dir, err := fs.Sub(acesql.FS, string(s.dialect))
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, s.w.DB, dir, goose.WithAllowOutofOrder(true))
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}
