package review

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// Input is everything a report is made of, as the store returns it.
type Input struct {
	Interview    store.Interview
	Participants []store.Participant
	Questions    []store.PlannedQuestion
	Answers      []store.Answer
	Events       []store.Event // the whole transcript, in seq order
	Scorecards   []store.Scorecard
	Notes        []store.Note
	Now          time.Time // the end of time still running (a live interview)
}

// Outcomes of one candidate's answer to one question.
const (
	OutcomeSubmitted = "submitted"
	OutcomeCutOff    = "cut_off"   // the timer ran out before a submission
	OutcomeOpen      = "open"      // answered, not submitted: moved on or ended
	OutcomeNone      = "no_answer" // nothing received
)

// AnswerOutcome names what became of an answer (nil: none was received):
// a submission counts even after the timer ran out.
func AnswerOutcome(a *store.Answer, cutOff bool) string {
	switch {
	case a != nil && a.Submitted == 1:
		return OutcomeSubmitted
	case cutOff:
		return OutcomeCutOff
	case a != nil && a.Text != "":
		return OutcomeOpen
	}
	return OutcomeNone
}

// Report is one interview's review, as one viewer may see it.
type Report struct {
	Interview  store.Interview
	Candidates []CandidateReport
	// Shown lists the candidates whose report shows the viewer another
	// author's scorecard (see OthersShown).
	Shown []int64
}

// CandidateReport is one candidate's section.
type CandidateReport struct {
	Candidate store.Participant
	Questions []QuestionReport
	// Cards are the latest submitted version of each author's scorecard
	// that the viewer may see, by author.
	Cards []Card
	// Hidden counts the other authors' submitted scorecards the viewer may
	// not see yet (a panel member who has not submitted).
	Hidden int
	// Own is the viewer's own newest version (a panel member's), if any.
	Own   *store.Scorecard
	Notes []Note
}

// Note is an interviewer's note with its author's name.
type Note struct {
	store.Note
	AuthorName string
}

// Card is an author's current submitted scorecard with its earlier versions.
type Card struct {
	store.Scorecard
	Earlier []store.Scorecard // older submitted versions, newest first
	Mine    bool
}

// QuestionReport is one question asked of one candidate: pushed, or any
// planned question of a self-paced exam.
type QuestionReport struct {
	Question    store.PlannedQuestion
	Answer      string
	Outcome     string
	UsedMS      int64 // time the question was open to the candidate, pauses excluded
	LimitMS     int64 // 0: no time limit
	Pastes      int
	PastedChars int
	FocusLost   int
	AwayMS      int64
	Scores      []CardScore
	Mean        *float64
	Disagree    bool // two scores are 2 or more apart
}

// CardScore is one author's score and comment on the question.
type CardScore struct {
	AuthorID   int64
	AuthorName string
	Score      *int
	Comment    string
}

// Build makes the report v may see. Scorecards go through
// VisibleScorecards; notes are for staff, and Build is only called for
// staff who may read the interview.
func Build(in Input, v Viewer) Report {
	r := Report{Interview: in.Interview}
	visible := VisibleScorecards(in.Scorecards, v)
	r.Shown = OthersShown(visible, v)

	var cands []int64
	names := map[int64]string{}
	for _, p := range in.Participants {
		names[p.ID] = p.Name
		if p.Role == store.PartCandidate {
			cands = append(cands, p.ID)
		}
	}
	tl := replay(in, cands)
	answers := map[answerKey]store.Answer{}
	for _, a := range in.Answers {
		answers[answerKey{a.CandidateID, a.Position}] = a
	}

	for _, p := range in.Participants {
		if p.Role != store.PartCandidate {
			continue
		}
		cr := CandidateReport{Candidate: p, Notes: []Note{}}
		cr.Cards, cr.Own = cards(visible, p.ID, v)
		cr.Hidden = hiddenCount(in.Scorecards, visible, p.ID)
		for _, n := range in.Notes {
			if n.CandidateID == p.ID && strings.TrimSpace(n.Text) != "" {
				cr.Notes = append(cr.Notes, Note{Note: n, AuthorName: names[n.AuthorID]})
			}
		}
		for _, q := range in.Questions {
			// A self-paced exam asks every planned question; a pushed
			// interview those it pushed.
			if !selfPaced(in.Interview) && q.PushedAt == nil && !tl.pushed[q.Position] {
				continue
			}
			k := answerKey{p.ID, q.Position}
			qr := QuestionReport{Question: q, UsedMS: tl.used[k], LimitMS: tl.limit[q.Position],
				Pastes: tl.pastes[k], PastedChars: tl.pasted[k], FocusLost: tl.lost[k], AwayMS: tl.away[k]}
			if qr.LimitMS == 0 {
				qr.LimitMS = int64(q.TimeLimitS) * 1000
			}
			var ap *store.Answer
			if a, ok := answers[k]; ok {
				qr.Answer, ap = a.Text, &a
			}
			qr.Outcome = AnswerOutcome(ap, tl.cutOff[k])
			qr.Scores, qr.Mean, qr.Disagree = questionScores(cr.Cards, q.Position)
			cr.Questions = append(cr.Questions, qr)
		}
		r.Candidates = append(r.Candidates, cr)
	}
	return r
}

// cards picks, per author, the newest submitted version the viewer may
// see, with the earlier ones, and the viewer's own newest version.
func cards(visible []store.Scorecard, candidateID int64, v Viewer) ([]Card, *store.Scorecard) {
	byAuthor := map[int64][]store.Scorecard{}
	var authors []int64
	var own *store.Scorecard
	for _, sc := range visible {
		if sc.CandidateID != candidateID {
			continue
		}
		if v.Kind == Panel && sc.AuthorID == v.ParticipantID {
			c := sc
			if own == nil || c.Version > own.Version {
				own = &c
			}
		}
		if !sc.Submitted() {
			continue
		}
		if _, ok := byAuthor[sc.AuthorID]; !ok {
			authors = append(authors, sc.AuthorID)
		}
		byAuthor[sc.AuthorID] = append(byAuthor[sc.AuthorID], sc)
	}
	sort.Slice(authors, func(i, j int) bool { return authors[i] < authors[j] })
	out := []Card{}
	for _, a := range authors {
		vs := byAuthor[a]
		sort.Slice(vs, func(i, j int) bool { return vs[i].Version > vs[j].Version })
		out = append(out, Card{Scorecard: vs[0], Earlier: vs[1:], Mine: v.Kind == Panel && a == v.ParticipantID})
	}
	return out, own
}

// hiddenCount is how many other authors have submitted a scorecard for the
// candidate that the gate keeps from the viewer.
func hiddenCount(all, visible []store.Scorecard, candidateID int64) int {
	shown := map[int64]bool{}
	for _, sc := range visible {
		if sc.CandidateID == candidateID && sc.Submitted() {
			shown[sc.AuthorID] = true
		}
	}
	hidden := map[int64]bool{}
	for _, sc := range all {
		if sc.CandidateID == candidateID && sc.Submitted() && !shown[sc.AuthorID] {
			hidden[sc.AuthorID] = true
		}
	}
	return len(hidden)
}

func questionScores(cs []Card, position int) ([]CardScore, *float64, bool) {
	out := []CardScore{}
	var sum, n, lo, hi int
	for _, c := range cs {
		s, ok := c.ScoreAt(position)
		if !ok {
			s = store.Score{Position: position}
		}
		out = append(out, CardScore{AuthorID: c.AuthorID, AuthorName: c.AuthorName, Score: s.Score, Comment: s.Comment})
		if s.Score == nil {
			continue
		}
		v := *s.Score
		if n == 0 || v < lo {
			lo = v
		}
		if n == 0 || v > hi {
			hi = v
		}
		sum += v
		n++
	}
	if n == 0 {
		return out, nil, false
	}
	mean := float64(sum) / float64(n)
	return out, &mean, hi-lo >= 2
}

type answerKey struct {
	candidate int64
	position  int
}

// timeline is what the transcript says about each candidate and question.
type timeline struct {
	pushed               map[int]bool
	limit                map[int]int64
	used, away           map[answerKey]int64
	pastes, pasted, lost map[answerKey]int
	cutOff               map[answerKey]bool
	examOver             map[int64]bool // self-paced: the candidate's exam timer ran out
}

// eventData is the union of the fields the report reads from events.
type eventData struct {
	Position    int    `json:"position"`
	CandidateID int64  `json:"candidate_id"`
	Scope       string `json:"scope"`
	State       string `json:"state"`
	DurationMS  int64  `json:"duration_ms"`
	Chars       int    `json:"chars"`
}

func selfPaced(iv store.Interview) bool { return iv.Pacing == store.PacingSelfPaced }

// replay walks the transcript. In a pushed interview a question's clock
// runs for a candidate from its push until they submit, its timer (or the
// exam's) runs out, another question is pushed or the interview ends; timer
// pauses stop it. In a self-paced exam it runs from the candidate's
// question.opened until they open another, submit it, their timer runs out
// or the interview ends (selfPacedClocks). Focus lost runs until the
// candidate's next focus_back (or the end).
func replay(in Input, cands []int64) timeline {
	if selfPaced(in.Interview) {
		return selfPacedClocks(in, cands)
	}
	tl := newTimeline()
	sig := &signalCounts{tl: &tl, away: map[int64]lostAt{}}
	type clock struct {
		active bool
		since  time.Time
		done   bool
	}
	cur := 0
	clocks := map[int64]*clock{}
	for _, c := range cands {
		clocks[c] = &clock{}
	}
	stop := func(c int64, at time.Time) {
		cl := clocks[c]
		if cl == nil || !cl.active {
			return
		}
		if d := at.Sub(cl.since).Milliseconds(); d > 0 {
			tl.used[answerKey{c, cur}] += d
		}
		cl.active = false
	}
	finish := func(c int64, at time.Time) {
		stop(c, at)
		if cl := clocks[c]; cl != nil {
			cl.done = true
		}
	}
	// who lists the candidates an event concerns: one, or all of them.
	who := func(candidateID int64) []int64 {
		if candidateID != 0 {
			return []int64{candidateID}
		}
		return cands
	}
	end := in.Now
	ended := false
	for _, ev := range in.Events {
		if ended {
			break
		}
		var d eventData
		_ = json.Unmarshal(ev.Data, &d)
		at := ev.CreatedAt
		switch ev.Type {
		case "question.pushed":
			for _, c := range cands {
				finish(c, at)
			}
			cur = d.Position
			tl.pushed[cur] = true
			delete(tl.limit, cur)
			for _, c := range cands {
				*clocks[c] = clock{active: true, since: at}
				delete(tl.cutOff, answerKey{c, cur})
			}
		case "timer.started", "timer.paused", "timer.resumed", "timer.extended", "timer.expired":
			if d.Scope == "question" && d.CandidateID == 0 {
				tl.limit[d.Position] = d.DurationMS
			}
			if d.Scope == "question" && d.Position != cur {
				continue
			}
			for _, c := range who(d.CandidateID) {
				cl := clocks[c]
				if cl == nil || cur == 0 {
					continue
				}
				switch {
				case ev.Type == "timer.paused":
					stop(c, at)
				case ev.Type == "timer.expired":
					if !cl.done {
						tl.cutOff[answerKey{c, cur}] = true
					}
					finish(c, at)
				case d.State == store.TimerRunning && !cl.active:
					// Resumed, or extended after running out: open again,
					// unless the candidate had submitted.
					if cl.done && !tl.cutOff[answerKey{c, cur}] {
						continue
					}
					delete(tl.cutOff, answerKey{c, cur})
					*cl = clock{active: true, since: at}
				}
			}
		case "answer.submitted":
			if d.Position == cur {
				finish(d.CandidateID, at)
			}
		case "interview.ended":
			end, ended = at, true
		default:
			sig.event(ev.Type, d, at)
		}
	}
	for _, c := range cands {
		stop(c, end)
	}
	sig.finish(end)
	return tl
}

// newTimeline is an empty timeline.
func newTimeline() timeline {
	return timeline{pushed: map[int]bool{}, limit: map[int]int64{}, used: map[answerKey]int64{}, away: map[answerKey]int64{},
		pastes: map[answerKey]int{}, pasted: map[answerKey]int{}, lost: map[answerKey]int{}, cutOff: map[answerKey]bool{}, examOver: map[int64]bool{}}
}

// signalCounts counts pastes and time away, the same in both pacings.
type signalCounts struct {
	tl   *timeline
	away map[int64]lostAt
}

type lostAt struct {
	at       time.Time
	position int
}

func (s *signalCounts) event(typ string, d eventData, at time.Time) {
	switch typ {
	case "candidate.pasted":
		k := answerKey{d.CandidateID, d.Position}
		s.tl.pastes[k]++
		s.tl.pasted[k] += d.Chars
	case "candidate.focus_lost":
		s.tl.lost[answerKey{d.CandidateID, d.Position}]++
		if _, ok := s.away[d.CandidateID]; !ok {
			s.away[d.CandidateID] = lostAt{at: at, position: d.Position}
		}
	case "candidate.focus_back":
		if l, ok := s.away[d.CandidateID]; ok {
			s.tl.away[answerKey{d.CandidateID, l.position}] += at.Sub(l.at).Milliseconds()
			delete(s.away, d.CandidateID)
		}
	}
}

// finish counts the time away of those still away at the end.
func (s *signalCounts) finish(end time.Time) {
	for c, l := range s.away {
		if d := end.Sub(l.at).Milliseconds(); d > 0 {
			s.tl.away[answerKey{c, l.position}] += d
		}
	}
}
