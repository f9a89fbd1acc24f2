package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/store"
)

// Login throttling (ASVS 2.2.1). The counters live in the database
// (store.CountLoginAttempt), so every instance sees the same ones. What the
// counts allow is decided here:
//   - one account from one address: 5 attempts per 15 minutes. A guesser is
//     stopped there, and the account's owner, from their own address, is not;
//   - one address across accounts: 20 per 15 minutes (one address spraying
//     passwords over many accounts);
//   - one account across addresses: past 100 an hour the account is under a
//     spread-out attack, and each address gets 1 attempt per window instead
//     of 5. That slows the attack fivefold without locking the owner out: an
//     address with no failed attempt may still try.
//
// Successful logins take their attempt back, so an office behind one
// address never adds up to a lock.
const (
	pairLimit     = 5
	busyPairLimit = 1
	addressLimit  = 20
	accountLimit  = 100
)

var loginWindows = store.LoginWindows{Pair: 15 * time.Minute, Address: 15 * time.Minute, Account: time.Hour}

// admitLogin counts an attempt to log in to email (empty on the setup page:
// the address alone counts) and reports whether it may go ahead. A refused
// attempt is taken back: it guessed nothing.
func (h *handler) admitLogin(c *fiber.Ctx, email string) (bool, error) {
	ctx, addr := c.UserContext(), h.clientAddr(c)
	n, err := h.Store.CountLoginAttempt(ctx, email, addr, loginWindows)
	if err != nil {
		return false, err
	}
	limit := pairLimit
	if n.Account > accountLimit {
		limit = busyPairLimit
	}
	if n.Pair <= limit && n.Address <= addressLimit {
		return true, nil
	}
	if err := h.Store.TakeBackLoginAttempt(ctx, email, addr); err != nil {
		return false, err
	}
	return false, nil
}

// loginSucceeded clears the failures of this account from this address.
func (h *handler) loginSucceeded(c *fiber.Ctx, email string) error {
	return h.Store.LoginSucceeded(c.UserContext(), email, h.clientAddr(c))
}

// tooManyLogins answers an attempt the throttle refused.
func (h *handler) tooManyLogins(c *fiber.Ctx) error {
	return errCode(fiber.StatusTooManyRequests, "rate_limited", "Too many failed attempts. Wait a few minutes and try again.")
}

// longestLoginWindow is how long a counter can matter; older ones are purged.
func longestLoginWindow() time.Duration {
	return max(loginWindows.Pair, loginWindows.Address, loginWindows.Account)
}
