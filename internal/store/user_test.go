package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

func TestUsersAndTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, err := s.CreateUser(ctx, " Ada@Example.COM ", "Ada", store.RoleAdmin, "h1")
		if err != nil {
			t.Fatal(err)
		}
		if a.Email != "ada@example.com" {
			t.Fatalf("email stored as %q", a.Email)
		}
		if _, err := s.CreateUser(ctx, "ada@example.com", "Ada 2", store.RoleReviewer, "h2"); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate email: %v", err)
		}
		if got, err := s.UserByEmail(ctx, "ADA@example.com"); err != nil || got.ID != a.ID {
			t.Fatalf("by email: %+v %v", got, err)
		}
		if _, err := s.SetUserRole(ctx, a.ID, store.RoleReviewer); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("demoting the last admin: %v", err)
		}
		b, _ := s.CreateUser(ctx, "bob@example.com", "Bob", store.RoleInterviewer, "h3")
		if changed, err := s.SetUserRole(ctx, b.ID, store.RoleAdmin); err != nil || !changed {
			t.Fatal(changed, err)
		}
		if changed, err := s.SetUserRole(ctx, b.ID, store.RoleAdmin); err != nil || changed {
			t.Fatalf("setting the same role: changed %t, %v", changed, err)
		}
		if _, err := s.SetUserRole(ctx, a.ID, store.RoleReviewer); err != nil {
			t.Fatalf("demoting one of two admins: %v", err)
		}
		if _, err := s.SetUserRole(ctx, 9999, store.RoleReviewer); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown user: %v", err)
		}
		if err := s.CreateAPIToken(ctx, b.ID, "hash-b"); err != nil {
			t.Fatal(err)
		}
		if u, err := s.UserByAPIToken(ctx, "hash-b"); err != nil || u.ID != b.ID {
			t.Fatalf("by token: %+v %v", u, err)
		}
		if n, err := s.RevokeAPITokens(ctx, b.ID); err != nil || n != 1 {
			t.Fatal(n, err)
		}
		if _, err := s.UserByAPIToken(ctx, "hash-b"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("revoked token: %v", err)
		}
	})
}

func TestFirstAdminSetup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.SetSetupToken(ctx, "old"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSetupToken(ctx, "new"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.SetupTokenValid(ctx, "old"); ok {
			t.Fatal("a replaced setup token is still valid")
		}
		if ok, _ := s.SetupTokenValid(ctx, "new"); !ok {
			t.Fatal("the live setup token is not valid")
		}
		if _, err := s.CreateFirstAdmin(ctx, "old", "a@x.io", "A", "h"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("old token: %v", err)
		}
		u, err := s.CreateFirstAdmin(ctx, "new", "a@x.io", "A", "h")
		if err != nil || u.Role != store.RoleAdmin {
			t.Fatalf("first admin %+v %v", u, err)
		}
		if _, err := s.CreateFirstAdmin(ctx, "new", "b@x.io", "B", "h"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("token reused: %v", err)
		}
		if err := s.SetSetupToken(ctx, "later"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.SetupTokenValid(ctx, "later"); ok {
			t.Fatal("a setup token is valid although a user exists")
		}
	})
}

func TestSessionStorage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ss := s.Sessions()
		if v, err := ss.Get("missing"); err != nil || v != nil {
			t.Fatalf("missing: %q %v", v, err)
		}
		if err := ss.Set("k", []byte("v1"), time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := ss.Set("k", []byte("v2"), time.Hour); err != nil {
			t.Fatal(err)
		}
		if v, _ := ss.Get("k"); string(v) != "v2" {
			t.Fatalf("got %q want v2", v)
		}
		if err := ss.Set("old", []byte("x"), -time.Second); err != nil {
			t.Fatal(err)
		}
		if v, _ := ss.Get("old"); v != nil {
			t.Fatalf("expired session returned %q", v)
		}
		if err := s.PurgeExpiredSessions(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := ss.Delete("k"); err != nil {
			t.Fatal(err)
		}
		if v, _ := ss.Get("k"); v != nil {
			t.Fatalf("deleted session returned %q", v)
		}
	})
}

func TestMigrateTwiceAndConcurrently(t *testing.T) {
	ctx := context.Background()
	url := storetest.NewPostgresDatabase(t)
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			s, err := store.OpenPostgres(ctx, url)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			_, err = s.Migrate(ctx)
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent migrate: %v", err)
		}
	}
	s, err := store.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("migrating an up-to-date database applied %d: %v", n, err)
	}
}
