// Package practice holds what practice mode (issue 11) decides apart from
// storage and HTTP: the settings of a new attempt, the draw of its
// questions, the time each question took and the self-rated score.
package practice

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
)

// Counts are the attempt sizes offered; ExamMinutes the whole-exam limits.
var (
	Counts      = []int{5, 10, 20}
	ExamMinutes = []int{5, 10, 15, 20, 30, 45, 60, 90}
)

// Mixed is the level value that draws from every level.
const Mixed = "mixed"

// maxTechnology bounds the technology name a form may send (the bank's own
// names are short; a longer one matches nothing anyway).
const maxTechnology = 100

// Settings are what a taker chose on /practice/new.
type Settings struct {
	Technology  string
	Level       string // "" for mixed
	Count       int
	TimeMode    string // store.PracticeSuggested or store.PracticeExam
	ExamMinutes int    // PracticeExam only
}

// ErrSettings is wrapped by every refusal of Parse: a bad form, a 400.
var ErrSettings = errors.New("practice settings")

func bad(msg string) error { return &settingsError{msg} }

type settingsError struct{ msg string }

func (e *settingsError) Error() string { return e.msg }
func (e *settingsError) Unwrap() error { return ErrSettings }

// Parse reads the form of /practice/new; get returns a field's value ("" when
// absent). Every field has one meaning or the form is refused with a message
// a taker can act on.
func Parse(get func(string) string) (Settings, error) {
	s := Settings{Technology: strings.TrimSpace(get("technology"))}
	switch {
	case s.Technology == "":
		return s, bad("Choose a technology.")
	case !utf8.ValidString(s.Technology) || utf8.RuneCountInString(s.Technology) > maxTechnology || strings.ContainsRune(s.Technology, 0):
		return s, bad("That technology is not in the bank.")
	}
	switch lv := strings.TrimSpace(get("level")); lv {
	case "", Mixed:
	default:
		l, err := bank.ParseLevel(lv)
		if err != nil {
			return s, bad("Level must be beginner, intermediate, advanced or mixed.")
		}
		s.Level = string(l)
	}
	n, err := strconv.Atoi(strings.TrimSpace(get("count")))
	if err != nil || !slices.Contains(Counts, n) {
		return s, bad("Number of questions must be 5, 10 or 20.")
	}
	s.Count = n
	switch mode := strings.TrimSpace(get("time")); mode {
	case "", store.PracticeSuggested:
		s.TimeMode = store.PracticeSuggested
	case store.PracticeExam:
		s.TimeMode = store.PracticeExam
		m, err := strconv.Atoi(strings.TrimSpace(get("minutes")))
		if err != nil || !slices.Contains(ExamMinutes, m) {
			return s, bad("Choose how many minutes the whole exam lasts.")
		}
		s.ExamMinutes = m
	default:
		return s, bad("Time must be the questions' suggested limits or one limit for the whole exam.")
	}
	return s, nil
}

// Draw picks up to n of ids at random and keeps them in the order given
// (the bank's: beginner questions first), so a mixed exam goes from the
// easier questions to the harder ones.
func Draw(ids []int64, n int) []int64 {
	if n >= len(ids) {
		return slices.Clone(ids)
	}
	picked := make([]bool, len(ids))
	for _, i := range rand.Perm(len(ids))[:n] {
		picked[i] = true
	}
	out := make([]int64, 0, n)
	for i, id := range ids {
		if picked[i] {
			out = append(out, id)
		}
	}
	return out
}
