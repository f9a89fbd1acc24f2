package web

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/practice"
	"github.com/ace-interviews/ace/internal/store"
)

// practiceWindow is the window of --practice-limit.
const practiceWindow = time.Hour

// practiceForm is what /practice/new renders.
type practiceForm struct {
	Technologies []store.TechnologyCount
	Settings     practice.Settings
	Counts       []int
	Minutes      []int
}

func (h *handler) renderPracticeForm(c *fiber.Ctx, status int, s practice.Settings, msg string) error {
	techs, err := h.Store.Technologies(c.UserContext(), false)
	if err != nil {
		return err
	}
	return h.render(c, status, "practice_new", page{Title: "Take a practice exam", Error: msg,
		Data: practiceForm{Technologies: techs, Settings: s, Counts: practice.Counts, Minutes: practice.ExamMinutes}})
}

// practiceNewPage: GET /practice/new[?technology=X], the settings form.
func (h *handler) practiceNewPage(c *fiber.Ctx) error {
	s := practice.Settings{Technology: c.Query("technology"), Count: 5, TimeMode: store.PracticeSuggested, ExamMinutes: 20}
	return h.renderPracticeForm(c, fiber.StatusOK, s, "")
}

// practiceCreate: POST /practice, a new attempt from the form.
func (h *handler) practiceCreate(c *fiber.Ctx) error {
	s, err := practice.Parse(func(k string) string { return c.FormValue(k) })
	if errors.Is(err, practice.ErrSettings) {
		return h.renderPracticeForm(c, fiber.StatusBadRequest, s, err.Error())
	}
	ids, err := h.Store.PracticeQuestionIDs(c.UserContext(), s.Technology, s.Level)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return h.renderPracticeForm(c, fiber.StatusBadRequest, s, "The public bank has no "+s.Technology+" question at that level yet. Choose another level or technology.")
	}
	return h.startPractice(c, s, practice.Draw(ids, s.Count))
}

// practiceRetry: POST /practice/{id}/retry, a new attempt of the questions
// the taker rated Missed, in the same time mode.
func (h *handler) practiceRetry(c *fiber.Ctx) error {
	a, iv, err := h.practiceAttempt(c)
	if err != nil {
		return err
	}
	ratings, err := h.Store.PracticeRatings(c.UserContext(), a.InterviewID)
	if err != nil {
		return err
	}
	qs, err := h.Store.PracticeQuestions(c.UserContext(), a.InterviewID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, q := range qs {
		if ratings[q.Position] == store.RatingMissed && q.QuestionID != nil && !q.Withdrawn {
			ids = append(ids, *q.QuestionID)
		}
	}
	if len(ids) == 0 {
		return errCode(fiber.StatusBadRequest, "nothing_missed", "No question of this practice exam is rated Missed: there is nothing to retry.")
	}
	s := practice.Settings{Technology: a.Technology, Level: a.Level, Count: len(ids), TimeMode: a.TimeMode}
	if a.TimeMode == store.PracticeExam {
		// The same time per question as the attempt retried, in whole minutes.
		perQ := iv.ExamTimeLimitS / max(1, a.QuestionCount)
		s.ExamMinutes = max(1, (perQ*len(ids)+59)/60)
	}
	return h.startPractice(c, s, ids)
}

// startPractice counts the attempt against the client's address, stores
// it, starts it on the server's account and sends the taker to its room.
// Every question id is checked public again as it is copied.
func (h *handler) startPractice(c *fiber.Ctx, s practice.Settings, ids []int64) error {
	ctx := c.UserContext()
	addr := h.clientAddr(c)
	n, err := h.Store.CountPracticeStart(ctx, addr, practiceWindow)
	if err != nil {
		return err
	}
	if n > h.Config.PracticeLimit {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(practiceWindow.Seconds())))
		return errCode(fiber.StatusTooManyRequests, "rate_limited",
			"Too many practice exams were started from your network in the last hour ("+strconv.Itoa(h.Config.PracticeLimit)+" at most). Wait a while, or finish one you have started.")
	}
	_, tokenHash := auth.NewToken()
	iv, _, err := h.Store.CreatePractice(ctx, store.NewPractice{Technology: s.Technology, Level: s.Level, TimeMode: s.TimeMode,
		ExamTimeLimitS: s.ExamMinutes * 60, QuestionIDs: ids, HolderHash: auth.HashToken(h.practiceHolder(c)), TokenHash: tokenHash, ClientAddr: addr})
	if errors.Is(err, store.ErrNotFound) {
		return errCode(fiber.StatusConflict, "not_public", "A question of this practice exam is no longer in the public bank. Start a new one.")
	}
	if err != nil {
		return err
	}
	if err := h.Hub.StartInterview(ctx, iv.ID); err != nil {
		return err
	}
	return c.Redirect(practiceURL(iv.ID, ""), fiber.StatusSeeOther)
}
