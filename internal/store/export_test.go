package store

import (
	"context"
	"io/fs"
)

// MigrateFS applies the migrations of dir, for tests of the migration order.
func (s *Store) MigrateFS(ctx context.Context, dir fs.FS) (int, error) { return s.migrate(ctx, dir) }
