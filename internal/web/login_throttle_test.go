package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// behindProxy is a server that believes X-Forwarded-For from 127.0.0.1, as
// behind the load balancer, so a test can log in from several addresses.
func behindProxy(t *testing.T) *env {
	t.Helper()
	cfg := configFor(t, store.SQLite)
	cfg.TrustedProxies = []string{"127.0.0.1"}
	return newEnvOn(t, cfg)
}

// loginFrom posts the login form as the proxy would forward it from the
// client at xff (the whole X-Forwarded-For header; empty sends none).
func (c *client) loginFrom(xff, email, password string) int {
	c.t.Helper()
	tok := c.csrf("/login")
	h := []string{"Content-Type", "application/x-www-form-urlencoded"}
	if xff != "" {
		h = append(h, "X-Forwarded-For", xff)
	}
	body := url.Values{"_csrf": {tok}, "email": {email}, "password": {password}}.Encode()
	return c.do("POST", "/login", strings.NewReader(body), h...).status
}

// TestLoginThrottleSparesTheOwner: an attacker's wrong guesses lock the
// attacker's address out of the account, not the account's owner (ASVS
// 2.2.1). The in-memory limiter keyed on the email alone refused the owner.
func TestLoginThrottleSparesTheOwner(t *testing.T) {
	e := behindProxy(t)
	e.user("ivy@example.com", store.RoleInterviewer)
	right := "password-ivy@example.com"
	attacker := e.client()
	var got []int
	for range 6 {
		got = append(got, attacker.loginFrom("203.0.113.9", "ivy@example.com", "wrong guess"))
	}
	if fmt.Sprint(got) != "[401 401 401 401 401 429]" {
		t.Fatalf("attacker's statuses %v: want five 401 then 429", got)
	}
	if st := attacker.loginFrom("203.0.113.9", "ivy@example.com", right); st != http.StatusTooManyRequests {
		t.Fatalf("the right password from the locked address: %d", st)
	}
	// The proxy appends the address it saw; what the client wrote before it
	// must not give the attacker fresh addresses.
	for i := range 3 {
		if st := attacker.loginFrom(fmt.Sprintf("192.0.2.%d, 203.0.113.9", i), "ivy@example.com", "wrong guess"); st != http.StatusTooManyRequests {
			t.Fatalf("a spoofed address before the proxy's: %d", st)
		}
	}
	if st := e.client().loginFrom("198.51.100.7", "ivy@example.com", right); st != http.StatusSeeOther {
		t.Fatalf("the owner from their own address: %d, want 303", st)
	}
}

// TestLoginThrottlePerAddress: one address trying many accounts is stopped
// after 20 attempts, whichever accounts they were for.
func TestLoginThrottlePerAddress(t *testing.T) {
	e := behindProxy(t)
	e.user("ivy@example.com", store.RoleInterviewer)
	c := e.client()
	for i := range 20 {
		if st := c.loginFrom("203.0.113.9", fmt.Sprintf("user%d@example.com", i), "wrong guess"); st != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, st)
		}
	}
	if st := c.loginFrom("203.0.113.9", "ivy@example.com", "password-ivy@example.com"); st != http.StatusTooManyRequests {
		t.Fatalf("the 21st attempt from one address: %d", st)
	}
	if st := c.loginFrom("198.51.100.7", "ivy@example.com", "password-ivy@example.com"); st != http.StatusSeeOther {
		t.Fatalf("another address: %d", st)
	}
}

// TestLoginThrottleBusyAccount: an account under attack from many
// addresses (over 100 attempts in the hour) allows each address one attempt
// instead of five, and still lets its owner in from a clean address.
func TestLoginThrottleBusyAccount(t *testing.T) {
	e := behindProxy(t)
	e.user("ivy@example.com", store.RoleInterviewer)
	w := store.LoginWindows{Pair: time.Hour, Address: time.Hour, Account: time.Hour}
	for i := range 100 {
		if _, err := e.store.CountLoginAttempt(context.Background(), "ivy@example.com", fmt.Sprintf("10.1.%d.%d", i/250, i%250), w); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	if st := c.loginFrom("203.0.113.9", "ivy@example.com", "wrong guess"); st != http.StatusUnauthorized {
		t.Fatalf("a new address's first guess: %d", st)
	}
	if st := c.loginFrom("203.0.113.9", "ivy@example.com", "wrong guess"); st != http.StatusTooManyRequests {
		t.Fatalf("its second guess at a busy account: %d", st)
	}
	if st := e.client().loginFrom("198.51.100.7", "ivy@example.com", "password-ivy@example.com"); st != http.StatusSeeOther {
		t.Fatalf("the owner: %d", st)
	}
}

// TestLoginThrottleSharedByInstances: two instances over one PostgreSQL
// count into one counter; with a limiter in each process they allowed twice
// the guesses.
func TestLoginThrottleSharedByInstances(t *testing.T) {
	cfg := configFor(t, store.Postgres)
	a, b := newEnvOn(t, cfg), newEnvOn(t, cfg)
	a.user("ivy@example.com", store.RoleInterviewer)
	ca, cb := a.client(), b.client()
	var got []int
	for i := range 6 {
		c := ca
		if i%2 == 1 {
			c = cb
		}
		got = append(got, c.loginFrom("", "ivy@example.com", "wrong guess"))
	}
	if fmt.Sprint(got) != "[401 401 401 401 401 429]" {
		t.Fatalf("statuses over two instances %v: want five 401 then 429", got)
	}
	if st := cb.loginFrom("", "ivy@example.com", "password-ivy@example.com"); st != http.StatusTooManyRequests {
		t.Fatalf("right password on the other instance during the lock: %d", st)
	}
}

// TestLoginSuccessClearsFailures: four typos and a success leave the owner
// five fresh attempts.
func TestLoginSuccessClearsFailures(t *testing.T) {
	e := newEnv(t, store.SQLite)
	e.user("ivy@example.com", store.RoleInterviewer)
	c := e.client()
	for range 4 {
		c.loginFrom("", "ivy@example.com", "typo")
	}
	if st := c.loginFrom("", "ivy@example.com", "password-ivy@example.com"); st != http.StatusSeeOther {
		t.Fatalf("login: %d", st)
	}
	c2 := e.client()
	for i := range 5 {
		if st := c2.loginFrom("", "ivy@example.com", "typo"); st != http.StatusUnauthorized {
			t.Fatalf("typo %d after a success: %d", i+1, st)
		}
	}
}

// TestSetupThrottle: the first-admin form counts its attempts per address.
func TestSetupThrottle(t *testing.T) {
	e := newEnv(t, store.SQLite)
	c := e.client()
	tok := c.csrf("/login")
	var last int
	for range 21 {
		last = c.postForm("/setup/not-the-token", url.Values{"_csrf": {tok}, "name": {"A"}, "email": {"a@example.com"}, "password": {"long enough pw"}}).status
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("the 21st setup attempt from one address: %d", last)
	}
}
