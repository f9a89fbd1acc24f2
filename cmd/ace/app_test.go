package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
	acesql "github.com/ace-interviews/ace/sql"
)

// run executes the ace command in-process with args and stdin; it returns
// what it printed and the error main would turn into a non-zero exit.
func run(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := newApp(strings.NewReader(stdin), &out).Run(context.Background(), append([]string{"ace"}, args...))
	return out.String(), err
}

// target is a database the commands are pointed at, by flag.
type target struct {
	flags []string
	open  func() *store.Store
}

func targets(t *testing.T) map[string]target {
	dir := t.TempDir()
	pg := storetest.NewPostgresDatabase(t)
	open := func(url, dir string) func() *store.Store {
		return func() *store.Store {
			s, err := store.Open(context.Background(), url, dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	}
	return map[string]target{
		"sqlite":   {flags: []string{"--data-dir", dir}, open: open("", dir)},
		"postgres": {flags: []string{"--database-url", pg}, open: open(pg, "")},
	}
}

func TestImportCommand(t *testing.T) {
	for name, tg := range targets(t) {
		t.Run(name, func(t *testing.T) {
			mixed := filepath.Join("..", "..", "internal", "bank", "testdata", "mixed.txt")
			out, err := run(t, "", append(append([]string{"import"}, tg.flags...), mixed)...)
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			if !strings.Contains(out, "TECHNOLOGY") || !strings.Contains(out, "System Design") || !strings.Contains(out, "Node.js") {
				t.Fatalf("no counts table:\n%s", out)
			}
			s := tg.open()
			n1, _ := s.CountQuestions(context.Background())
			if n1 == 0 {
				t.Fatal("nothing imported")
			}
			out, err = run(t, "", append(append([]string{"import"}, tg.flags...), mixed)...)
			if err != nil || !strings.Contains(out, ": 0 new, 0 updated,") {
				t.Fatalf("second import changed something: %v\n%s", err, out)
			}
			for _, bad := range []string{"unknown-level.txt", "no-answer.txt", "empty-answer.txt", "broken.json", "wrong-level.json", "broken.yaml", "wrong-level.yaml"} {
				path := filepath.Join("..", "..", "internal", "bank", "testdata", bad)
				// The good file goes first: a bad file anywhere stops the whole import.
				out, err := run(t, "", append(append([]string{"import"}, tg.flags...), mixed, path)...)
				if err == nil || !strings.Contains(err.Error(), path+":") {
					t.Fatalf("%s: err %v, want one naming %s:<line>\n%s", bad, err, path, out)
				}
			}
			if n2, _ := s.CountQuestions(context.Background()); n2 != n1 {
				t.Fatalf("failed imports changed the bank: %d → %d", n1, n2)
			}
			if _, err := run(t, "", append([]string{"import"}, tg.flags...)...); err == nil {
				t.Fatal("import with no file succeeded")
			}
			if _, err := run(t, "", append(append([]string{"import"}, tg.flags...), "missing.txt")...); err == nil {
				t.Fatal("import of a missing file succeeded")
			}
		})
	}
}

// TestImportSeedFile imports the real question bank shipped beside the
// repository. CI must have it; elsewhere its absence only skips.
func TestImportSeedFile(t *testing.T) {
	seed := filepath.Join("..", "..", "..", "shared", "data", "question-bank-django.txt")
	if _, err := os.Stat(seed); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but the seed file is missing: %v", err)
		}
		t.Skipf("seed file %s not found (it lives in ../shared beside the checkout): %v", seed, err)
	}
	dir := t.TempDir()
	out, err := run(t, "", "import", "--data-dir", dir, seed)
	if err != nil {
		t.Fatalf("import seed: %v\n%s", err, out)
	}
	// The file holds 32 questions: 10 beginner, 11 intermediate, 11 advanced.
	if !strings.Contains(out, "Django                          10            11        11") || !strings.Contains(out, "Imported 32 questions: 32 new") {
		t.Fatalf("seed counts:\n%s", out)
	}
}

func TestUserAndTokenCommands(t *testing.T) {
	for name, tg := range targets(t) {
		t.Run(name, func(t *testing.T) {
			add := append([]string{"user", "add"}, tg.flags...)
			add = append(add, "--email", "Ada@Example.com", "--name", "Ada", "--role", "admin")
			if _, err := run(t, "short\n", add...); err == nil || !strings.Contains(err.Error(), "at least 10") {
				t.Fatalf("short password: %v", err)
			}
			if _, err := run(t, "", add...); err == nil {
				t.Fatal("no password on stdin accepted")
			}
			bad := append([]string{"user", "add"}, tg.flags...)
			if _, err := run(t, "long enough password\n", append(bad, "--email", "x@y.z", "--name", "X", "--role", "owner")...); err == nil {
				t.Fatal("role owner accepted")
			}
			out, err := run(t, "long enough password\n", add...)
			if err != nil || !strings.Contains(out, "Added ada@example.com (Ada) as admin.") {
				t.Fatalf("user add: %v %s", err, out)
			}
			if _, err := run(t, "long enough password\n", add...); err == nil || !strings.Contains(err.Error(), "exists already") {
				t.Fatalf("adding twice: %v", err)
			}
			s := tg.open()
			u, err := s.UserByEmail(context.Background(), "ada@example.com")
			if err != nil || auth.CheckPassword(context.Background(), u.PasswordHash, "long enough password") != nil {
				t.Fatalf("stored user %+v %v", u, err)
			}
			out, err = run(t, "", append(append([]string{"token", "create"}, tg.flags...), "--email", "ada@example.com")...)
			if err != nil {
				t.Fatal(err)
			}
			words := strings.Fields(out)
			token := words[len(words)-1]
			if got, err := s.UserByAPIToken(context.Background(), auth.HashToken(token)); err != nil || got.ID != u.ID {
				t.Fatalf("printed token %q does not authenticate: %v", token, err)
			}
			if _, err := run(t, "", append(append([]string{"token", "create"}, tg.flags...), "--email", "nobody@example.com")...); err == nil {
				t.Fatal("token for an unknown account")
			}
		})
	}
}

func TestMigrateAndHelp(t *testing.T) {
	dir := t.TempDir()
	out, err := run(t, "", "migrate", "--data-dir", dir)
	migrations, _ := fs.Glob(acesql.FS, "sqlite/*.sql")
	if err != nil || len(migrations) < 6 || !strings.Contains(out, fmt.Sprintf("Applied %d migration(s) to the sqlite database.", len(migrations))) {
		t.Fatalf("migrate: %v %s", err, out)
	}
	out, _ = run(t, "", "migrate", "--data-dir", dir)
	if !strings.Contains(out, "Applied 0 migration(s)") {
		t.Fatalf("second migrate: %s", out)
	}
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"import", "--help"}, {"export", "--help"}, {"user", "add", "--help"}, {"user", "disable", "--help"}, {"user", "enable", "--help"},
		{"token", "create", "--help"}, {"token", "list", "--help"}, {"token", "revoke", "--help"}} {
		out, err := run(t, "", args...)
		if err != nil || !strings.Contains(out, "USAGE") {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	if _, err := run(t, "", "serve", "--database-url", "mysql://x"); err == nil {
		t.Fatal("mysql URL accepted")
	}
}
