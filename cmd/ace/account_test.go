package main

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

// TestUserAddPasswordRules: ace user add takes the same password rule as the
// pages: characters, not bytes; not only spaces; not a common password.
func TestUserAddPasswordRules(t *testing.T) {
	dir := t.TempDir()
	add := []string{"user", "add", "--data-dir", dir, "--email", "ada@example.com", "--name", "Ada"}
	for pw, want := range map[string]string{
		strings.Repeat(" ", 10): "not only spaces",
		"ééééé":                 "at least 10 characters",
		"Password123":           "most common",
	} {
		if _, err := run(t, pw+"\n", add...); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("password %q: %v, want an error saying %q", pw, err, want)
		}
	}
	if out, err := run(t, "éléphant rose\n", add...); err != nil {
		t.Fatalf("a good password: %v %s", err, out)
	}
}

// lastWord is the token ace token create prints.
func lastWord(s string) string {
	w := strings.Fields(s)
	return w[len(w)-1]
}

func TestTokenListAndRevoke(t *testing.T) {
	for name, tg := range targets(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			cmd := func(stdin string, args ...string) (string, error) {
				return run(t, stdin, append(append([]string{args[0], args[1]}, tg.flags...), args[2:]...)...)
			}
			if _, err := cmd("long enough password\n", "user", "add", "--email", "ada@example.com", "--name", "Ada", "--role", "admin"); err != nil {
				t.Fatal(err)
			}
			out1, err := cmd("", "token", "create", "--email", "ada@example.com", "--name", "laptop")
			if err != nil {
				t.Fatal(err)
			}
			out2, _ := cmd("", "token", "create", "--email", "ada@example.com")
			tok1, tok2 := lastWord(out1), lastWord(out2)
			s := tg.open()
			if _, err := s.UserByAPIToken(ctx, auth.HashToken(tok1)); err != nil {
				t.Fatal(err)
			}

			list, err := cmd("", "token", "list", "--email", "ada@example.com")
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(list), "\n")
			if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(list, "laptop") {
				t.Fatalf("list:\n%s", list)
			}
			if strings.Contains(list, tok1) || strings.Contains(list, auth.HashToken(tok1)) {
				t.Fatal("token list shows a token or its hash")
			}
			// The laptop token was used once: it has a last-used time, the other none.
			laptop, other := rowOf(t, list, "laptop"), rowOf(t, list, "-")
			if len(laptop) != 7 || len(other) != 6 || other[4] != "-" || other[5] != "-" {
				t.Fatalf("created, last used, revoked:\n%s", list)
			}
			if out, err := cmd("", "token", "revoke", "--id", laptop[0]); err != nil || !strings.Contains(out, "Revoked token") {
				t.Fatalf("revoke: %v %s", err, out)
			}
			if _, err := s.UserByAPIToken(ctx, auth.HashToken(tok1)); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a revoked token still authenticates: %v", err)
			}
			if _, err := s.UserByAPIToken(ctx, auth.HashToken(tok2)); err != nil {
				t.Fatalf("the other token: %v", err)
			}
			list, _ = cmd("", "token", "list", "--email", "ada@example.com")
			if f := rowOf(t, list, "laptop"); len(f) != 8 {
				t.Fatalf("the revoked token is not shown revoked:\n%s", list)
			}
			if out, err := cmd("", "token", "revoke", "--email", "ada@example.com", "--all"); err != nil || !strings.Contains(out, "Revoked 1 token(s)") {
				t.Fatalf("revoke --all: %v %s", err, out)
			}
			if _, err := s.UserByAPIToken(ctx, auth.HashToken(tok2)); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("revoke --all left a token: %v", err)
			}
			// Each revocation asks the serving instances to close the owner's sockets.
			if ids, _ := s.ClaimKicks(ctx); !slices.Equal(ids, []int64{1, 1}) {
				t.Fatalf("kick requests %v", ids)
			}
			for _, bad := range [][]string{{"token", "revoke"}, {"token", "revoke", "--email", "ada@example.com"}, {"token", "revoke", "--id", "99"},
				{"token", "list", "--email", "nobody@example.com"}} {
				if _, err := cmd("", bad...); err == nil {
					t.Errorf("%v succeeded", bad)
				}
			}
		})
	}
}

func TestUserDisableAndEnable(t *testing.T) {
	for name, tg := range targets(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			cmd := func(stdin string, args ...string) (string, error) {
				return run(t, stdin, append(append([]string{args[0], args[1]}, tg.flags...), args[2:]...)...)
			}
			for _, u := range []struct{ email, role string }{{"ada@example.com", "admin"}, {"ivy@example.com", "interviewer"}} {
				if _, err := cmd("long enough password\n", "user", "add", "--email", u.email, "--name", "X", "--role", u.role); err != nil {
					t.Fatal(err)
				}
			}
			out, err := cmd("", "token", "create", "--email", "ivy@example.com")
			if err != nil {
				t.Fatal(err)
			}
			tok := lastWord(out)
			s := tg.open()
			if out, err := cmd("", "user", "disable", "--email", "IVY@example.com"); err != nil || !strings.Contains(out, "Disabled ivy@example.com") {
				t.Fatalf("disable: %v %s", err, out)
			}
			ivy, _ := s.UserByEmail(ctx, "ivy@example.com")
			if !ivy.Disabled() {
				t.Fatal("not disabled")
			}
			if _, err := s.UserByAPIToken(ctx, auth.HashToken(tok)); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a disabled account's token: %v", err)
			}
			if ids, _ := s.ClaimKicks(ctx); !slices.Equal(ids, []int64{ivy.ID}) {
				t.Fatalf("kick requests %v", ids)
			}
			if _, err := cmd("", "user", "disable", "--email", "ada@example.com"); err == nil || !strings.Contains(err.Error(), "last enabled admin") {
				t.Fatalf("disabling the last admin: %v", err)
			}
			if out, err := cmd("", "user", "enable", "--email", "ivy@example.com"); err != nil || !strings.Contains(out, "Enabled ivy@example.com") {
				t.Fatalf("enable: %v %s", err, out)
			}
			if _, err := s.UserByAPIToken(ctx, auth.HashToken(tok)); err != nil {
				t.Fatalf("the token after enabling: %v", err)
			}
			if _, err := cmd("", "user", "disable", "--email", "nobody@example.com"); err == nil {
				t.Fatal("disabling an unknown account")
			}
		})
	}
}

// rowOf returns the fields of the listing's line for a token label; dates
// are two fields each and a missing one is "-".
func rowOf(t *testing.T, list, label string) []string {
	t.Helper()
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[1] == label {
			return f
		}
	}
	t.Fatalf("no token %q in:\n%s", label, list)
	return nil
}
