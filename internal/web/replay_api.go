package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

// apiReplay: GET /api/v1/interviews/{id}/candidates/{cid}/replay, one
// candidate's whole timeline in one answer (docs/protocol.md, "Replay"):
// for reviewers, admins and the interview's panel, like the transcript.
func (h *handler) apiReplay(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	p, err := h.candidateOf(c, iv)
	if err != nil {
		return err
	}
	items, err := review.LoadReplay(c.UserContext(), h.Store, iv.ID, p.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(review.MarshalReplay(items))
}

// candidateOf reads the :cid parameter as a candidate of the interview:
// 400 for a malformed id, 404 for anyone who is not one.
func (h *handler) candidateOf(c *fiber.Ctx, iv store.Interview) (store.Participant, error) {
	cid, err := strconv.ParseInt(c.Params("cid"), 10, 64)
	if err != nil || cid <= 0 {
		return store.Participant{}, errCode(fiber.StatusBadRequest, "bad_id", "the candidate id must be a positive whole number")
	}
	p, err := h.Store.ParticipantByID(c.UserContext(), cid)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (p.InterviewID != iv.ID || p.Role != store.PartCandidate)) {
		return p, errCode(fiber.StatusNotFound, "not_found", "no candidate "+strconv.FormatInt(cid, 10)+" in this interview")
	}
	return p, err
}
