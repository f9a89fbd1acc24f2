package store

import (
	"context"
	"io/fs"
)

// MigrateFS applies the migrations of dir, for tests of the migration order.
func (s *Store) MigrateFS(ctx context.Context, dir fs.FS) (int, error) { return s.migrate(ctx, dir) }

// RawExec and RawGet run one ?-query on the writer, for tests that set up
// rows as an older schema held them.
func (s *Store) RawExec(ctx context.Context, query string, args ...any) error {
	_, err := s.w.ExecContext(ctx, s.q(query), args...)
	return err
}

func (s *Store) RawGet(ctx context.Context, dest any, query string, args ...any) error {
	return s.w.GetContext(ctx, dest, s.q(query), args...)
}

// UnprepareHot drops the prepared hot statements, so a benchmark can run
// their text beside them.
func (s *Store) UnprepareHot() { s.closeHot() }

// HotPrepared reports how many hot statements are prepared, of how many.
func (s *Store) HotPrepared() (prepared, all int) {
	if p := s.hot.stmts.Load(); p != nil {
		for _, st := range *p {
			if st != nil {
				prepared++
			}
		}
	}
	return prepared, len(hotText)
}
