package room

import (
	"context"

	"github.com/ace-interviews/ace/internal/store"
)

// Request data of timer.pause, timer.resume and timer.extend. Without a
// candidate a request means the room's timer and every candidate's personal
// copy of it (in a self-paced exam, pause and resume mean every timer of
// the room); with one, that candidate's timer alone.
type timerReq struct {
	Scope       string `json:"scope"`
	Seconds     int    `json:"seconds"`
	CandidateID int64  `json:"candidate_id"`
	Position    int    `json:"position"`
}

// timerTargets are the timers one request changes: primary decides the
// request's errors (already paused, not paused, …); the others follow when
// their state allows and are skipped otherwise.
type timerTargets struct {
	primary *store.Timer
	others  []store.Timer
	// pct is each candidate's extra-time percentage, by which a room-wide
	// extend grows their personal timers.
	pct map[int64]int
}

func (r *Room) timerRequest(req Request) (timerReq, *Error) {
	var d timerReq
	if e := decodeData(req, &d); e != nil {
		return d, e
	}
	switch d.Scope {
	case "", "question", "exam":
	default:
		return d, errf("bad_request", "scope must be question or exam")
	}
	if d.CandidateID < 0 || d.Position < 0 {
		return d, errf("bad_request", "candidate_id and position must be positive")
	}
	if req.Type == "timer.extend" && (d.Seconds < 1 || d.Seconds > 3600) {
		return d, errf("bad_request", "seconds must be between 1 and 3600")
	}
	return d, nil
}

// findTimers resolves a timer request against the stored state.
func findTimers(ctx context.Context, rt *store.RoomTx, d *timerReq, typ string) (timerTargets, error) {
	var tt timerTargets
	iv, err := liveInterview(ctx, rt)
	if err != nil {
		return tt, err
	}
	selfPaced := iv.Pacing == store.PacingSelfPaced
	if d.Scope == "" {
		d.Scope = "question"
		if selfPaced {
			d.Scope = "exam"
		}
	}
	pos := 0
	if d.Scope == "question" {
		pos = iv.CurrentPosition
		if selfPaced {
			if d.CandidateID == 0 {
				return tt, errf("bad_request", "in a self-paced exam a question timer is one candidate's: name candidate_id and position")
			}
			if d.Position == 0 {
				return tt, errf("bad_request", "name the position of the candidate's question timer")
			}
			pos = d.Position
		}
	}
	ts, err := rt.Timers(ctx)
	if err != nil {
		return tt, err
	}
	find := func(cand int64) *store.Timer {
		for i := range ts {
			if t := ts[i]; t.Scope == d.Scope && t.Position == pos && t.CandidateID == cand {
				return &t
			}
		}
		return nil
	}
	if d.CandidateID != 0 {
		if err := requireCandidate(ctx, rt, d.CandidateID); err != nil {
			return tt, err
		}
		if p := find(d.CandidateID); p != nil {
			tt.primary = p
			return tt, nil
		}
		// The candidate follows the room's timer: act on a personal copy of it.
		room := find(0)
		if room == nil {
			return tt, errf("no_timer", "there is no %s timer to change for this candidate", d.Scope)
		}
		c := *room
		c.ID, c.CandidateID, c.ExtraMS, c.Ended = 0, d.CandidateID, 0, 0
		tt.primary = &c
		return tt, nil
	}
	cs, err := rt.Candidates(ctx)
	if err != nil {
		return tt, err
	}
	tt.pct = map[int64]int{}
	for _, c := range cs {
		tt.pct[c.ID] = c.ExtraTimePct
	}
	tt.primary = find(0)
	for _, t := range ts {
		if t.CandidateID == 0 {
			continue
		}
		// "Pause the exam" in a self-paced exam stops everyone's clocks.
		everyTimer := selfPaced && typ != "timer.extended"
		if everyTimer || (t.Scope == d.Scope && t.Position == pos) {
			tt.others = append(tt.others, t)
		}
	}
	if tt.primary == nil && len(tt.others) == 0 {
		return tt, errf("no_timer", "there is no %s timer to change", d.Scope)
	}
	return tt, nil
}

// changeTimers stores each target's new state and appends its event: the
// primary's refusal is the request's; another target that change refuses
// keeps its state.
func (r *Room) changeTimers(ctx context.Context, m *Member, req Request, typ string, change func(t *store.Timer, now int64, add int64) *Error) *Error {
	d, e := r.timerRequest(req)
	if e != nil {
		return e
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
		tt, err := findTimers(ctx, rt, &d, typ)
		if err != nil {
			return err
		}
		now := rt.Now.UnixMilli()
		add := int64(d.Seconds) * 1000
		put := func(t store.Timer, add int64) error {
			t, err := rt.PutTimer(ctx, t)
			if err != nil {
				return err
			}
			ev := timerData(t, rt.Now)
			if typ == "timer.extended" {
				ev.AddedMS = add
			}
			return appendTimerEvent(rt, typ, m.id.ParticipantID, ev, t)
		}
		changed := 0
		if p := tt.primary; p != nil {
			// A running timer past its deadline is expired even if no one has said so yet.
			if p.State == store.TimerRunning && p.DeadlineMS <= now && typ != "timer.extended" {
				return errf("expired", "the timer has run out")
			}
			if e := change(p, now, add); e != nil {
				return e
			}
			if d.CandidateID != 0 {
				p.Ended = 0 // an interviewer's action on the candidate reopens an ended exam
			}
			if err := put(*p, add); err != nil {
				return err
			}
			changed++
		}
		for _, t := range tt.others {
			if t.Ended == 1 || (t.State == store.TimerRunning && t.DeadlineMS <= now && typ != "timer.extended") {
				continue
			}
			// A room-wide extend gives a candidate with a percentage of extra time that much more.
			more := add + add*int64(tt.pct[t.CandidateID])/100
			if change(&t, now, more) != nil {
				continue
			}
			t.ExtraMS += more - add
			if err := put(t, more); err != nil {
				return err
			}
			changed++
		}
		if changed == 0 {
			switch typ {
			case "timer.paused":
				return errf("already_paused", "no timer is running")
			case "timer.resumed":
				return errf("not_paused", "no timer is paused")
			}
			return errf("no_timer", "there is no %s timer to change", d.Scope)
		}
		return nil
	})
}

func (r *Room) pauseTimer(ctx context.Context, m *Member, req Request) *Error {
	return r.changeTimers(ctx, m, req, "timer.paused", func(t *store.Timer, now, _ int64) *Error {
		switch t.State {
		case store.TimerPaused:
			return errf("already_paused", "the timer is already paused")
		case store.TimerExpired:
			return errf("expired", "the timer has run out")
		}
		t.State, t.RemainingMS, t.DeadlineMS = store.TimerPaused, t.DeadlineMS-now, 0
		return nil
	})
}

func (r *Room) resumeTimer(ctx context.Context, m *Member, req Request) *Error {
	return r.changeTimers(ctx, m, req, "timer.resumed", func(t *store.Timer, now, _ int64) *Error {
		if t.State != store.TimerPaused {
			return errf("not_paused", "the timer is not paused")
		}
		t.State, t.DeadlineMS, t.RemainingMS = store.TimerRunning, now+t.RemainingMS, 0
		return nil
	})
}

func (r *Room) extendTimer(ctx context.Context, m *Member, req Request) *Error {
	return r.changeTimers(ctx, m, req, "timer.extended", func(t *store.Timer, now, add int64) *Error {
		t.DurationMS += add
		switch {
		case t.State == store.TimerPaused:
			t.RemainingMS += add
		case t.State == store.TimerRunning && t.DeadlineMS > now:
			t.DeadlineMS += add
		default:
			// Extending a timer that ran out reopens it for the added time.
			t.State, t.DeadlineMS, t.RemainingMS = store.TimerRunning, now+add, 0
		}
		return nil
	})
}
