// Package store is Ace's database access: one set of queries through sqlx,
// written with ? placeholders and rebound for each dialect.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // PostgreSQL driver "postgres"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite"

	acesql "github.com/ace-interviews/ace/sql"
)

func init() {
	// sqlx knows lib/pq's name but not modernc's.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// Dialect names a supported database.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Sentinel errors that callers act on (the web layer maps them to statuses).
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// Store holds two handles: w for writes and r for reads. On SQLite w is a
// single connection with immediate transactions (one writer, no "database is
// locked" under load) and r a pool of readers; on PostgreSQL both are one pool.
type Store struct {
	w, r    *sqlx.DB
	dialect Dialect
	hot     hotSet // the room's statements, prepared (hot.go)
}

// Dialect reports which database the store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// Open connects to databaseURL, or to the SQLite file <dataDir>/ace.db when it is empty.
func Open(ctx context.Context, databaseURL, dataDir string) (*Store, error) {
	if databaseURL == "" {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create data dir: %w", err)
		}
		return OpenSQLite(ctx, filepath.Join(dataDir, "ace.db"))
	}
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		return OpenPostgres(ctx, databaseURL)
	}
	return nil, fmt.Errorf("store: unsupported database URL %q (want postgres://...)", redact(databaseURL))
}

// OpenPostgres connects to PostgreSQL through lib/pq.
func OpenPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sqlx.Open("postgres", withBinaryParameters(dsn))
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to postgres %s: %w", redact(dsn), err)
	}
	return &Store{w: db, r: db, dialect: Postgres}, nil
}

// withBinaryParameters turns on lib/pq's binary_parameters unless the URL
// sets it: a statement with arguments then goes out as one
// Parse/Bind/Describe/Execute/Sync, one round trip, instead of a Parse and
// Describe round trip before the Bind and Execute one. A room action runs
// several statements in a row, so this halves what it waits for. The only
// other effect is that []byte arguments travel in binary format, which is
// what BYTEA (sessions) and TEXT (raw JSON) take as they are.
func withBinaryParameters(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // sqlx.Open reports it
	}
	q := u.Query()
	if q.Has("binary_parameters") {
		return dsn
	}
	q.Set("binary_parameters", "yes")
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenSQLite opens (creating if needed) the SQLite database file at path.
func OpenSQLite(ctx context.Context, path string) (*Store, error) {
	// Pragmas go in the DSN so every pooled connection gets them (STACK.md §9).
	pragmas := "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32000)"
	w, err := sqlx.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	r, err := sqlx.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite readers: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return &Store{w: w, r: r, dialect: SQLite}, nil
}

// Close closes both handles.
func (s *Store) Close() error {
	s.closeHot()
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Ping checks that the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Migrate applies every pending migration, then prepares the room's hot
// statements (hot.go). On PostgreSQL a session advisory lock serialises
// instances that start at once, so only one of them migrates.
func (s *Store) Migrate(ctx context.Context) (applied int, err error) {
	dir, err := fs.Sub(acesql.FS, string(s.dialect))
	if err != nil {
		return 0, fmt.Errorf("store: migrations: %w", err)
	}
	if applied, err = s.migrate(ctx, dir); err != nil {
		return applied, err
	}
	return applied, s.prepareHot(ctx)
}

// migrate applies the migrations of dir that the database lacks, older
// ones included: migrations are written on branches at the same time, so a
// database may hold 7 before 6 reaches it (a build of the branch that wrote
// 7 ran against it). Migrations written side by side must therefore not
// depend on each other; goose applies the missing older ones first.
func (s *Store) migrate(ctx context.Context, dir fs.FS) (applied int, err error) {
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true)}
	dialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return 0, fmt.Errorf("store: migration locker: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, s.w.DB, dir, opts...)
	if err != nil {
		return 0, fmt.Errorf("store: migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	return len(res), nil
}

// tx runs fn in one write transaction, committing when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sqlx.Tx) error) error {
	tx, err := s.w.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// insertRows runs "head VALUES tuple, tuple, … tail" for n rows, per rows a
// statement (under both dialects' parameter limits); args gives row i's values.
func (s *Store) insertRows(ctx context.Context, tx *sqlx.Tx, head, tuple, tail string, n, per int, args func(i int) []any) error {
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		var sb strings.Builder
		vals := make([]any, 0, (end-start)*strings.Count(tuple, "?"))
		sb.WriteString(head + " VALUES ")
		for i := start; i < end; i++ {
			if i > start {
				sb.WriteString(", ")
			}
			sb.WriteString(tuple)
			vals = append(vals, args(i)...)
		}
		sb.WriteString(tail)
		if _, err := tx.ExecContext(ctx, s.q(sb.String()), vals...); err != nil {
			return err
		}
	}
	return nil
}

// q rebinds a ?-placeholder query for the store's dialect.
func (s *Store) q(query string) string { return s.w.Rebind(query) }

// notFound turns sql.ErrNoRows into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// redact hides the password in a database URL for logs and errors.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
