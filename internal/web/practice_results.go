package web

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/practice"
	"github.com/ace-interviews/ace/internal/store"
)

// practiceQuestion is one question on the results page.
type practiceQuestion struct {
	store.PracticeQuestion
	Typed   string // the taker's answer (the embedded Answer is the model answer)
	Outcome string
	UsedMS  int64
	LimitMS int64
	Rating  string
}

// practiceResults is what the results and shared pages render.
type practiceResults struct {
	Attempt   store.PracticeAttempt
	Interview store.Interview
	Questions []practiceQuestion
	Score     practice.Score
	Missed    int
	ShareURL  string
	Ratings   []ratingOption
}

// ratingOption is one self-rating, with its key.
type ratingOption struct {
	Value, Label, Key string
}

var ratingOptions = []ratingOption{{store.RatingMissed, "Missed", "1"}, {store.RatingPartly, "Partly", "2"}, {store.RatingGot, "Got it", "3"}}

var outcomeLabels = map[string]string{
	practice.OutcomeSubmitted: "Submitted",
	practice.OutcomeTimeUp:    "Time ran out",
	practice.OutcomeOpen:      "Not submitted",
	practice.OutcomeNone:      "No answer",
}

// practiceFuncs are the practice pages' template functions.
func practiceFuncs() template.FuncMap {
	return template.FuncMap{
		"outcomeLabel": func(o string) string { return outcomeLabels[o] },
		"ratingLabel": func(r string) string {
			for _, o := range ratingOptions {
				if o.Value == r {
					return o.Label
				}
			}
			return "Not rated"
		},
		"mul1000": func(s int) int64 { return int64(s) * 1000 },
	}
}

// practiceResultsPage: GET /practice/{id}/results. An attempt whose time
// has run out is ended here (the timer has decided; the page only records
// it). One still running goes back to its room rather than being ended by
// opening a link: ending it throws away the time left, so only "Finish"
// (a POST) does that.
func (h *handler) practiceResultsPage(c *fiber.Ctx) error {
	a, iv, err := h.practiceAttempt(c)
	if err != nil {
		return err
	}
	if iv.Status != store.StatusEnded {
		up, err := h.practiceTimeUp(c, iv)
		if err != nil {
			return err
		}
		if !up {
			return c.Redirect(practiceURL(iv.ID, ""), fiber.StatusSeeOther)
		}
		if err := h.endPractice(c, iv); err != nil {
			return err
		}
		if iv, err = h.Store.GetInterview(c.UserContext(), iv.ID); err != nil {
			return err
		}
	}
	if err := h.Store.TouchPractice(c.UserContext(), a.InterviewID); err != nil {
		return err
	}
	r, err := h.buildResults(c, a, iv, true)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "practice_results", page{Title: "Your results: " + a.Technology, Data: r})
}

// practiceTimeUp reports whether nothing is left to answer: the exam's
// timer ran out, or every question has a limit and each ran out.
func (h *handler) practiceTimeUp(c *fiber.Ctx, iv store.Interview) (bool, error) {
	ts, err := h.Store.RoomTimers(c.UserContext(), iv.ID)
	if err != nil {
		return false, err
	}
	qs, err := h.Store.PlannedQuestions(c.UserContext(), iv.ID)
	if err != nil {
		return false, err
	}
	expired := map[int]bool{}
	for _, t := range ts {
		if t.State != store.TimerExpired {
			continue
		}
		if t.Scope == "exam" {
			return true, nil
		}
		expired[t.Position] = true
	}
	for _, q := range qs {
		if q.TimeLimitS == 0 || !expired[q.Position] {
			return false, nil
		}
	}
	return len(qs) > 0, nil
}

// buildResults gathers an attempt's results; mine adds what only its
// holder sees (answers, model answers, the share link).
func (h *handler) buildResults(c *fiber.Ctx, a store.PracticeAttempt, iv store.Interview, mine bool) (practiceResults, error) {
	ctx := c.UserContext()
	r := practiceResults{Attempt: a, Interview: iv, Ratings: ratingOptions}
	qs, err := h.Store.PracticeQuestions(ctx, iv.ID)
	if err != nil {
		return r, err
	}
	ratings, err := h.Store.PracticeRatings(ctx, iv.ID)
	if err != nil {
		return r, err
	}
	r.Score = practice.Total(ratings, len(qs))
	var answers map[int]store.Answer
	var tm practice.Timing
	if mine {
		cand, err := h.practiceCandidate(c, iv.ID)
		if err != nil {
			return r, err
		}
		as, err := h.Store.Answers(ctx, iv.ID, cand.ID)
		if err != nil {
			return r, err
		}
		answers = make(map[int]store.Answer, len(as))
		for _, x := range as {
			answers[x.Position] = x
		}
		evs, err := h.Store.EventsAfter(ctx, iv.ID, 0, 1<<20)
		if err != nil {
			return r, err
		}
		end := time.Now()
		if iv.EndedAt != nil {
			end = *iv.EndedAt
		}
		tm = practice.TimeUsed(evs, cand.ID, end)
		if a.ShareToken != nil {
			r.ShareURL = h.baseURL(c) + "/practice/shared/" + *a.ShareToken
		}
	}
	for _, q := range qs {
		pq := practiceQuestion{PracticeQuestion: q, Rating: ratings[q.Position], LimitMS: int64(q.TimeLimitS) * 1000}
		if pq.Rating == store.RatingMissed {
			r.Missed++
		}
		if q.Withdrawn {
			// Made private since: its text stays off every practice page.
			pq.Prompt, pq.PlannedQuestion.Answer = "", ""
		}
		if !mine {
			// A share shows the prompts and ratings, never an answer.
			pq.PlannedQuestion.Answer = ""
			r.Questions = append(r.Questions, pq)
			continue
		}
		ans, ok := answers[q.Position]
		if !q.Withdrawn {
			pq.Typed = ans.Text
		}
		var ap *store.Answer
		if ok {
			ap = &ans
		}
		pq.Outcome = practice.Outcome(ap, tm.Expired[q.Position] || tm.ExamUp)
		pq.UsedMS = tm.UsedMS[q.Position]
		r.Questions = append(r.Questions, pq)
	}
	return r, nil
}

// endedPractice is practiceAttempt for what only an ended attempt allows
// (a 409 before, saying "Finish the practice exam before <doing>").
func (h *handler) endedPractice(c *fiber.Ctx, doing string) (store.PracticeAttempt, store.Interview, error) {
	a, iv, err := h.practiceAttempt(c)
	if err == nil && iv.Status != store.StatusEnded {
		err = errCode(fiber.StatusConflict, "not_ended", "Finish the practice exam before "+doing+".")
	}
	return a, iv, err
}

// practiceRate: POST /practice/{id}/rate (position, rating), the holder's
// self-rating of one question once the attempt is over. Scripts (Accept:
// application/json) get the new score; a plain form goes back to the page.
func (h *handler) practiceRate(c *fiber.Ctx) error {
	a, iv, err := h.endedPractice(c, "rating your answers")
	if err != nil {
		return err
	}
	pos, err := strconv.Atoi(c.FormValue("position"))
	if err != nil || pos < 1 {
		return errCode(fiber.StatusBadRequest, "bad_position", "position must be a question's number")
	}
	rating := c.FormValue("rating")
	if !practice.ValidRating(rating) {
		return errCode(fiber.StatusBadRequest, "bad_rating", "rating must be missed, partly or got")
	}
	if err := h.Store.RatePractice(c.UserContext(), a.InterviewID, pos, rating); err != nil {
		return err
	}
	if !strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) {
		return c.Redirect(practiceURL(iv.ID, "results")+"#q-"+strconv.Itoa(pos), fiber.StatusSeeOther)
	}
	ratings, err := h.Store.PracticeRatings(c.UserContext(), a.InterviewID)
	if err != nil {
		return err
	}
	qs, err := h.Store.PlannedQuestions(c.UserContext(), iv.ID)
	if err != nil {
		return err
	}
	s := practice.Total(ratings, len(qs))
	return c.JSON(fiber.Map{"points": s.Points(), "rated": s.Rated, "of": s.Of})
}

// practiceShare: POST /practice/{id}/share (share=on|off), the opt-in share
// link: on makes a new link (an older one stops working), off removes it.
func (h *handler) practiceShare(c *fiber.Ctx) error {
	a, iv, err := h.endedPractice(c, "sharing it")
	if err != nil {
		return err
	}
	token := ""
	switch c.FormValue("share") {
	case "on":
		token, _ = auth.NewToken()
	case "off":
	default:
		return errCode(fiber.StatusBadRequest, "bad_share", "share must be on or off")
	}
	if err := h.Store.SetPracticeShare(c.UserContext(), a.InterviewID, token); err != nil {
		return err
	}
	return c.Redirect(practiceURL(iv.ID, "results")+"#share", fiber.StatusSeeOther)
}

// practiceSharedPage: GET /practice/shared/{token}, what a share link shows
// anyone: the score and the questions' prompts with their rating. No
// answer, typed or model, is on it.
func (h *handler) practiceSharedPage(c *fiber.Ctx) error {
	a, err := h.Store.PracticeByShareToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return errCode(fiber.StatusNotFound, "not_found", "This share link does not work: its owner may have stopped sharing, or the practice exam was deleted.")
	}
	iv, err := h.Store.GetInterview(c.UserContext(), a.InterviewID)
	if err != nil {
		return err
	}
	r, err := h.buildResults(c, a, iv, false)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "practice_shared", page{Title: "Practice exam: " + a.Technology, Data: r})
}
