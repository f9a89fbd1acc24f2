package web

import (
	"errors"
	"log/slog"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

// authenticate puts the staff user in Locals: from a bearer token when an
// Authorization header is present (never falling back to the cookie, so a
// bad token is a 401), otherwise from the session cookie.
func (h *handler) authenticate(c *fiber.Ctx) error {
	if authz := c.Get(fiber.HeaderAuthorization); authz != "" {
		token, ok := strings.CutPrefix(authz, "Bearer ")
		if !ok || token == "" {
			return errCode(fiber.StatusUnauthorized, "bad_token", "Authorization must be \"Bearer <token>\"")
		}
		c.Locals(localBearer, true)
		if strings.HasPrefix(c.Path(), "/ws/") {
			// A room's bearer is a candidate's invite token far more often
			// than a staff API token: the room resolves it, invite first, so
			// a reconnecting candidate costs one lookup, not two (wsAuthorize).
			c.Locals(localToken, token)
			return c.Next()
		}
		u, err := h.Store.UserByAPIToken(c.UserContext(), auth.HashToken(token))
		if errors.Is(err, store.ErrNotFound) {
			return errCode(fiber.StatusUnauthorized, "bad_token", "the API token is unknown or revoked, or its account is disabled")
		}
		if err != nil {
			return err
		}
		c.Locals(localUser, &u)
		return c.Next()
	}
	if c.Cookies(cookieName(sessionCookie, h.Config.Secure())) == "" {
		return c.Next()
	}
	sess, err := h.sessions.Get(c)
	if err != nil {
		return err
	}
	if id, ok := sess.Get(sessionUserID).(int64); ok {
		u, err := h.Store.UserByID(c.UserContext(), id)
		// The account is read on every request, so disabling it ends its
		// sessions at once: a disabled user is treated as logged out, and a
		// session begun before a disable stays over after the enable.
		switch {
		case err == nil && (u.Disabled() || sessionRevoked(sess, u)):
			h.Log.Debug("session of a disabled user", slog.Int64("user_id", id))
			if err := sess.Destroy(); err != nil {
				return err
			}
		case err == nil:
			c.Locals(localUser, &u)
		case errors.Is(err, store.ErrNotFound):
			h.Log.Info("session of a deleted user", slog.Int64("user_id", id))
		default:
			return err
		}
	}
	return c.Next()
}

// sessionRevoked reports whether the session began before the account's
// sessions were ended (sessions without a start time predate that record).
func sessionRevoked(sess *session.Session, u store.User) bool {
	if u.SessionsRevokedAt == nil {
		return false
	}
	start, _ := sess.Get(sessionStart).(int64)
	return start <= u.SessionsRevokedAt.UnixMilli()
}

func currentUser(c *fiber.Ctx) *store.User {
	u, _ := c.Locals(localUser).(*store.User)
	return u
}

// requireRole guards API routes: 401 without credentials, 403 for other roles.
func (h *handler) requireRole(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		if u == nil {
			return errCode(fiber.StatusUnauthorized, "unauthorized", "log in or send Authorization: Bearer <token>")
		}
		if !slices.Contains(roles, u.Role) {
			return errCode(fiber.StatusForbidden, "forbidden", "your role ("+u.Role+") may not do this")
		}
		return c.Next()
	}
}

// requirePageRole guards pages: a visitor is sent to the login page.
func (h *handler) requirePageRole(roles ...string) fiber.Handler {
	api := h.requireRole(roles...)
	return func(c *fiber.Ctx) error {
		if currentUser(c) == nil {
			// Only a local path comes back through next (redirect.go).
			if p, ok := localPath(c.OriginalURL()); ok {
				return c.Redirect("/login?next="+url.QueryEscape(p), fiber.StatusSeeOther)
			}
			return c.Redirect("/login", fiber.StatusSeeOther)
		}
		return api(c)
	}
}
