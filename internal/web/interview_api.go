package web

import (
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
)

type candidateIn struct {
	Name         string `json:"name"`
	Email        string `json:"email"`
	ExtraTimePct int    `json:"extra_time_pct"`
	ExtraTimeS   int    `json:"extra_time_s"`
}

type interviewIn struct {
	Title          string `json:"title"`
	Pacing         string `json:"pacing"`
	ExamTimeLimitS int    `json:"exam_time_limit_s"`
	Questions      []struct {
		QuestionID int64 `json:"question_id"`
		TimeLimitS int   `json:"time_limit_s"`
	} `json:"questions"`
	Candidates   []candidateIn `json:"candidates"`
	Interviewers []string      `json:"interviewers"` // emails of co-interviewers (a panel)
}

// candidateOut is shown once, at creation: the invite token is not stored.
type candidateOut struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Email       string `json:"email,omitempty"`
	InviteURL   string `json:"invite_url"`
	InviteToken string `json:"invite_token"`
}

func decodeJSON(c *fiber.Ctx, v any) error {
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return errCode(fiber.StatusUnsupportedMediaType, "unsupported_media_type", "send application/json")
	}
	return decodeStrictJSON(c.Body(), v)
}

func (h *handler) baseURL(c *fiber.Ctx) string {
	if h.Config.BaseURL != "" {
		return h.Config.BaseURL
	}
	return c.BaseURL()
}

// newCandidates validates candidates and makes their invite tokens.
func newCandidates(in []candidateIn) ([]store.NewCandidate, []string, error) {
	out := make([]store.NewCandidate, len(in))
	tokens := make([]string, len(in))
	for i, c := range in {
		name := strings.TrimSpace(c.Name)
		if name == "" || utf8.RuneCountInString(name) > 100 {
			return nil, nil, errCode(fiber.StatusBadRequest, "invalid_candidate", "candidate "+strconv.Itoa(i+1)+": a name of 1 to 100 characters is required")
		}
		email := strings.TrimSpace(c.Email)
		if email != "" && (!strings.Contains(email, "@") || len(email) > 254) {
			return nil, nil, errCode(fiber.StatusBadRequest, "invalid_candidate", "candidate "+strconv.Itoa(i+1)+": the email is not valid")
		}
		if e := room.CheckExtraTime(c.ExtraTimePct, c.ExtraTimeS); e != nil {
			return nil, nil, errCode(fiber.StatusBadRequest, "invalid_candidate", "candidate "+strconv.Itoa(i+1)+": "+e.Message)
		}
		tok, hash := auth.NewToken()
		out[i], tokens[i] = store.NewCandidate{Name: name, Email: email, TokenHash: hash, ExtraTimePct: c.ExtraTimePct, ExtraTimeS: c.ExtraTimeS}, tok
	}
	return out, tokens, nil
}

func (h *handler) candidatesOut(c *fiber.Ctx, ps []store.Participant, tokens []string) []candidateOut {
	out := make([]candidateOut, 0, len(ps))
	i := 0
	for _, p := range ps {
		if p.Role != store.PartCandidate {
			continue
		}
		out = append(out, candidateOut{ID: p.ID, Name: p.Name, Email: p.Email, InviteURL: h.baseURL(c) + "/join/" + tokens[i], InviteToken: tokens[i]})
		i++
	}
	return out
}

// apiCreateInterview: POST /api/v1/interviews
func (h *handler) apiCreateInterview(c *fiber.Ctx) error {
	var in interviewIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	in.Title = strings.TrimSpace(in.Title)
	switch {
	case in.Title == "" || utf8.RuneCountInString(in.Title) > 200:
		return errCode(fiber.StatusBadRequest, "invalid_interview", "a title of 1 to 200 characters is required")
	case in.ExamTimeLimitS < 0 || in.ExamTimeLimitS > 24*3600:
		return errCode(fiber.StatusBadRequest, "invalid_interview", "exam_time_limit_s must be between 0 and 86400")
	case len(in.Candidates) > store.MaxCandidates:
		return errCode(fiber.StatusBadRequest, "invalid_interview", "at most 200 candidates per interview")
	case len(in.Questions) > 100:
		return errCode(fiber.StatusBadRequest, "invalid_interview", "at most 100 planned questions")
	case in.Pacing != "" && in.Pacing != store.PacingPushed && in.Pacing != store.PacingSelfPaced:
		return errCode(fiber.StatusBadRequest, "invalid_interview", `pacing must be "pushed" or "self_paced"`)
	case in.Pacing == store.PacingSelfPaced && len(in.Questions) == 0:
		return errCode(fiber.StatusBadRequest, "invalid_interview", "a self-paced exam needs its questions planned")
	}
	u := currentUser(c)
	ni := store.NewInterview{Title: in.Title, Pacing: in.Pacing, ExamTimeLimitS: in.ExamTimeLimitS, CreatedBy: u.ID, Panel: []int64{u.ID}}
	for i, q := range in.Questions {
		if q.QuestionID <= 0 || q.TimeLimitS < 0 || q.TimeLimitS > 4*3600 {
			return errCode(fiber.StatusBadRequest, "invalid_interview", "question "+strconv.Itoa(i+1)+": question_id is required and time_limit_s must be between 0 and 14400")
		}
		ni.Questions = append(ni.Questions, store.PlanItem{QuestionID: q.QuestionID, TimeLimitS: q.TimeLimitS})
	}
	for _, email := range in.Interviewers {
		p, err := h.Store.UserByEmail(c.UserContext(), email)
		if errors.Is(err, store.ErrNotFound) || (err == nil && p.Role == store.RoleReviewer) {
			return errCode(fiber.StatusBadRequest, "invalid_interview", "no interviewer or admin with email "+email)
		}
		if err != nil {
			return err
		}
		if p.ID != u.ID {
			ni.Panel = append(ni.Panel, p.ID)
		}
	}
	cands, tokens, err := newCandidates(in.Candidates)
	if err != nil {
		return err
	}
	ni.Candidates = cands
	iv, ps, err := h.Store.CreateInterview(c.UserContext(), ni)
	if errors.Is(err, store.ErrNotFound) {
		return errCode(fiber.StatusBadRequest, "invalid_interview", "a planned question is not in the bank")
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{
		"id":          iv.ID,
		"console_url": h.baseURL(c) + "/interviews/" + strconv.FormatInt(iv.ID, 10) + "/console",
		"candidates":  h.candidatesOut(c, ps, tokens),
	})
}

// interviewAccess loads an interview the current user may see: admins and
// reviewers see all, interviewers those they are on.
func (h *handler) interviewAccess(c *fiber.Ctx) (store.Interview, error) {
	id, err := paramID(c)
	if err != nil {
		return store.Interview{}, err
	}
	iv, err := h.Store.GetInterview(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return iv, errCode(fiber.StatusNotFound, "not_found", "no interview "+strconv.FormatInt(id, 10))
	}
	if err != nil {
		return iv, err
	}
	if iv.Practice {
		// Practice attempts are their takers' alone: no staff page shows one.
		return iv, errCode(fiber.StatusNotFound, "not_found", "no interview "+strconv.FormatInt(id, 10))
	}
	u := currentUser(c)
	if u.Role == store.RoleInterviewer {
		if _, err := h.Store.ParticipantByUser(c.UserContext(), id, u.ID); err != nil {
			return iv, errCode(fiber.StatusForbidden, "forbidden", "you are not an interviewer of this interview")
		}
	}
	return iv, nil
}

// apiListInterviews: GET /api/v1/interviews
func (h *handler) apiListInterviews(c *fiber.Ctx) error {
	u := currentUser(c)
	ivs, err := h.Store.ListInterviews(c.UserContext(), u.ID, u.Role != store.RoleInterviewer)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"interviews": ivs})
}

// apiGetInterview: GET /api/v1/interviews/{id}
func (h *handler) apiGetInterview(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	qs, err := h.Store.PlannedQuestions(c.UserContext(), iv.ID)
	if err != nil {
		return err
	}
	ps, err := h.Store.Participants(c.UserContext(), iv.ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"interview": iv, "questions": qs, "participants": ps})
}

// apiAddCandidates: POST /api/v1/interviews/{id}/candidates
func (h *handler) apiAddCandidates(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	if currentUser(c).Role == store.RoleReviewer {
		return errCode(fiber.StatusForbidden, "forbidden", "reviewers may not invite candidates")
	}
	var in struct {
		Candidates []candidateIn `json:"candidates"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if len(in.Candidates) == 0 {
		return errCode(fiber.StatusBadRequest, "invalid_candidate", "name at least one candidate")
	}
	cands, tokens, err := newCandidates(in.Candidates)
	if err != nil {
		return err
	}
	ps, err := h.Store.AddCandidates(c.UserContext(), iv.ID, cands)
	if errors.Is(err, store.ErrConflict) {
		return errCode(fiber.StatusConflict, "too_many_candidates", "at most 200 candidates per interview")
	}
	if err != nil {
		return err
	}
	if h.Hub != nil {
		for _, p := range ps {
			// The candidates are stored and their invite tokens are shown only
			// in this answer: a failure here is logged, not turned into a 500
			// that would lose the links. Changing the extra time live redoes it.
			if err := h.Hub.ApplyExtraTime(c.UserContext(), iv.ID, p); err != nil {
				h.Log.Error("apply extra time to an added candidate", slog.Int64("interview_id", iv.ID), slog.Int64("candidate_id", p.ID), slog.Any("error", err))
			}
			h.Hub.ParticipantAdded(iv.ID, p)
		}
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"candidates": h.candidatesOut(c, ps, tokens)})
}

// apiRevokeInvite: DELETE /api/v1/interviews/{id}/candidates/{cid}/invite
func (h *handler) apiRevokeInvite(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	if currentUser(c).Role == store.RoleReviewer {
		return errCode(fiber.StatusForbidden, "forbidden", "reviewers may not revoke invites")
	}
	cid, err := strconv.ParseInt(c.Params("cid"), 10, 64)
	if err != nil || cid <= 0 {
		return errCode(fiber.StatusBadRequest, "bad_id", "the candidate id must be a positive whole number")
	}
	if err := h.Store.RevokeInvite(c.UserContext(), iv.ID, cid); errors.Is(err, store.ErrNotFound) {
		return errCode(fiber.StatusNotFound, "not_found", "no candidate "+strconv.FormatInt(cid, 10)+" in this interview")
	} else if err != nil {
		return err
	}
	h.Hub.Revoke(iv.ID, cid)
	return c.SendStatus(fiber.StatusNoContent)
}

// apiEvents: GET /api/v1/interviews/{id}/events?after=SEQ, the transcript.
func (h *handler) apiEvents(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	after, err := queryInt(c, "after", 0, 0, 1<<62)
	if err != nil {
		return err
	}
	limit, err := queryInt(c, "limit", 1000, 1, 5000)
	if err != nil {
		return err
	}
	evs, err := h.Store.EventsAfter(c.UserContext(), iv.ID, int64(after), limit)
	if err != nil {
		return err
	}
	staff := room.Identity{Role: store.PartInterviewer}
	out := make([]fiber.Map, 0, len(evs))
	for _, ev := range evs {
		// The same rule as live delivery; staff may see every event whole.
		p, ok := room.Project(ev, staff)
		if !ok {
			continue
		}
		out = append(out, fiber.Map{"seq": p.Seq, "type": p.Type, "ts": p.CreatedAt, "actor": p.ActorID, "data": p.Data})
	}
	return c.JSON(fiber.Map{"events": out})
}
