package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

// apiRotateInvite: POST /api/v1/interviews/{id}/candidates/{cid}/invite.
// Invite tokens are stored only as hashes, so a lost link cannot be shown
// again; this issues a new one (and ends the old one, and any revocation).
func (h *handler) apiRotateInvite(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	if currentUser(c).Role == store.RoleReviewer {
		return errCode(fiber.StatusForbidden, "forbidden", "reviewers may not invite candidates")
	}
	cid, err := strconv.ParseInt(c.Params("cid"), 10, 64)
	if err != nil || cid <= 0 {
		return errCode(fiber.StatusBadRequest, "bad_id", "the candidate id must be a positive whole number")
	}
	token, hash := auth.NewToken()
	p, err := h.Store.RotateInvite(c.UserContext(), iv.ID, cid, hash)
	if errors.Is(err, store.ErrNotFound) {
		return errCode(fiber.StatusNotFound, "not_found", "no candidate "+strconv.FormatInt(cid, 10)+" in this interview")
	}
	if err != nil {
		return err
	}
	// Sockets opened with the old token are closed like a revocation.
	h.Hub.Revoke(iv.ID, cid)
	return c.Status(fiber.StatusCreated).JSON(h.candidatesOut(c, []store.Participant{p}, []string{token})[0])
}
