package practice

import (
	"strconv"
	"time"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

// Outcomes of one practice answer: the report's, with the practice
// pages' own name for a timer running out first.
const (
	OutcomeSubmitted = review.OutcomeSubmitted
	OutcomeTimeUp    = "time_up" // the question's or the exam's timer ran out first
	OutcomeOpen      = review.OutcomeOpen
	OutcomeNone      = review.OutcomeNone
)

// Timing is what the transcript says of one candidate's questions.
type Timing struct {
	UsedMS  map[int]int64 // time each position was the open question
	Expired map[int]bool  // a timer cut it off: its own, or the exam's while it was open
	ExamUp  bool          // the exam's timer ran out
}

// TimeUsed walks a self-paced transcript for one candidate, the same walk
// the report makes (review.SelfPacedClock): a question's clock runs while
// it is the candidate's open question, from a question.opened of it until
// they open another, submit it, its timer or the exam's runs out, or the
// exam ends (end, for one still running).
func TimeUsed(events []store.Event, candidateID int64, end time.Time) Timing {
	c := review.SelfPacedClock(events, candidateID, end)
	return Timing{UsedMS: c.UsedMS, Expired: c.CutOff, ExamUp: c.ExamOver}
}

// Outcome names what became of an answer, as the report decides it.
func Outcome(a *store.Answer, timeUp bool) string {
	if o := review.AnswerOutcome(a, timeUp); o != review.OutcomeCutOff {
		return o
	}
	return OutcomeTimeUp
}

// Points are what each self-rating adds to the score, in halves: Got it
// counts 1, Partly ½, Missed 0.
var halfPoints = map[string]int{store.RatingMissed: 0, store.RatingPartly: 1, store.RatingGot: 2}

// ValidRating reports whether r is one of the three self-ratings.
func ValidRating(r string) bool {
	_, ok := halfPoints[r]
	return ok
}

// Score is the self-rated total: Halves/2 points of Of questions, Rated of
// which the taker has rated.
type Score struct {
	Halves, Rated, Of int
}

// Total adds up ratings (by position) over n questions.
func Total(ratings map[int]string, n int) Score {
	s := Score{Of: n}
	for _, r := range ratings {
		if h, ok := halfPoints[r]; ok {
			s.Halves += h
			s.Rated++
		}
	}
	return s
}

// Points is the score as people write it: "3", "3.5".
func (s Score) Points() string {
	whole := s.Halves / 2
	if s.Halves%2 == 1 {
		return strconv.Itoa(whole) + ".5"
	}
	return strconv.Itoa(whole)
}
