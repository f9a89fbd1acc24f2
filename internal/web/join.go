package web

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

// join: GET /join/{token}, the invite link. It checks the token, keeps it in
// an HttpOnly cookie (so it leaves the address bar and the history) and
// sends the candidate to their room.
func (h *handler) join(c *fiber.Ctx) error {
	token := c.Params("token")
	p, err := h.Store.ParticipantByToken(c.UserContext(), auth.HashToken(token))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fiber.NewError(fiber.StatusNotFound, "This invite link is not valid. Check that you copied all of it.")
	case err != nil:
		return err
	case p.RevokedAt != nil:
		return fiber.NewError(fiber.StatusGone, "This invite was withdrawn. Ask your interviewer for a new link.")
	}
	iv, err := h.Store.GetInterview(c.UserContext(), p.InterviewID)
	if err != nil {
		return err
	}
	if iv.Status == store.StatusEnded {
		return fiber.NewError(fiber.StatusGone, "This interview has ended.")
	}
	c.Cookie(&fiber.Cookie{
		Name:     candidateCookie,
		Value:    token,
		Path:     "/",
		HTTPOnly: true,
		Secure:   h.Config.Secure(),
		SameSite: "Lax",
		Expires:  time.Now().Add(7 * 24 * time.Hour),
	})
	return c.Redirect("/interviews/"+strconv.FormatInt(iv.ID, 10)+"/room", fiber.StatusSeeOther)
}
