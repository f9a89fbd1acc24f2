package review

import (
	"encoding/json"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// CandidateClock is what a self-paced transcript says of one candidate's
// questions, by position: how long each was their open question, which a
// timer cut off (its own, or the exam's while it was open), and whether
// their exam timer ran out. Practice results read it; the report reads the
// same walk for every candidate.
type CandidateClock struct {
	UsedMS   map[int]int64
	CutOff   map[int]bool
	ExamOver bool
}

// SelfPacedClock walks events (a self-paced transcript in seq order) for
// one candidate; end closes a clock still running.
func SelfPacedClock(events []store.Event, candidateID int64, end time.Time) CandidateClock {
	tl := selfPacedClocks(Input{Events: events, Now: end}, []int64{candidateID})
	c := CandidateClock{UsedMS: map[int]int64{}, CutOff: map[int]bool{}, ExamOver: tl.examOver[candidateID]}
	for k, ms := range tl.used {
		c.UsedMS[k.position] = ms
	}
	for k, cut := range tl.cutOff {
		c.CutOff[k.position] = cut
	}
	return c
}

// selfPacedClocks walks a self-paced exam's transcript. A candidate's clock
// on a question runs from their question.opened until they open another,
// submit it (until they open it again), their exam timer pauses or runs out, that question's own timer
// pauses or runs out, or the interview ends. The exam timer that decides is
// the candidate's own once they have one (extra time, an interviewer's
// action on them), else the room's. A question open when a timer runs out
// is cut off.
func selfPacedClocks(in Input, cands []int64) timeline {
	tl := newTimeline()
	sig := &signalCounts{tl: &tl, away: map[int64]lostAt{}}
	type cand struct {
		pos     int // the question open, 0 before the first
		since   time.Time
		active  bool
		paused  bool // the exam timer is paused
		over    bool // the exam timer ran out (or the candidate's exam was ended)
		ownExam bool
	}
	cs := map[int64]*cand{}
	for _, c := range cands {
		cs[c] = &cand{}
	}
	qPaused := map[answerKey]bool{}
	submitted := map[answerKey]bool{} // until the candidate opens the question again
	stop := func(id int64, c *cand, at time.Time) {
		if !c.active {
			return
		}
		if d := at.Sub(c.since).Milliseconds(); d > 0 {
			tl.used[answerKey{id, c.pos}] += d
		}
		c.active = false
	}
	start := func(id int64, c *cand, at time.Time) {
		k := answerKey{id, c.pos}
		if c.active || c.pos == 0 || c.paused || c.over || tl.cutOff[k] || qPaused[k] || submitted[k] {
			return
		}
		c.active, c.since = true, at
	}
	// examOf lists the candidates an exam timer event decides for.
	examOf := func(candidateID int64) []int64 {
		if candidateID != 0 {
			if c := cs[candidateID]; c != nil {
				c.ownExam = true
				return []int64{candidateID}
			}
			return nil
		}
		var out []int64
		for _, id := range cands {
			if !cs[id].ownExam {
				out = append(out, id)
			}
		}
		return out
	}
	end := in.Now
events:
	for _, ev := range in.Events {
		var d eventData
		_ = json.Unmarshal(ev.Data, &d)
		at := ev.CreatedAt
		switch ev.Type {
		case "question.opened":
			if c := cs[d.CandidateID]; c != nil {
				stop(d.CandidateID, c, at)
				c.pos = d.Position
				delete(submitted, answerKey{d.CandidateID, d.Position})
				start(d.CandidateID, c, at)
			}
		case "answer.submitted":
			if c := cs[d.CandidateID]; c != nil && c.pos == d.Position {
				stop(d.CandidateID, c, at)
				submitted[answerKey{d.CandidateID, d.Position}] = true
			}
		case "timer.started", "timer.paused", "timer.resumed", "timer.extended", "timer.expired":
			if d.Scope == "exam" {
				for _, id := range examOf(d.CandidateID) {
					c := cs[id]
					switch {
					case ev.Type == "timer.paused":
						stop(id, c, at)
						c.paused = true
					case ev.Type == "timer.expired":
						if c.active {
							tl.cutOff[answerKey{id, c.pos}] = true
						}
						stop(id, c, at)
						c.over = true
						tl.examOver[id] = true
					case d.State == store.TimerRunning:
						c.paused, c.over = false, false
						delete(tl.examOver, id)
						start(id, c, at)
					}
				}
				continue
			}
			// A question's own timer is always one candidate's here.
			c := cs[d.CandidateID]
			if c == nil {
				continue
			}
			k := answerKey{d.CandidateID, d.Position}
			open := c.pos == d.Position
			switch {
			case ev.Type == "timer.paused":
				qPaused[k] = true
				if open {
					stop(d.CandidateID, c, at)
				}
			case ev.Type == "timer.expired":
				if open && c.active {
					stop(d.CandidateID, c, at)
				}
				tl.cutOff[k] = true
			case d.State == store.TimerRunning:
				delete(qPaused, k)
				delete(tl.cutOff, k)
				if open {
					start(d.CandidateID, c, at)
				}
			}
		case "interview.ended":
			end = at
			break events
		default:
			sig.event(ev.Type, d, at)
		}
	}
	for _, id := range cands {
		stop(id, cs[id], end)
	}
	sig.finish(end)
	return tl
}
