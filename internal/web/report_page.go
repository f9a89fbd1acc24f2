package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

// reportData is what the report page renders: the report as the gate lets
// the viewer see it, and what the scoring form starts from.
type reportData struct {
	review.Report
	// CanScore: the viewer writes scorecards (a panel interviewer, or an
	// admin, who joins the panel by scoring).
	CanScore bool
	// Blind: the viewer is on the panel (others' scorecards are hidden from
	// them until they submit their own).
	Blind   bool
	Scoring scoringData
}

// scoringData is the JSON the scoring form (scorecard.js) starts from.
type scoringData struct {
	InterviewID int64             `json:"interview_id"`
	Questions   []scoringQuestion `json:"questions"`
	Candidates  []scoringCand     `json:"candidates"`
}

type scoringQuestion struct {
	Position int    `json:"position"`
	Prompt   string `json:"prompt"`
}

type scoringCand struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// interviewReportPage: GET /interviews/{id}/report, for reviewers, admins
// and the interview's panel. Server-rendered, so it prints without scripts.
func (h *handler) interviewReportPage(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	v, err := h.reviewViewer(c, iv)
	if err != nil {
		return err
	}
	in := review.Input{Interview: iv, Now: time.Now().UTC()}
	if in.Participants, err = h.Store.Participants(ctx, iv.ID); err != nil {
		return err
	}
	if in.Questions, err = h.Store.PlannedQuestions(ctx, iv.ID); err != nil {
		return err
	}
	if in.Answers, err = h.Store.Answers(ctx, iv.ID, 0); err != nil {
		return err
	}
	if in.Events, err = h.Store.AllEvents(ctx, iv.ID); err != nil {
		return err
	}
	if in.Scorecards, err = h.Store.Scorecards(ctx, iv.ID); err != nil {
		return err
	}
	if in.Notes, err = h.Store.Notes(ctx, iv.ID); err != nil {
		return err
	}
	r := review.Build(in, v)
	if err := h.markPanelSeen(c, iv, v, r.Shown); err != nil {
		return err
	}
	u := currentUser(c)
	d := reportData{Report: r, CanScore: u.Role != store.RoleReviewer, Blind: v.Kind == review.Panel,
		Scoring: scoringData{InterviewID: iv.ID, Questions: []scoringQuestion{}, Candidates: []scoringCand{}}}
	if len(r.Candidates) > 0 {
		for _, q := range r.Candidates[0].Questions {
			d.Scoring.Questions = append(d.Scoring.Questions, scoringQuestion{Position: q.Question.Position, Prompt: q.Question.Prompt})
		}
	}
	for _, cr := range r.Candidates {
		d.Scoring.Candidates = append(d.Scoring.Candidates, scoringCand{ID: cr.Candidate.ID, Name: cr.Candidate.Name})
	}
	return h.render(c, fiber.StatusOK, "interview_report", page{Title: "Report: " + iv.Title, Data: d})
}

// reportsPage: GET /reports, the interviews whose reports the user may read
// (reviewers and admins: all; interviewers: those they sit on).
func (h *handler) reportsPage(c *fiber.Ctx) error {
	u := currentUser(c)
	ivs, err := h.Store.ListInterviews(c.UserContext(), u.ID, u.Role != store.RoleInterviewer)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "reports", page{Title: "Reports", Data: ivs})
}
