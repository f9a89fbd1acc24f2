package room

import (
	"context"
	"errors"

	"github.com/ace-interviews/ace/internal/store"
)

// Request data of question.push.
type pushData struct {
	Position   int   `json:"position"`
	QuestionID int64 `json:"question_id"`
	TimeLimitS *int  `json:"time_limit_s"`
}

func (r *Room) pushQuestion(ctx context.Context, m *Member, req Request) *Error {
	var d pushData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if (d.Position == 0) == (d.QuestionID == 0) {
		return errf("bad_request", "question.push needs either position or question_id")
	}
	if d.Position < 0 || d.QuestionID < 0 {
		return errf("bad_request", "position and question_id must be positive")
	}
	if d.TimeLimitS != nil && (*d.TimeLimitS < 0 || *d.TimeLimitS > 4*3600) {
		return errf("bad_request", "time_limit_s must be between 0 and 14400")
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
		iv, err := rt.Interview(ctx)
		if err != nil {
			return err
		}
		if iv.Status != store.StatusLive {
			return errf("not_live", "start the interview before pushing questions")
		}
		if iv.Pacing == store.PacingSelfPaced {
			return errf("self_paced", "in a self-paced exam candidates move through the questions themselves")
		}
		pos := d.Position
		if d.QuestionID != 0 {
			p, err := rt.AppendPlanned(ctx, store.PlanItem{QuestionID: d.QuestionID})
			if errors.Is(err, store.ErrNotFound) {
				return errf("not_found", "no question %d in the bank", d.QuestionID)
			}
			if err != nil {
				return err
			}
			pos = p
		}
		q, err := rt.PushQuestion(ctx, pos, d.TimeLimitS)
		if errors.Is(err, store.ErrNotFound) {
			return errf("not_found", "the interview has no question at position %d", pos)
		}
		if err != nil {
			return err
		}
		if err := rt.Append("question.pushed", m.id.ParticipantID, store.AudienceAll, plannedData(q)); err != nil {
			return err
		}
		if q.TimeLimitS > 0 {
			return startTimers(ctx, rt, "question", pos, int64(q.TimeLimitS)*1000, m.id.ParticipantID)
		}
		return nil
	})
}
