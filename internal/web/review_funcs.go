package web

import (
	"html/template"
	"math"
	"strconv"
	"time"
)

// listFuncs are the template functions of the reviews list, the compare
// page and the staff home.
func listFuncs() template.FuncMap {
	return template.FuncMap{
		// mean2 writes a mean with at most two decimals ("–" for none).
		"mean2": func(m *float64) string {
			if m == nil {
				return "–"
			}
			return strconv.FormatFloat(math.Round(*m*100)/100, 'f', -1, 64)
		},
		"day": func(t time.Time) string { return t.UTC().Format("2 Jan 2006") },
		"dayOf": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.UTC().Format("2 Jan 2006, 15:04") + " UTC"
		},
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"isoOf": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.UTC().Format(time.RFC3339)
		},
	}
}
