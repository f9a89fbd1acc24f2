package web

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
)

// reviewInput reads everything a report, a comparison or an export of the
// interview is made of. The transcript is the staff's projection of it, as
// GET .../events serves it.
func (h *handler) reviewInput(ctx context.Context, iv store.Interview) (review.Input, error) {
	in := review.Input{Interview: iv, Now: time.Now().UTC()}
	var err error
	if in.Participants, err = h.Store.Participants(ctx, iv.ID); err != nil {
		return in, err
	}
	if in.Questions, err = h.Store.PlannedQuestions(ctx, iv.ID); err != nil {
		return in, err
	}
	if in.Answers, err = h.Store.Answers(ctx, iv.ID, 0); err != nil {
		return in, err
	}
	evs, err := h.Store.AllEvents(ctx, iv.ID)
	if err != nil {
		return in, err
	}
	staff := room.Identity{Role: store.PartInterviewer}
	in.Events = make([]store.Event, 0, len(evs))
	for _, ev := range evs {
		if p, ok := room.Project(ev, staff); ok {
			in.Events = append(in.Events, p)
		}
	}
	if in.Scorecards, err = h.Store.Scorecards(ctx, iv.ID); err != nil {
		return in, err
	}
	if in.Notes, err = h.Store.Notes(ctx, iv.ID); err != nil {
		return in, err
	}
	return in, nil
}

// readableInterview loads interview id when the caller may read its
// reviews (as interviewAccess decides for the path's interview).
func (h *handler) readableInterview(c *fiber.Ctx, id int64) (store.Interview, error) {
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
	if u := currentUser(c); u.Role == store.RoleInterviewer {
		if _, err := h.Store.ParticipantByUser(c.UserContext(), id, u.ID); err != nil {
			return iv, errCode(fiber.StatusForbidden, "forbidden", "you are not an interviewer of interview "+strconv.FormatInt(id, 10))
		}
	}
	return iv, nil
}
