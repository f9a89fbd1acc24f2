package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

func TestDisableUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := s.CreateUser(ctx, "ada@example.com", "Ada", store.RoleAdmin, "h")
		b, _ := s.CreateUser(ctx, "bob@example.com", "Bob", store.RoleAdmin, "h")
		if err := s.CreateAPIToken(ctx, b.ID, "hash-b"); err != nil {
			t.Fatal(err)
		}
		got, err := s.SetUserDisabled(ctx, b.ID, true)
		if err != nil || !got.Disabled() {
			t.Fatalf("disable: %+v %v", got, err)
		}
		first := *got.DisabledAt
		if again, err := s.SetUserDisabled(ctx, b.ID, true); err != nil || !again.DisabledAt.Equal(first) {
			t.Fatalf("disabling twice moved the time: %v → %v (%v)", first, again.DisabledAt, err)
		}
		if u, err := s.UserByID(ctx, b.ID); err != nil || !u.Disabled() {
			t.Fatalf("by id: %+v %v", u, err)
		}
		if _, err := s.UserByAPIToken(ctx, "hash-b"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a disabled account's token still works: %v", err)
		}
		// Bob is disabled, so Ada is the last enabled admin: neither disabling
		// nor demoting her may leave nobody to manage accounts.
		if _, err := s.SetUserDisabled(ctx, a.ID, true); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("disabling the last enabled admin: %v", err)
		}
		if _, err := s.SetUserRole(ctx, a.ID, store.RoleInterviewer); !errors.Is(err, store.ErrLastAdmin) {
			t.Fatalf("demoting the last enabled admin: %v", err)
		}
		if _, err := s.SetUserRole(ctx, b.ID, store.RoleInterviewer); err != nil {
			t.Fatalf("demoting a disabled admin: %v", err)
		}
		if u, err := s.SetUserDisabled(ctx, b.ID, false); err != nil || u.Disabled() || u.SessionsRevokedAt == nil || !u.SessionsRevokedAt.Equal(first) {
			t.Fatalf("enable (the sessions stay ended at the disable): %+v %v", u, err)
		}
		if u, err := s.UserByAPIToken(ctx, "hash-b"); err != nil || u.ID != b.ID {
			t.Fatalf("token after enabling: %+v %v", u, err)
		}
		if _, err := s.SetUserDisabled(ctx, 9999, true); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown user: %v", err)
		}
	})
}

func TestListAndRevokeTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, _ := s.CreateUser(ctx, "ada@example.com", "Ada", store.RoleAdmin, "h")
		other, _ := s.CreateUser(ctx, "bob@example.com", "Bob", store.RoleInterviewer, "h")
		t1, err := s.CreateNamedAPIToken(ctx, u.ID, "laptop", "hash-1")
		if err != nil || t1.ID == 0 || t1.Name != "laptop" || t1.LastUsedAt != nil {
			t.Fatalf("create: %+v %v", t1, err)
		}
		t2, _ := s.CreateNamedAPIToken(ctx, u.ID, "ci", "hash-2")
		if err := s.CreateAPIToken(ctx, other.ID, "hash-3"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserByAPIToken(ctx, "hash-1"); err != nil {
			t.Fatal(err)
		}
		ts, err := s.APITokens(ctx, u.ID)
		if err != nil || len(ts) != 2 || ts[0].ID != t2.ID || ts[1].ID != t1.ID {
			t.Fatalf("list: %+v %v", ts, err)
		}
		if ts[1].LastUsedAt == nil || ts[0].LastUsedAt != nil {
			t.Fatalf("last used: %+v", ts)
		}
		revoked, err := s.RevokeAPIToken(ctx, t1.ID)
		if err != nil || revoked.RevokedAt == nil || revoked.UserID != u.ID {
			t.Fatalf("revoke: %+v %v", revoked, err)
		}
		if _, err := s.UserByAPIToken(ctx, "hash-1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("revoked token works: %v", err)
		}
		if again, err := s.RevokeAPIToken(ctx, t1.ID); err != nil || !again.RevokedAt.Equal(*revoked.RevokedAt) {
			t.Fatalf("revoking twice: %+v %v", again, err)
		}
		if _, err := s.UserByAPIToken(ctx, "hash-2"); err != nil {
			t.Fatalf("revoking one token revoked another: %v", err)
		}
		if _, err := s.RevokeAPIToken(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown token: %v", err)
		}
		all, err := s.AllAPITokens(ctx)
		if err != nil || len(all) != 3 {
			t.Fatalf("all: %+v %v", all, err)
		}
	})
}

func TestKickRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if ids, err := s.ClaimKicks(ctx); err != nil || len(ids) != 0 {
			t.Fatalf("nothing pending: %v %v", ids, err)
		}
		for _, id := range []int64{7, 9} {
			if err := s.RequestKick(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		ids, err := s.ClaimKicks(ctx)
		slices.Sort(ids)
		if err != nil || !slices.Equal(ids, []int64{7, 9}) {
			t.Fatalf("claimed %v %v", ids, err)
		}
		if ids, _ := s.ClaimKicks(ctx); len(ids) != 0 {
			t.Fatalf("claimed twice: %v", ids)
		}
	})
}

func TestRemoveInterviewer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ivy, _ := s.CreateUser(ctx, "ivy@example.com", "Ivy", store.RoleInterviewer, "h")
		joe, _ := s.CreateUser(ctx, "joe@example.com", "Joe", store.RoleInterviewer, "h")
		root, _ := s.CreateUser(ctx, "root@example.com", "Root", store.RoleAdmin, "h")
		iv, ps, err := s.CreateInterview(ctx, store.NewInterview{Title: "t", CreatedBy: ivy.ID, Panel: []int64{ivy.ID, joe.ID},
			Candidates: []store.NewCandidate{{Name: "Cara", TokenHash: "c"}}})
		if err != nil {
			t.Fatal(err)
		}
		pid := func(uid int64) int64 {
			for _, p := range ps {
				if p.UserID != nil && *p.UserID == uid {
					return p.ID
				}
			}
			t.Fatalf("user %d not on the panel", uid)
			return 0
		}
		var cara int64
		for _, p := range ps {
			if p.Role == store.PartCandidate {
				cara = p.ID
			}
		}
		if err := s.RemoveInterviewer(ctx, iv.ID, cara); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("removing a candidate as an interviewer: %v", err)
		}
		if err := s.RemoveInterviewer(ctx, iv.ID+1, pid(joe.ID)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another interview's interviewer: %v", err)
		}
		if err := s.RemoveInterviewer(ctx, iv.ID, pid(joe.ID)); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveInterviewer(ctx, iv.ID, pid(joe.ID)); err != nil {
			t.Fatalf("removing twice: %v", err)
		}
		if _, err := s.ParticipantByUser(ctx, iv.ID, joe.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a removed interviewer is still on the panel: %v", err)
		}
		if ivs, _ := s.ListInterviews(ctx, joe.ID, false); len(ivs) != 0 {
			t.Fatalf("a removed interviewer still lists the interview: %+v", ivs)
		}
		if p, err := s.ParticipantByID(ctx, pid(joe.ID)); err != nil || p.RevokedAt == nil {
			t.Fatalf("the removed row: %+v %v", p, err)
		}
		if err := s.RemoveInterviewer(ctx, iv.ID, pid(ivy.ID)); !errors.Is(err, store.ErrLastInterviewer) {
			t.Fatalf("removing the last interviewer: %v", err)
		}
		// An admin may join every room: opening it puts them back on the panel.
		rp, err := s.EnsureInterviewer(ctx, iv.ID, root)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveInterviewer(ctx, iv.ID, rp.ID); err != nil {
			t.Fatal(err)
		}
		if again, err := s.EnsureInterviewer(ctx, iv.ID, root); err != nil || again.ID != rp.ID || again.RevokedAt != nil {
			t.Fatalf("admin back on the panel: %+v %v", again, err)
		}
	})
}

var windows = store.LoginWindows{Pair: time.Minute, Address: time.Minute, Account: time.Minute}

func TestLoginThrottleCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var c store.LoginCounts
		var err error
		for range 3 {
			if c, err = s.CountLoginAttempt(ctx, "Ivy@Example.com", "10.0.0.1", windows); err != nil {
				t.Fatal(err)
			}
		}
		if c != (store.LoginCounts{Pair: 3, Address: 3, Account: 3}) {
			t.Fatalf("after three: %+v", c)
		}
		c, _ = s.CountLoginAttempt(ctx, "ivy@example.com", "10.0.0.2", windows)
		if c != (store.LoginCounts{Pair: 1, Address: 1, Account: 4}) {
			t.Fatalf("from another address: %+v", c)
		}
		c, _ = s.CountLoginAttempt(ctx, "joe@example.com", "10.0.0.1", windows)
		if c != (store.LoginCounts{Pair: 1, Address: 4, Account: 1}) {
			t.Fatalf("another account: %+v", c)
		}
		if c, _ = s.CountLoginAttempt(ctx, "", "10.0.0.1", windows); c != (store.LoginCounts{Address: 5}) {
			t.Fatalf("address only: %+v", c)
		}
		if err := s.TakeBackLoginAttempt(ctx, "ivy@example.com", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		if c, _ = s.CountLoginAttempt(ctx, "ivy@example.com", "10.0.0.1", windows); c != (store.LoginCounts{Pair: 3, Address: 5, Account: 4}) {
			t.Fatalf("after taking one back: %+v", c)
		}
		if err := s.LoginSucceeded(ctx, "ivy@example.com", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		if c, _ = s.CountLoginAttempt(ctx, "ivy@example.com", "10.0.0.1", windows); c != (store.LoginCounts{Pair: 1, Address: 5, Account: 4}) {
			t.Fatalf("after a success: %+v", c)
		}
		// A window that has run out starts again at one (a zero window has
		// always run out).
		if c, _ = s.CountLoginAttempt(ctx, "ivy@example.com", "10.0.0.1", store.LoginWindows{}); c != (store.LoginCounts{Pair: 1, Address: 1, Account: 1}) {
			t.Fatalf("after the window: %+v", c)
		}
		if err := s.PurgeLoginThrottle(ctx, time.Now().Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if c, _ = s.CountLoginAttempt(ctx, "joe@example.com", "10.0.0.1", windows); c != (store.LoginCounts{Pair: 1, Address: 1, Account: 1}) {
			t.Fatalf("after a purge: %+v", c)
		}
	})
}

// TestLoginThrottleConcurrent: concurrent attempts each get their own count,
// so a burst of guesses cannot all pass a check made before any was counted.
func TestLoginThrottleConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 20
		var mu sync.Mutex
		var seen []int
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				c, err := s.CountLoginAttempt(ctx, "ivy@example.com", "10.0.0.1", windows)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen = append(seen, c.Pair)
				mu.Unlock()
			})
		}
		wg.Wait()
		slices.Sort(seen)
		for i, v := range seen {
			if v != i+1 {
				t.Fatalf("counts %v: want 1..%d each once", seen, n)
			}
		}
	})
}

// TestLoginThrottleSharedByInstances: two stores over one PostgreSQL, as
// two instances have, count into the same counters.
func TestLoginThrottleSharedByInstances(t *testing.T) {
	ctx := context.Background()
	url := storetest.NewPostgresDatabase(t)
	open := func() *store.Store {
		s, err := store.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	if _, err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		s := a
		if i%2 == 1 {
			s = b
		}
		if _, err := s.CountLoginAttempt(ctx, "ivy@example.com", "10.0.0.1", windows); err != nil {
			t.Fatal(err)
		}
	}
	if c, _ := b.CountLoginAttempt(ctx, "ivy@example.com", "10.0.0.1", windows); c.Pair != 5 {
		t.Fatalf("the fifth attempt over two instances counts %d", c.Pair)
	}
}
