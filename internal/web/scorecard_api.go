package web

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

// scorecardIn is the body of PUT .../scorecard (contract): the author's
// whole working copy.
type scorecardIn struct {
	Recommendation *string   `json:"recommendation"`
	Summary        string    `json:"summary"`
	Scores         []scoreIn `json:"scores"`
}

type scoreIn struct {
	Position int    `json:"position"`
	Score    *int   `json:"score"`
	Comment  string `json:"comment"`
}

// scoreOut is one question's score; Score is null for not assessed.
type scoreOut struct {
	Position int    `json:"position"`
	Score    *int   `json:"score"`
	Comment  string `json:"comment"`
}

// scorecardOut is a scorecard version as the API shows it (contract).
type scorecardOut struct {
	ID             int64      `json:"id,omitempty"`
	CandidateID    int64      `json:"candidate_id"`
	AuthorID       int64      `json:"author_id"`
	AuthorName     string     `json:"author_name,omitempty"`
	Version        int        `json:"version"`
	Status         string     `json:"status"`
	Recommendation string     `json:"recommendation"`
	Summary        string     `json:"summary"`
	Scores         []scoreOut `json:"scores"`
	Amended        bool       `json:"amended"`
	SeenPanel      bool       `json:"seen_panel"`
	UpdatedAt      *time.Time `json:"updated_at,omitempty"`
	SubmittedAt    *time.Time `json:"submitted_at"`
	Current        bool       `json:"current"`
}

// scorecardStatusNew is the status of a scorecard nobody has written yet.
const scorecardStatusNew = "new"

func toScorecardOut(sc store.Scorecard) scorecardOut {
	out := scorecardOut{ID: sc.ID, CandidateID: sc.CandidateID, AuthorID: sc.AuthorID, AuthorName: sc.AuthorName, Version: sc.Version,
		Status: sc.Status, Recommendation: sc.Recommendation, Summary: sc.Summary, Amended: sc.Amendment(), SeenPanel: sc.SeenPanel,
		SubmittedAt: sc.SubmittedAt, Scores: []scoreOut{}, Current: true}
	if !sc.UpdatedAt.IsZero() {
		u := sc.UpdatedAt
		out.UpdatedAt = &u
	}
	for _, s := range sc.Scores {
		out.Scores = append(out.Scores, scoreOut{Position: s.Position, Score: s.Score, Comment: s.Comment})
	}
	return out
}

// scorecardCandidate loads the interview (as interviewAccess allows) and
// the candidate of the path.
func (h *handler) scorecardCandidate(c *fiber.Ctx) (store.Interview, store.Participant, error) {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return iv, store.Participant{}, err
	}
	cid, err := strconv.ParseInt(c.Params("cid"), 10, 64)
	if err != nil || cid <= 0 {
		return iv, store.Participant{}, errCode(fiber.StatusBadRequest, "bad_id", "the candidate id must be a positive whole number")
	}
	p, err := h.Store.ParticipantByID(c.UserContext(), cid)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (p.InterviewID != iv.ID || p.Role != store.PartCandidate)) {
		return iv, p, errCode(fiber.StatusNotFound, "not_found", "no candidate "+strconv.FormatInt(cid, 10)+" in this interview")
	}
	return iv, p, err
}

// author is the caller as a scorecard author: their participant row on the
// panel. An admin joins the panel when they first write (create), as when
// they open the console; reviewers write nothing.
func (h *handler) author(c *fiber.Ctx, iv store.Interview, create bool) (store.Participant, bool, error) {
	u := currentUser(c)
	if u.Role == store.RoleReviewer {
		return store.Participant{}, false, errCode(fiber.StatusForbidden, "forbidden", "reviewers read scorecards; they do not write them")
	}
	p, err := h.Store.ParticipantByUser(c.UserContext(), iv.ID, u.ID)
	switch {
	case err == nil:
		return p, true, nil
	case !errors.Is(err, store.ErrNotFound):
		return p, false, err
	case u.Role != store.RoleAdmin:
		return p, false, errCode(fiber.StatusForbidden, "forbidden", "you are not an interviewer of this interview")
	case !create:
		return p, false, nil
	}
	p, err = h.Store.EnsureInterviewer(c.UserContext(), iv.ID, *u)
	return p, err == nil, err
}

// ownScorecard answers with the caller's newest version, or an empty one.
func ownScorecard(c *fiber.Ctx, sc store.Scorecard, ok bool, candidateID, authorID int64) error {
	if !ok {
		return c.JSON(scorecardOut{CandidateID: candidateID, AuthorID: authorID, Status: scorecardStatusNew, Scores: []scoreOut{}, Current: true})
	}
	return c.JSON(toScorecardOut(sc))
}

// apiGetScorecard: GET /api/v1/interviews/{id}/candidates/{cid}/scorecard,
// the caller's own scorecard (never anyone else's).
func (h *handler) apiGetScorecard(c *fiber.Ctx) error {
	iv, cand, err := h.scorecardCandidate(c)
	if err != nil {
		return err
	}
	p, ok, err := h.author(c, iv, false)
	if err != nil || !ok {
		if err == nil {
			return ownScorecard(c, store.Scorecard{}, false, cand.ID, 0)
		}
		return err
	}
	sc, found, err := h.Store.OwnScorecard(c.UserContext(), store.ScorecardKey{InterviewID: iv.ID, CandidateID: cand.ID, AuthorID: p.ID})
	if err != nil {
		return err
	}
	return ownScorecard(c, sc, found, cand.ID, p.ID)
}

// apiPutScorecard: PUT .../scorecard saves the caller's draft. Bad input
// is a 400 that changes nothing.
func (h *handler) apiPutScorecard(c *fiber.Ctx) error {
	iv, cand, err := h.scorecardCandidate(c)
	if err != nil {
		return err
	}
	var in scorecardIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	si := store.ScorecardInput{Summary: in.Summary, Scores: make([]store.Score, 0, len(in.Scores))}
	if in.Recommendation != nil {
		si.Recommendation = *in.Recommendation
	}
	for _, s := range in.Scores {
		si.Scores = append(si.Scores, store.Score{Position: s.Position, Score: s.Score, Comment: s.Comment})
	}
	// Checked before the caller joins the panel, so bad input changes nothing.
	if err := store.ValidateScorecard(si); err != nil {
		return err
	}
	p, _, err := h.author(c, iv, true)
	if err != nil {
		return err
	}
	sc, err := h.Store.SaveScorecardDraft(c.UserContext(), store.ScorecardKey{InterviewID: iv.ID, CandidateID: cand.ID, AuthorID: p.ID}, si)
	if err != nil {
		return err
	}
	return c.JSON(toScorecardOut(sc))
}

// apiSubmitScorecard: POST .../scorecard/submit validates and locks the
// draft; scorecard.submitted goes to the room's staff.
func (h *handler) apiSubmitScorecard(c *fiber.Ctx) error {
	iv, cand, err := h.scorecardCandidate(c)
	if err != nil {
		return err
	}
	p, _, err := h.author(c, iv, true)
	if err != nil {
		return err
	}
	sc, evs, err := h.Store.SubmitScorecard(c.UserContext(), store.ScorecardKey{InterviewID: iv.ID, CandidateID: cand.ID, AuthorID: p.ID})
	if err != nil {
		return err
	}
	if h.Hub != nil {
		h.Hub.PublishEvents(evs)
	}
	return c.JSON(toScorecardOut(sc))
}

// apiAmendScorecard: POST .../scorecard/amend opens a new draft version
// copied from the submitted one.
func (h *handler) apiAmendScorecard(c *fiber.Ctx) error {
	iv, cand, err := h.scorecardCandidate(c)
	if err != nil {
		return err
	}
	p, _, err := h.author(c, iv, true)
	if err != nil {
		return err
	}
	sc, err := h.Store.AmendScorecard(c.UserContext(), store.ScorecardKey{InterviewID: iv.ID, CandidateID: cand.ID, AuthorID: p.ID})
	if err != nil {
		return err
	}
	return c.JSON(toScorecardOut(sc))
}

// reviewViewer decides who the caller is for the blind-panel gate.
func (h *handler) reviewViewer(c *fiber.Ctx, iv store.Interview) (review.Viewer, error) {
	u := currentUser(c)
	p, err := h.Store.ParticipantByUser(c.UserContext(), iv.ID, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return review.ViewerFor(u, nil), nil
	}
	if err != nil {
		return review.Viewer{}, err
	}
	return review.ViewerFor(u, &p), nil
}

// markPanelSeen records what the gate showed an author of others' scorecards.
func (h *handler) markPanelSeen(c *fiber.Ctx, iv store.Interview, v review.Viewer, candidates []int64) error {
	if !v.MayWrite() || len(candidates) == 0 {
		return nil
	}
	return h.Store.MarkPanelSeen(c.UserContext(), iv.ID, v.UserID, candidates)
}

// apiScorecards: GET /api/v1/interviews/{id}/scorecards, every version the
// caller may see through the blind-panel gate.
func (h *handler) apiScorecards(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	v, err := h.reviewViewer(c, iv)
	if err != nil {
		return err
	}
	all, err := h.Store.Scorecards(c.UserContext(), iv.ID)
	if err != nil {
		return err
	}
	visible := review.VisibleScorecards(all, v)
	if err := h.markPanelSeen(c, iv, v, review.OthersShown(visible, v)); err != nil {
		return err
	}
	out := make([]scorecardOut, len(visible))
	for i, sc := range visible {
		out[i] = toScorecardOut(sc)
		// Versions come by candidate, author and version: the last one of a
		// run is that author's current one.
		if i+1 < len(visible) && visible[i+1].CandidateID == sc.CandidateID && visible[i+1].AuthorID == sc.AuthorID {
			out[i].Current = false
		}
	}
	return c.JSON(fiber.Map{"scorecards": out})
}
