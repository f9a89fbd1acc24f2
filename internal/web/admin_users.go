package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

var roles = []string{store.RoleAdmin, store.RoleInterviewer, store.RoleReviewer}

func (h *handler) renderUsers(c *fiber.Ctx, status int, p page, form fiber.Map) error {
	users, err := h.Store.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	form["Users"], form["Roles"] = users, roles
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

// userSetRole: POST /admin/users/{id}/role
func (h *handler) userSetRole(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	role := c.FormValue("role")
	if !store.ValidRole(role) {
		return h.renderUsers(c, fiber.StatusBadRequest, page{Error: "Choose admin, interviewer or reviewer."}, fiber.Map{})
	}
	if err := h.Store.SetUserRole(c.UserContext(), id, role); errors.Is(err, store.ErrLastAdmin) {
		return h.renderUsers(c, fiber.StatusConflict, page{Error: "The last admin keeps the admin role."}, fiber.Map{})
	} else if err != nil {
		return err
	}
	return c.Redirect("/admin/users?flash=role", fiber.StatusSeeOther)
}
