package web

import (
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

// loginPage: GET /login
func (h *handler) loginPage(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(afterLogin(c.Query("next")), fiber.StatusSeeOther)
	}
	// The form carries next only when it is acceptable, so a crafted link
	// cannot even reach the page's markup.
	next, _ := localPath(c.Query("next"))
	return h.render(c, fiber.StatusOK, "login", page{Title: "Log in", Data: fiber.Map{"Next": next}})
}

// login: POST /login. Every attempt is counted before the password is
// checked (login_throttle.go); a success takes its count back.
func (h *handler) login(c *fiber.Ctx) error {
	email, password := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	next, _ := localPath(c.FormValue("next"))
	if ok, err := h.admitLogin(c, email); err != nil {
		return err
	} else if !ok {
		return h.tooManyLogins(c)
	}
	fail := func() error {
		return h.render(c, fiber.StatusUnauthorized, "login", page{Title: "Log in", Error: "Wrong email or password.",
			Data: fiber.Map{"Next": next, "Email": email}})
	}
	u, err := h.Store.UserByEmail(c.UserContext(), email)
	if errors.Is(err, store.ErrNotFound) {
		auth.BurnTime(c.UserContext())
		return fail()
	}
	if err != nil {
		return err
	}
	// A disabled account's password is still checked, so its answer takes as
	// long as any other wrong login and says no more.
	if err := auth.CheckPassword(c.UserContext(), u.PasswordHash, password); err != nil || u.Disabled() {
		if err != nil && !errors.Is(err, auth.ErrMismatch) {
			h.Log.Error("check password", slog.Int64("user_id", u.ID), slog.Any("error", err))
		}
		return fail()
	}
	if err := h.loginSucceeded(c, email); err != nil {
		return err
	}
	if err := h.startSession(c, u.ID); err != nil {
		return err
	}
	h.Log.Info("login", slog.Int64("user_id", u.ID), slog.String("client_ip", c.IP()))
	return c.Redirect(afterLogin(next), fiber.StatusSeeOther)
}

// startSession binds the session to a user under a fresh id, so a session
// id planted before login is worthless after it.
func (h *handler) startSession(c *fiber.Ctx, userID int64) error {
	sess, err := h.sessions.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Regenerate(); err != nil {
		return err
	}
	sess.Set(sessionUserID, userID)
	sess.Set(sessionStart, time.Now().UnixMilli())
	return sess.Save()
}

// logout: POST /logout
func (h *handler) logout(c *fiber.Ctx) error {
	sess, err := h.sessions.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Destroy(); err != nil {
		return err
	}
	return c.Redirect("/?flash=out", fiber.StatusSeeOther)
}

// setupPage: GET /setup/{token}, while no account exists.
func (h *handler) setupPage(c *fiber.Ctx) error {
	ok, err := h.Store.SetupTokenValid(c.UserContext(), auth.HashToken(c.Params("token")))
	if err != nil {
		return err
	}
	if !ok {
		return fiber.NewError(fiber.StatusNotFound, "This setup link is not valid: it was used already, or a newer one was printed.")
	}
	return h.render(c, fiber.StatusOK, "setup", page{Title: "Create the first admin", Data: fiber.Map{"Token": c.Params("token")}})
}

// setup: POST /setup/{token} creates the first admin and logs them in.
func (h *handler) setup(c *fiber.Ctx) error {
	token := c.Params("token")
	name, email, password := strings.TrimSpace(c.FormValue("name")), strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	again := func(msg string) error {
		return h.render(c, fiber.StatusBadRequest, "setup", page{Title: "Create the first admin", Error: msg,
			Data: fiber.Map{"Token": token, "Name": name, "Email": email}})
	}
	// The address alone is counted: wrong links and refused forms.
	if ok, err := h.admitLogin(c, ""); err != nil {
		return err
	} else if !ok {
		return h.tooManyLogins(c)
	}
	if msg := checkAccount(name, email, password); msg != "" {
		return again(msg)
	}
	hash, err := auth.HashPassword(c.UserContext(), password)
	if err != nil {
		return err
	}
	u, err := h.Store.CreateFirstAdmin(c.UserContext(), auth.HashToken(token), email, name, hash)
	if errors.Is(err, store.ErrNotFound) {
		return fiber.NewError(fiber.StatusNotFound, "This setup link is not valid: it was used already, or a newer one was printed.")
	}
	if err != nil {
		return err
	}
	if err := h.loginSucceeded(c, ""); err != nil {
		return err
	}
	if err := h.startSession(c, u.ID); err != nil {
		return err
	}
	h.Log.Info("first admin created", slog.Int64("user_id", u.ID))
	return c.Redirect("/staff/questions?flash=welcome", fiber.StatusSeeOther)
}

// checkAccount returns what is wrong with new account details, or "".
func checkAccount(name, email, password string) string {
	name = strings.TrimSpace(name)
	switch {
	case name == "" || utf8.RuneCountInString(name) > 100:
		return "Enter a name of at most 100 characters."
	case !strings.Contains(email, "@") || len(email) > 254 || strings.ContainsAny(email, " \t\r\n"):
		return "Enter a valid email address."
	}
	if err := auth.CheckNewPassword(password); err != nil {
		return sentence(err.Error())
	}
	return ""
}

// sentence capitalises a message and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
