package room

import (
	"context"
	"errors"
	"sort"

	"github.com/ace-interviews/ace/internal/store"
)

// CheckExtraTime validates an accommodation: a percentage of 0–400 and a
// fixed 0–14400 seconds.
func CheckExtraTime(pct, s int) *Error {
	if pct < 0 || pct > 400 {
		return errf("bad_request", "extra_time_pct must be between 0 and 400")
	}
	if s < 0 || s > 4*3600 {
		return errf("bad_request", "extra_time_s must be between 0 and 14400")
	}
	return nil
}

// Request data of question.open and candidate.end.
type (
	openReq struct {
		Position int `json:"position"`
	}
	candidateReq struct {
		CandidateID int64 `json:"candidate_id"`
	}
)

// openQuestion: a self-paced candidate moves to a question. The first open
// of a question with a time limit starts the candidate's own timer for it.
func (r *Room) openQuestion(ctx context.Context, m *Member, req Request) *Error {
	var d openReq
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if d.Position < 1 {
		return errf("bad_request", "position must be a planned question's")
	}
	cand := m.id.ParticipantID
	var armed *store.Timer
	e := r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
		armed = nil
		iv, err := rt.Interview(ctx)
		if err != nil {
			return err
		}
		if iv.Pacing != store.PacingSelfPaced {
			return errf("not_self_paced", "the interviewer puts the questions on screen in this interview")
		}
		switch iv.Status {
		case store.StatusScheduled:
			return errf("not_live", "the exam has not started")
		case store.StatusEnded:
			return errf("interview_ended", "the interview has ended")
		}
		q, err := rt.PlannedQuestion(ctx, d.Position)
		if errors.Is(err, store.ErrNotFound) {
			return errf("not_found", "the exam has no question %d", d.Position)
		}
		if err != nil {
			return err
		}
		ts, err := rt.Timers(ctx)
		if err != nil {
			return err
		}
		timers := timerMap(ts)
		if timeUp(timers, timerKey{"exam", 0, cand}, rt.Now.UnixMilli()) {
			return errf("time_up", "your time for this exam is up")
		}
		c, err := rt.Candidate(ctx, cand)
		if err != nil {
			return err
		}
		_, opened := timers[timerKey{"question", d.Position, cand}]
		if c.Position == d.Position && (opened || q.TimeLimitS == 0) {
			return nil // already there
		}
		if err := rt.SetPosition(ctx, cand, d.Position); err != nil {
			return err
		}
		if err := rt.Append("question.opened", cand, store.CandidateAudience(cand), openedData{CandidateID: cand, Position: d.Position}); err != nil {
			return err
		}
		if q.TimeLimitS == 0 || opened {
			return nil
		}
		base := int64(q.TimeLimitS) * 1000
		extra := c.ExtraMS(base)
		t, err := startTimerGet(ctx, rt, store.Timer{Scope: "question", Position: d.Position, CandidateID: cand, DurationMS: base + extra, ExtraMS: extra}, cand)
		armed = &t
		return err
	})
	if e == nil && armed != nil {
		// Before the ack: the candidate's next draft must find the question
		// open, and the room's own delivery of timer.started may not have
		// applied it yet. Delivery later sets the same state again.
		r.mu.Lock()
		if _, ok := r.timers[keyOf(*armed)]; !ok {
			r.setTimer(*armed)
		}
		r.mu.Unlock()
	}
	return e
}

// endCandidate ends one candidate's exam now: their exam timer becomes
// expired (a personal one is made if they follow the room's) and marked
// ended, so a room-wide extend does not reopen it.
func (r *Room) endCandidate(ctx context.Context, m *Member, req Request) *Error {
	var d candidateReq
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if d.CandidateID <= 0 {
		return errf("bad_request", "candidate_id is required")
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
		iv, err := liveInterview(ctx, rt)
		if err != nil {
			return err
		}
		if iv.Status != store.StatusLive {
			return errf("not_live", "the exam has not started")
		}
		if err := requireCandidate(ctx, rt, d.CandidateID); err != nil {
			return err
		}
		ts, err := rt.Timers(ctx)
		if err != nil {
			return err
		}
		timers := timerMap(ts)
		t, ok := timers[timerKey{"exam", 0, d.CandidateID}]
		if !ok {
			t = timers[timerKey{"exam", 0, 0}] // zero when the exam has no time limit
			t.ID, t.Scope, t.CandidateID, t.ExtraMS = 0, "exam", d.CandidateID, 0
		}
		if t.Ended == 1 {
			return errf("time_up", "this candidate's exam has already ended")
		}
		t.State, t.DeadlineMS, t.RemainingMS, t.Ended = store.TimerExpired, 0, 0, 1
		t, err = rt.PutTimer(ctx, t)
		if err != nil {
			return err
		}
		return appendTimerEvent(rt, "timer.expired", m.id.ParticipantID, timerData(t, rt.Now), t)
	})
}

// setExtraTime changes a candidate's accommodation; each of their running
// or paused timers moves by the difference (expired ones stay expired).
func (r *Room) setExtraTime(ctx context.Context, m *Member, req Request) *Error {
	var d extraTimeData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if d.CandidateID <= 0 {
		return errf("bad_request", "candidate_id is required")
	}
	if e := CheckExtraTime(d.ExtraTimePct, d.ExtraTimeS); e != nil {
		return e
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
		iv, err := liveInterview(ctx, rt)
		if err != nil {
			return err
		}
		if err := requireCandidate(ctx, rt, d.CandidateID); err != nil {
			return err
		}
		if err := rt.SetExtraTime(ctx, d.CandidateID, d.ExtraTimePct, d.ExtraTimeS); err != nil {
			return err
		}
		if err := rt.Append("candidate.extra_time_changed", m.id.ParticipantID, store.CandidateAudience(d.CandidateID), d); err != nil {
			return err
		}
		if iv.Status != store.StatusLive {
			return nil
		}
		return moveForExtraTime(ctx, rt, iv, d, m.id.ParticipantID)
	})
}

// moveForExtraTime gives each of the candidate's live timers the extra time
// of the new accommodation in place of what it had: a timer whose room-wide
// length is base carries ExtraMS(base) of extra time.
func moveForExtraTime(ctx context.Context, rt *store.RoomTx, iv store.Interview, d extraTimeData, actor int64) error {
	ts, err := rt.Timers(ctx)
	if err != nil {
		return err
	}
	timers := timerMap(ts)
	limits := map[int]int{}
	if iv.Pacing == store.PacingSelfPaced {
		qs, err := rt.PlannedQuestions(ctx)
		if err != nil {
			return err
		}
		for _, q := range qs {
			limits[q.Position] = q.TimeLimitS
		}
	}
	now := rt.Now.UnixMilli()
	for _, k := range candidateTimerKeys(timers, iv, d.CandidateID) {
		room, hasRoom := timers[timerKey{k.scope, k.position, 0}]
		t, personal := timers[k]
		var base int64
		switch {
		case hasRoom:
			base = room.DurationMS
		case k.scope == "question":
			base = int64(limits[k.position]) * 1000
		}
		if !personal {
			if !hasRoom {
				continue
			}
			t = room
			t.ID, t.CandidateID, t.ExtraMS, t.Ended = 0, d.CandidateID, 0, 0
		}
		if t.State == store.TimerExpired || (t.State == store.TimerRunning && t.DeadlineMS <= now) {
			continue
		}
		extra := store.ExtraMS(base, d.ExtraTimePct, d.ExtraTimeS)
		delta := extra - t.ExtraMS
		if delta == 0 {
			continue
		}
		t.ExtraMS, t.DurationMS = extra, t.DurationMS+delta
		if t.State == store.TimerPaused {
			t.RemainingMS += delta
		} else {
			t.DeadlineMS += delta
		}
		t, err := rt.PutTimer(ctx, t)
		if err != nil {
			return err
		}
		ev := timerData(t, rt.Now)
		ev.AddedMS = delta
		if err := appendTimerEvent(rt, "timer.extended", actor, ev, t); err != nil {
			return err
		}
	}
	return nil
}

// candidateTimerKeys are the timers that decide for a candidate now: the
// exam's, the question on screen's (pushed) or every question they opened
// (self-paced), each as the candidate's personal key.
func candidateTimerKeys(timers map[timerKey]store.Timer, iv store.Interview, cand int64) []timerKey {
	seen := map[timerKey]bool{}
	var keys []timerKey
	addKey := func(k timerKey) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for k := range timers {
		switch {
		case k.scope == "exam" && (k.candidate == 0 || k.candidate == cand):
			addKey(timerKey{"exam", 0, cand})
		case k.scope == "question" && iv.Pacing != store.PacingSelfPaced && k.position == iv.CurrentPosition && (k.candidate == 0 || k.candidate == cand):
			addKey(timerKey{"question", k.position, cand})
		case k.scope == "question" && iv.Pacing == store.PacingSelfPaced && k.candidate == cand:
			addKey(k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].scope != keys[j].scope {
			return keys[i].scope < keys[j].scope
		}
		return keys[i].position < keys[j].position
	})
	return keys
}

func timerMap(ts []store.Timer) map[timerKey]store.Timer {
	m := make(map[timerKey]store.Timer, len(ts))
	for _, t := range ts {
		m[keyOf(t)] = t
	}
	return m
}

// timeUp reports whether the timer that decides k for its candidate has
// run out: their personal one if they have it, else the room's.
func timeUp(timers map[timerKey]store.Timer, k timerKey, now int64) bool {
	t, ok := timers[k]
	if !ok && k.candidate != 0 {
		t, ok = timers[timerKey{k.scope, k.position, 0}]
	}
	return ok && (t.State == store.TimerExpired || (t.State == store.TimerRunning && t.DeadlineMS <= now))
}

// requireCandidate refuses a request that names no candidate of this interview.
func requireCandidate(ctx context.Context, rt *store.RoomTx, id int64) error {
	_, err := rt.Candidate(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return errf("not_found", "no candidate %d in this interview", id)
	}
	return err
}
