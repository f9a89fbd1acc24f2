package web

import (
	"fmt"
	"html/template"
	"strconv"
	"time"

	"github.com/ace-interviews/ace/internal/review"
)

// Labels of the rubric (contract: docs/pages.md shows them), one written
// anchor per level.
var (
	scoreAnchors = map[int]string{1: "Wrong or no answer", 2: "Weak", 3: "Good", 4: "Excellent"}
	recLabels    = map[string]string{"strong_no": "Strong no", "no": "No", "yes": "Yes", "strong_yes": "Strong yes"}
	outcomeTexts = map[string]string{
		review.OutcomeSubmitted: "Submitted",
		review.OutcomeCutOff:    "Cut off by the timer",
		review.OutcomeOpen:      "Not submitted (left open)",
		review.OutcomeNone:      "No answer",
	}
)

// reviewFuncs are the template functions of the report page.
func reviewFuncs() template.FuncMap {
	return template.FuncMap{
		"recLabel": func(r string) string {
			if l, ok := recLabels[r]; ok {
				return l
			}
			return "Not chosen"
		},
		"scoreText": func(s *int) string {
			if s == nil {
				return "Not assessed"
			}
			return strconv.Itoa(*s) + " · " + scoreAnchors[*s]
		},
		"msText":     msText,
		"extraTime":  review.ExtraTimeText,
		"pacingText": review.PacingText,
		"meanText": func(m *float64) string {
			if m == nil {
				return "–"
			}
			return strconv.FormatFloat(*m, 'f', -1, 64)
		},
		"outcomeText": func(o string) string { return outcomeTexts[o] },
		"when": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.UTC().Format("2 Jan 2006 15:04 UTC")
		},
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
	}
}

// msText writes a duration as "4 min 5 s" (whole seconds, rounded).
func msText(ms int64) string {
	s := (ms + 500) / 1000
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s%60 == 0:
		return fmt.Sprintf("%d min", s/60)
	}
	return fmt.Sprintf("%d min %d s", s/60, s%60)
}
