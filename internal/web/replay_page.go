package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/store"
)

// replayData is what the replay page shows besides what replay.js loads.
type replayData struct {
	Interview store.Interview
	Candidate store.Participant
	Others    []store.Participant // the interview's other candidates
}

// replayPage: GET /interviews/{id}/replay/{cid}, one candidate's replay on
// a page of its own (a link to a moment: #t=12:34), for the same staff as
// the replay API. replay.js fills it.
func (h *handler) replayPage(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	p, err := h.candidateOf(c, iv)
	if err != nil {
		return err
	}
	ps, err := h.Store.Participants(c.UserContext(), iv.ID)
	if err != nil {
		return err
	}
	d := replayData{Interview: iv, Candidate: p}
	for _, o := range ps {
		if o.Role == store.PartCandidate && o.ID != p.ID {
			d.Others = append(d.Others, o)
		}
	}
	return h.render(c, fiber.StatusOK, "interview_replay", page{Title: "Replay: " + p.Name, Data: d})
}
