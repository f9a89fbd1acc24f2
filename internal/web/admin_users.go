package web

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

var roles = []string{store.RoleAdmin, store.RoleInterviewer, store.RoleReviewer}

// tokenRow is an API token as the users page lists it.
type tokenRow struct {
	store.APIToken
	Email string
}

func (h *handler) renderUsers(c *fiber.Ctx, status int, p page, form fiber.Map) error {
	users, err := h.Store.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	tokens, err := h.Store.AllAPITokens(c.UserContext())
	if err != nil {
		return err
	}
	emails := make(map[int64]string, len(users))
	for _, u := range users {
		emails[u.ID] = u.Email
	}
	rows := make([]tokenRow, len(tokens))
	for i, t := range tokens {
		rows[i] = tokenRow{APIToken: t, Email: emails[t.UserID]}
	}
	form["Users"], form["Roles"], form["Tokens"] = users, roles, rows
	form["Self"] = currentUser(c).ID
	if form["Role"] == nil {
		form["Role"] = store.RoleInterviewer
	}
	p.Title, p.Data = "Users", form
	return h.render(c, status, "users", p)
}

// usersPage: GET /admin/users
func (h *handler) usersPage(c *fiber.Ctx) error {
	return h.renderUsers(c, fiber.StatusOK, page{}, fiber.Map{})
}

// userCreate: POST /admin/users
func (h *handler) userCreate(c *fiber.Ctx) error {
	name, email, role, password := c.FormValue("name"), c.FormValue("email"), c.FormValue("role"), c.FormValue("password")
	form := fiber.Map{"Name": name, "Email": email, "Role": role}
	msg := checkAccount(name, email, password)
	if msg == "" && !store.ValidRole(role) {
		msg = "Choose admin, interviewer or reviewer."
	}
	if msg != "" {
		return h.renderUsers(c, fiber.StatusBadRequest, page{Error: msg}, form)
	}
	hash, err := auth.HashPassword(c.UserContext(), password)
	if err != nil {
		return err
	}
	if _, err := h.Store.CreateUser(c.UserContext(), email, name, role, hash); errors.Is(err, store.ErrConflict) {
		return h.renderUsers(c, fiber.StatusConflict, page{Error: "A user with this email exists already."}, form)
	} else if err != nil {
		return err
	}
	return c.Redirect("/admin/users?flash=user", fiber.StatusSeeOther)
}

// userSetRole: POST /admin/users/{id}/role. The user's open sockets are
// closed so that the role takes effect there too: the client reconnects and
// the upgrade decides again (a reviewer is refused).
func (h *handler) userSetRole(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	role := c.FormValue("role")
	if !store.ValidRole(role) {
		return h.renderUsers(c, fiber.StatusBadRequest, page{Error: "Choose admin, interviewer or reviewer."}, fiber.Map{})
	}
	changed, err := h.Store.SetUserRole(c.UserContext(), id, role)
	if errors.Is(err, store.ErrLastAdmin) {
		return h.renderUsers(c, fiber.StatusConflict, page{Error: "The last admin keeps the admin role."}, fiber.Map{})
	} else if err != nil {
		return err
	}
	if changed {
		h.Log.Info("role changed", slog.Int64("user_id", id), slog.String("role", role), slog.Int64("by", currentUser(c).ID))
		h.kickUser(id)
	}
	return c.Redirect("/admin/users?flash=role", fiber.StatusSeeOther)
}

// userDisable: POST /admin/users/{id}/disable. The account's sessions and
// tokens stop working on their next request (authenticate reads the account
// each time); its open sockets are closed here.
func (h *handler) userDisable(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if id == currentUser(c).ID {
		return h.renderUsers(c, fiber.StatusBadRequest, page{Error: "You cannot disable your own account: ask another admin."}, fiber.Map{})
	}
	if _, err := h.Store.SetUserDisabled(c.UserContext(), id, true); errors.Is(err, store.ErrLastAdmin) {
		return h.renderUsers(c, fiber.StatusConflict, page{Error: "The last enabled admin cannot be disabled."}, fiber.Map{})
	} else if err != nil {
		return err
	}
	h.Log.Info("account disabled", slog.Int64("user_id", id), slog.Int64("by", currentUser(c).ID))
	h.kickUser(id)
	return c.Redirect("/admin/users?flash=disabled", fiber.StatusSeeOther)
}

// userEnable: POST /admin/users/{id}/enable
func (h *handler) userEnable(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if _, err := h.Store.SetUserDisabled(c.UserContext(), id, false); err != nil {
		return err
	}
	h.Log.Info("account enabled", slog.Int64("user_id", id), slog.Int64("by", currentUser(c).ID))
	return c.Redirect("/admin/users?flash=enabled", fiber.StatusSeeOther)
}

// tokenRevoke: POST /admin/tokens/{id}/revoke. Requests with the token are
// refused from now on; the owner's open sockets are closed too, since one
// may have been opened with it (their browser reconnects with its cookie).
func (h *handler) tokenRevoke(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	t, err := h.Store.RevokeAPIToken(c.UserContext(), id)
	if err != nil {
		return err
	}
	h.Log.Info("api token revoked", slog.Int64("token_id", id), slog.Int64("user_id", t.UserID), slog.Int64("by", currentUser(c).ID))
	h.kickUser(t.UserID)
	return c.Redirect("/admin/users?flash=token", fiber.StatusSeeOther)
}
