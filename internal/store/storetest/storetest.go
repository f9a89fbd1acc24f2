// Package storetest gives tests a fresh, migrated store on SQLite and on a
// real PostgreSQL, each test in a database of its own.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/ace-interviews/ace/internal/store"
)

// DefaultPostgresURL is used when ACE_TEST_DATABASE_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL is the server tests create their databases on.
func PostgresURL() string {
	if u := os.Getenv("ACE_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// Dialects lists the dialects every store test runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// Each runs fn as a subtest once per dialect, each with a fresh store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			fn(t, New(t, d))
		})
	}
}

// New returns a fresh migrated store of dialect d, removed when t ends.
func New(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	ctx := context.Background()
	var s *store.Store
	var err error
	switch d {
	case store.SQLite:
		s, err = store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "ace.db"))
	case store.Postgres:
		s, err = store.OpenPostgres(ctx, NewPostgresDatabase(t))
	}
	if err != nil {
		t.Fatalf("open %s store: %v", d, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return s
}

// NewPostgresDatabase creates an empty database on the test server and
// returns its URL; it is dropped when t ends. A test that needs PostgreSQL
// fails (never skips) when the server does not answer: the test command
// starts it.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("postgres", PostgresURL())
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil {
		t.Fatalf("postgres at %s does not answer (run the tests with bash scripts/test.sh, which starts it): %v", PostgresURL(), err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "ace_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("postgres", PostgresURL())
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	u, err := url.Parse(PostgresURL())
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresURL(), err)
	}
	u.Path = "/" + name
	return u.String()
}
