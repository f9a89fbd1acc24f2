// Package bank holds the question-bank model, its import formats (the "Ace Your
// Interviews" text format, JSON, YAML and Moodle's GIFT), the canonical
// export writers and the built-in demo bank.
package bank

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Level is how hard a question is. Only the three constants below are valid.
type Level string

const (
	Beginner     Level = "beginner"
	Intermediate Level = "intermediate"
	Advanced     Level = "advanced"
)

// Levels lists the valid levels in teaching order.
var Levels = []Level{Beginner, Intermediate, Advanced}

// ParseLevel accepts a level in any letter case.
func ParseLevel(s string) (Level, error) {
	l := Level(strings.ToLower(strings.TrimSpace(s)))
	for _, v := range Levels {
		if l == v {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown level %q (want beginner, intermediate or advanced)", s)
}

// Limits on a question's fields; they keep one question from filling a page or a frame.
const (
	MaxTechnologyLen = 60
	MaxPromptLen     = 4000
	MaxAnswerLen     = 20000
	MaxTags          = 20
	MaxTagLen        = 40
	MaxTimeLimitS    = 4 * 3600
)

// Question is one bank entry as imported or edited. Technology and Prompt
// together identify a question: importing the same pair again updates it.
type Question struct {
	Technology string   `json:"technology" yaml:"technology"`
	Level      Level    `json:"level" yaml:"level"`
	Prompt     string   `json:"prompt" yaml:"prompt"`
	Answer     string   `json:"answer" yaml:"answer"`
	Tags       []string `json:"tags,omitempty" yaml:"tags,omitempty"`
	TimeLimitS int      `json:"time_limit_s,omitempty" yaml:"time_limit_s,omitempty"`
	Source     string   `json:"source,omitempty" yaml:"source,omitempty"`
	// Visibility is empty when the input did not say (see Visibility).
	Visibility Visibility `json:"visibility,omitempty" yaml:"visibility,omitempty"`
	// Line is where the question starts in its source file (0 when not from a file).
	Line int `json:"-" yaml:"-"`
}

// Normalize trims surrounding white space and lower-cases tags, in place.
func (q *Question) Normalize() {
	q.Technology = strings.TrimSpace(q.Technology)
	q.Prompt = strings.TrimSpace(q.Prompt)
	q.Answer = strings.TrimSpace(q.Answer)
	q.Source = strings.TrimSpace(q.Source)
	q.Visibility = Visibility(strings.ToLower(strings.TrimSpace(string(q.Visibility))))
	tags := q.Tags[:0]
	for _, t := range q.Tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" {
			tags = append(tags, t)
		}
	}
	q.Tags = tags
}

// Validate reports the first problem that makes q unfit for the bank.
func (q *Question) Validate() error {
	switch {
	case q.Technology == "":
		return fmt.Errorf("technology is empty")
	case len(q.Technology) > MaxTechnologyLen:
		return fmt.Errorf("technology is longer than %d characters", MaxTechnologyLen)
	case q.Prompt == "":
		return fmt.Errorf("prompt is empty")
	case len(q.Prompt) > MaxPromptLen:
		return fmt.Errorf("prompt is longer than %d characters", MaxPromptLen)
	case q.Answer == "":
		return fmt.Errorf("answer is empty")
	case len(q.Answer) > MaxAnswerLen:
		return fmt.Errorf("answer is longer than %d characters", MaxAnswerLen)
	case q.TimeLimitS < 0 || q.TimeLimitS > MaxTimeLimitS:
		return fmt.Errorf("time_limit_s must be between 0 and %d", MaxTimeLimitS)
	case len(q.Tags) > MaxTags:
		return fmt.Errorf("more than %d tags", MaxTags)
	}
	if _, err := ParseLevel(string(q.Level)); err != nil {
		return err
	}
	if q.Visibility != "" {
		if _, err := ParseVisibility(string(q.Visibility)); err != nil {
			return err
		}
	}
	for _, t := range q.Tags {
		if len(t) > MaxTagLen {
			return fmt.Errorf("tag %q is longer than %d characters", t, MaxTagLen)
		}
		if hasControl(t) {
			return fmt.Errorf("tag %q holds a control character", t)
		}
	}
	if hasControl(q.Technology) {
		return fmt.Errorf("technology %q holds a control character", q.Technology)
	}
	for _, f := range []struct{ name, text string }{
		{"technology", q.Technology}, {"prompt", q.Prompt}, {"answer", q.Answer}, {"source", q.Source},
	} {
		if !utf8.ValidString(f.text) {
			return fmt.Errorf("%s is not valid UTF-8", f.name)
		}
		if strings.ContainsRune(f.text, 0) {
			return fmt.Errorf("%s holds a NUL character", f.name)
		}
	}
	return nil
}

// hasControl reports a control character, such as a line break, in a
// one-line field: technology names and tags appear in menus and filters.
// PostgreSQL also refuses NUL in text, so it is rejected in every field.
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// ParseError locates a problem in an import file; its text is "file:line: message".
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }
