package bank

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	valid := func() Question {
		return Question{Technology: "Go", Level: Beginner, Prompt: "Q?", Answer: "A.", Tags: []string{"basics"}}
	}
	tests := []struct {
		name   string
		change func(*Question)
		msg    string // "" when valid
	}{
		{"valid", func(*Question) {}, ""},
		{"level in upper case", func(q *Question) { q.Level = "BEGINNER" }, ""},
		{"unknown level", func(q *Question) { q.Level = "expert" }, `unknown level "expert"`},
		{"empty technology", func(q *Question) { q.Technology = "" }, "technology is empty"},
		{"long technology", func(q *Question) { q.Technology = strings.Repeat("x", MaxTechnologyLen+1) }, "technology is longer"},
		{"line break in technology", func(q *Question) { q.Technology = "Go\nlang" }, "control character"},
		{"tab in tag", func(q *Question) { q.Tags = []string{"a\tb"} }, "control character"},
		{"line breaks in answer", func(q *Question) { q.Answer = "One.\n\nTwo." }, ""},
		{"NUL in answer", func(q *Question) { q.Answer = "A\x00." }, "answer holds a NUL character"},
		{"invalid UTF-8 in prompt", func(q *Question) { q.Prompt = "Q\xff?" }, "prompt is not valid UTF-8"},
		{"negative time limit", func(q *Question) { q.TimeLimitS = -1 }, "time_limit_s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := valid()
			tt.change(&q)
			err := q.Validate()
			switch {
			case tt.msg == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.msg != "" && (err == nil || !strings.Contains(err.Error(), tt.msg)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.msg)
			}
		})
	}
}
