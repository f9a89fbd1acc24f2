package web

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

// maxCompared is the most candidates one comparison picks by c=.
const maxCompared = 20

// compareData is what the compare page renders.
type compareData struct {
	review.Matrix
	// Interview is set on /interviews/{id}/compare.
	Interview *store.Interview
}

// pickedCandidates reads the c= candidate ids of a comparison.
func pickedCandidates(c *fiber.Ctx) ([]int64, error) {
	var ids []int64
	for _, raw := range c.Context().QueryArgs().PeekMulti("c") {
		id, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil || id <= 0 {
			return nil, errCode(fiber.StatusBadRequest, "bad_candidate", "each c must be a candidate id")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) > maxCompared {
		return nil, errCode(fiber.StatusBadRequest, "too_many_candidates", "compare at most "+strconv.Itoa(maxCompared)+" candidates at once")
	}
	return ids, nil
}

// compareReport builds the report of iv as the caller may see it and
// records what it shows them of the panel for the candidates in only (all
// when nil).
func (h *handler) compareReport(c *fiber.Ctx, iv store.Interview, only map[int64]bool) (review.Report, error) {
	v, err := h.reviewViewer(c, iv)
	if err != nil {
		return review.Report{}, err
	}
	in, err := h.reviewInput(c.UserContext(), iv)
	if err != nil {
		return review.Report{}, err
	}
	r := review.Build(in, v)
	var shown []int64
	for _, id := range r.Shown {
		if only == nil || only[id] {
			shown = append(shown, id)
		}
	}
	return r, h.markPanelSeen(c, iv, v, shown)
}

// interviewComparePage: GET /interviews/{id}/compare[?c=CID...], the
// interview's candidates (or those picked) side by side.
func (h *handler) interviewComparePage(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	ids, err := pickedCandidates(c)
	if err != nil {
		return err
	}
	var only map[int64]bool
	if len(ids) > 0 {
		only = map[int64]bool{}
		for _, id := range ids {
			only[id] = true
		}
	}
	r, err := h.compareReport(c, iv, only)
	if err != nil {
		return err
	}
	for id := range only {
		if !slices.ContainsFunc(r.Candidates, func(cr review.CandidateReport) bool { return cr.Candidate.ID == id }) {
			return errCode(fiber.StatusNotFound, "not_found", "no candidate "+strconv.FormatInt(id, 10)+" in this interview")
		}
	}
	d := compareData{Matrix: review.Compare([]review.Report{r}, only), Interview: &iv}
	return h.render(c, fiber.StatusOK, "compare", page{Title: "Compare: " + iv.Title, Data: d})
}

// comparePage: GET /compare?c=CID&c=CID..., candidates of any interviews
// the caller may read, side by side, in the order picked. Each interview's
// scorecards go through the gate with the viewer the caller is there.
func (h *handler) comparePage(c *fiber.Ctx) error {
	ids, err := pickedCandidates(c)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return errCode(fiber.StatusBadRequest, "no_candidates", "pick the candidates to compare on the reviews list (c=candidate id)")
	}
	ctx := c.UserContext()
	var order []int64 // interviews, by their first candidate picked
	picked := map[int64]map[int64]bool{}
	for _, id := range ids {
		p, err := h.Store.ParticipantByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && p.Role != store.PartCandidate) {
			return errCode(fiber.StatusNotFound, "not_found", "no candidate "+strconv.FormatInt(id, 10))
		}
		if err != nil {
			return err
		}
		if picked[p.InterviewID] == nil {
			picked[p.InterviewID] = map[int64]bool{}
			order = append(order, p.InterviewID)
		}
		picked[p.InterviewID][id] = true
	}
	byCand := map[int64]review.Report{}
	for _, ivID := range order {
		iv, err := h.readableInterview(c, ivID)
		if err != nil {
			return err
		}
		r, err := h.compareReport(c, iv, picked[ivID])
		if err != nil {
			return err
		}
		for _, cr := range r.Candidates {
			if picked[ivID][cr.Candidate.ID] {
				byCand[cr.Candidate.ID] = review.Report{Interview: r.Interview, Candidates: []review.CandidateReport{cr}}
			}
		}
	}
	// One report per column keeps the columns in the order picked.
	reports := make([]review.Report, 0, len(ids))
	for _, id := range ids {
		reports = append(reports, byCand[id])
	}
	return h.render(c, fiber.StatusOK, "compare", page{Title: "Compare candidates", Data: compareData{Matrix: review.Compare(reports, nil)}})
}
