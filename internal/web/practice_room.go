package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
)

// practiceRoomPage: GET /practice/{id}, the attempt in the candidate view.
// The holder's cookie opens it in any tab, so a refresh or a second tab
// resumes the same attempt (the room's welcome brings back the answers
// and the timers). An attempt that is over goes to its results.
func (h *handler) practiceRoomPage(c *fiber.Ctx) error {
	a, iv, err := h.practiceAttempt(c)
	if err != nil {
		return err
	}
	if iv.Status == store.StatusEnded {
		return c.Redirect(practiceURL(iv.ID, "results"), fiber.StatusSeeOther)
	}
	if err := h.Store.TouchPractice(c.UserContext(), a.InterviewID); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "interview_room", page{Title: iv.Title, Exam: true,
		Data: roomData{InterviewID: iv.ID, Title: iv.Title, Name: store.PracticeCandidateName, Status: iv.Status,
			Practice: true, FinishURL: practiceURL(iv.ID, "finish"), ResultsURL: practiceURL(iv.ID, "results")}})
}

// practiceFinish: POST /practice/{id}/finish, the holder ends the attempt.
// Finishing one that is already over is no error: two tabs may both ask.
func (h *handler) practiceFinish(c *fiber.Ctx) error {
	_, iv, err := h.practiceAttempt(c)
	if err != nil {
		return err
	}
	if err := h.endPractice(c, iv); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": store.StatusEnded, "results_url": practiceURL(iv.ID, "results")})
}

// endPractice ends an attempt on the server's account unless it has ended.
func (h *handler) endPractice(c *fiber.Ctx, iv store.Interview) error {
	if iv.Status == store.StatusEnded {
		return nil
	}
	err := h.Hub.EndInterview(c.UserContext(), iv.ID)
	var re *room.Error
	if errors.As(err, &re) && re.Code == "interview_ended" {
		return nil
	}
	return err
}
