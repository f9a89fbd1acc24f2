package review

import (
	"fmt"
	"strings"

	"github.com/ace-interviews/ace/internal/store"
)

// ExtraTimeText says a candidate's accommodation as the staff pages do
// (frontend/js/accommodation.js): "+50 %", "+10 min", "+50 % and +10 min",
// or "" for none.
func ExtraTimeText(pct, s int) string {
	var bits []string
	if pct > 0 {
		bits = append(bits, fmt.Sprintf("+%d %%", pct))
	}
	switch {
	case s <= 0:
	case s%60 == 0:
		bits = append(bits, fmt.Sprintf("+%d min", s/60))
	default:
		bits = append(bits, fmt.Sprintf("+%d min %d s", s/60, s%60))
	}
	return strings.Join(bits, " and ")
}

// PacingText names an interview's pacing for the staff pages.
func PacingText(pacing string) string {
	if pacing == store.PacingSelfPaced {
		return "Self-paced: candidates move between the questions on their own"
	}
	return "Pushed: the interviewer puts each question on screen"
}
