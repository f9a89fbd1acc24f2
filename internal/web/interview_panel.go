package web

import (
	"errors"
	"log/slog"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/store"
)

// apiRemoveInterviewer: DELETE /api/v1/interviews/{id}/interviewers/{pid}
// takes an interviewer off the panel and closes their sockets in this room
// on every instance; reconnecting is refused (the upgrade reads the panel).
// The last interviewer stays: the interview would have nobody to run it.
func (h *handler) apiRemoveInterviewer(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	pid, err := strconv.ParseInt(c.Params("pid"), 10, 64)
	if err != nil || pid <= 0 {
		return errCode(fiber.StatusBadRequest, "bad_id", "the participant id must be a positive whole number")
	}
	switch err := h.Store.RemoveInterviewer(c.UserContext(), iv.ID, pid); {
	case errors.Is(err, store.ErrNotFound):
		return errCode(fiber.StatusNotFound, "not_found", "no interviewer "+strconv.FormatInt(pid, 10)+" in this interview")
	case errors.Is(err, store.ErrLastInterviewer):
		return errCode(fiber.StatusConflict, "last_interviewer", "the last interviewer stays on the panel")
	case err != nil:
		return err
	}
	h.Log.Info("interviewer removed", slog.Int64("interview_id", iv.ID), slog.Int64("participant_id", pid), slog.Int64("by", currentUser(c).ID))
	if h.Hub != nil {
		h.Hub.KickParticipant(iv.ID, pid, "you were removed from this interview")
	}
	return c.SendStatus(fiber.StatusNoContent)
}
