package review_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

func scored(sc store.Scorecard, rec string, scores ...int) store.Scorecard {
	sc.Recommendation = rec
	sc.Scores = []store.Score{}
	for i, s := range scores {
		score := store.Score{Position: i + 1, Comment: fmt.Sprintf("c%d", i+1)}
		if s != 0 {
			score.Score = ip(s)
		}
		sc.Scores = append(sc.Scores, score)
	}
	return sc
}

// TestListThroughTheGate: the list's mean and verdicts are what the gate
// shows each viewer; who submitted is counted for everyone.
func TestListThroughTheGate(t *testing.T) {
	removed := t0
	in := review.ListInput{
		Rows: []store.ReviewRow{{InterviewID: 1, CandidateID: candA, ViewerParticipantID: me}, {InterviewID: 1, CandidateID: candB, ViewerParticipantID: me}},
		Panels: []store.PanelMember{{InterviewID: 1, ParticipantID: me, Name: "Me"}, {InterviewID: 1, ParticipantID: other, Name: "Other"},
			{InterviewID: 1, ParticipantID: 3, Name: "Gone", RevokedAt: &removed}, {InterviewID: 1, ParticipantID: 4, Name: "Left early", RevokedAt: &removed}},
		Technologies: []store.InterviewTechnology{{InterviewID: 1, Technology: "Go"}, {InterviewID: 1, Technology: "SQL"}},
		Scorecards: []store.Scorecard{
			// A: other submitted v1 (no) then v2 (strong_yes 4, 4); the removed 3 submitted yes 2; mine is a draft.
			scored(card(other, candA, 1, store.ScorecardSubmitted), "no", 1, 1),
			scored(card(other, candA, 2, store.ScorecardSubmitted), "strong_yes", 4, 4),
			scored(card(3, candA, 1, store.ScorecardSubmitted), "yes", 2, 0),
			scored(card(me, candA, 1, store.ScorecardDraft), "strong_no", 1, 1),
			// B: I submitted (yes 3), other submitted (no 1).
			scored(card(me, candB, 1, store.ScorecardSubmitted), "yes", 3),
			scored(card(other, candB, 1, store.ScorecardSubmitted), "no", 1),
		},
	}
	show := func(it review.ListItem) string {
		mean := "-"
		if it.Mean != nil {
			mean = fmt.Sprintf("%.2f", *it.Mean)
		}
		return fmt.Sprintf("%d of %d, hidden %d, mean %s, %v", it.Submitted, it.Panel, it.Hidden, mean, it.Recommendations)
	}
	for _, c := range []struct {
		name   string
		u      *store.User
		a, b   string
		panel  bool
		strong bool // A is found by strong_yes
	}{
		{"panel member who has not submitted for A", &store.User{ID: meUser, Role: store.RoleInterviewer},
			"2 of 3, hidden 2, mean -, []", "2 of 2, hidden 0, mean 2.00, [{no 1} {yes 1}]", true, false},
		{"reviewer", &store.User{ID: reviewerID, Role: store.RoleReviewer},
			"2 of 3, hidden 0, mean 3.33, [{yes 1} {strong_yes 1}]", "2 of 2, hidden 0, mean 2.00, [{no 1} {yes 1}]", false, true},
	} {
		rows := in
		if !c.panel {
			rows.Rows = []store.ReviewRow{{InterviewID: 1, CandidateID: candA}, {InterviewID: 1, CandidateID: candB}}
		}
		items := review.List(rows, c.u)
		if got := show(items[0]); got != c.a {
			t.Errorf("%s, A: %s, want %s", c.name, got, c.a)
		}
		if got := show(items[1]); got != c.b {
			t.Errorf("%s, B: %s, want %s", c.name, got, c.b)
		}
		if items[0].Has("strong_yes") != c.strong || items[0].Has("strong_no") {
			t.Errorf("%s: Has(strong_yes) %v, Has(strong_no) %v", c.name, items[0].Has("strong_yes"), items[0].Has("strong_no"))
		}
		// Only a writer shown another's scorecard has seen the panel.
		if items[0].SeenPanel || items[1].SeenPanel != c.panel {
			t.Errorf("%s: seen panel %v, %v", c.name, items[0].SeenPanel, items[1].SeenPanel)
		}
		if strings.Join(items[0].Interviewers, ",") != "Me,Other" || strings.Join(items[0].Technologies, ",") != "Go,SQL" {
			t.Errorf("%s: interviewers %v, technologies %v", c.name, items[0].Interviewers, items[0].Technologies)
		}
	}
	// Nobody (no staff user) sees nothing.
	for _, it := range review.List(in, nil) {
		if it.Mean != nil || len(it.Recommendations) != 0 {
			t.Errorf("no viewer: %s", show(it))
		}
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)", "\t=x": "'\t=x", "\r=x": "'\r=x",
		"": "", "plain": "plain", "a=b": "a=b", " =x": " =x", "'=x": "'=x", "é=": "é=",
	} {
		if got := review.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCSVWriterRoundTrip: commas, quotes, newlines, non-ASCII and formula
// prefixes come back as written (formulas with their apostrophe).
func TestCSVWriterRoundTrip(t *testing.T) {
	rows := [][]string{
		{"a,b", `say "hi"`, "line 1\nline 2", "naïve — 日本語 🙂", "=HYPERLINK(\"http://x\")"},
		{"-2", "+3", "@x", "", "plain"},
	}
	var buf bytes.Buffer
	w, err := review.NewCSVWriter(&buf, []string{"h1", "h2", "h3", "h4", "h5"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	b, ok := bytes.CutPrefix(buf.Bytes(), []byte("\uFEFF"))
	if !ok {
		t.Fatal("no byte-order mark")
	}
	got, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || strings.Join(got[0], "|") != "h1|h2|h3|h4|h5" {
		t.Fatalf("read %q", got)
	}
	for i, r := range rows {
		for j, cell := range r {
			if want := review.SafeCell(cell); got[i+1][j] != want {
				t.Errorf("row %d cell %d: %q, want %q", i, j, got[i+1][j], want)
			}
		}
	}
	if got[1][4] != `'=HYPERLINK("http://x")` || got[2][0] != "'-2" {
		t.Errorf("formulas not neutralised: %q", got[1:])
	}
}

// TestInterviewCSVAndExport: the CSV is the report flattened (through the
// gate), the JSON holds what the gate shows and staff data.
func TestInterviewCSVAndExport(t *testing.T) {
	in := reportInput()
	in.Scorecards = []store.Scorecard{
		scored(card(other, candA, 1, store.ScorecardSubmitted), "yes", 3, 2),
		scored(card(other, candB, 1, store.ScorecardDraft), "no", 1, 1),
	}
	for i := range in.Scorecards {
		in.Scorecards[i].AuthorName = "Other"
	}
	in.Notes = []store.Note{{AuthorID: me, CandidateID: candA, Position: 1, Text: "note"}}
	overseer := review.Viewer{Kind: review.Overseer, UserID: reviewerID}
	blind := review.Viewer{Kind: review.Panel, UserID: meUser, ParticipantID: me}

	rows := review.InterviewCSV(review.Build(in, overseer))
	var lines []string
	for _, r := range rows {
		if len(r) != len(review.InterviewCSVHeader) {
			t.Fatalf("row of %d cells: %q", len(r), r)
		}
		lines = append(lines, strings.Join(r[1:], "|"))
	}
	want := []string{
		"A||||P1|a1|yes|30|Other|3|c1|yes|pushed|0|0",
		"A||||P2|a2|no|20|Other|2|c2|yes|pushed|0|0",
		"B||||P1|b1|no|60|||||pushed|0|0",
		"B||||P2||no|20|||||pushed|0|0",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("overseer's CSV:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// Blind: the panel member has not submitted, so no scorecard column is filled.
	for _, r := range review.InterviewCSV(review.Build(in, blind)) {
		if r[9] != "" || r[10] != "" || r[11] != "" || r[12] != "" {
			t.Errorf("blind CSV row shows a scorecard: %q", r)
		}
	}

	doc, shown := review.Export(in, overseer)
	if len(doc.Scorecards) != 1 || doc.Scorecards[0].CandidateID != candA || len(shown) != 1 {
		t.Errorf("overseer's export scorecards %+v, shown %v", doc.Scorecards, shown)
	}
	if len(doc.Candidates) != 2 || len(doc.Panel) != 2 || len(doc.Answers) != 3 || !doc.Answers[0].Submitted ||
		len(doc.Questions) != 3 || doc.Questions[0].Answer != "M1" || len(doc.Notes) != 1 || len(doc.Transcript) != len(in.Events) {
		t.Errorf("export %+v", doc)
	}
	doc, shown = review.Export(in, blind)
	if len(doc.Scorecards) != 0 || len(shown) != 0 {
		t.Errorf("blind export shows %+v", doc.Scorecards)
	}
	if doc, _ := review.Export(in, review.Viewer{}); len(doc.Scorecards) != 0 {
		t.Error("nobody's export has scorecards")
	}
}

func TestListCSV(t *testing.T) {
	m := 2.5
	rows := review.ListCSV([]review.ListItem{{
		ReviewRow:    store.ReviewRow{InterviewID: 7, Title: "T", EndedAt: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC), CandidateID: 9, CandidateName: "N", CandidateEmail: "e@x"},
		Technologies: []string{"Go", "SQL"}, Interviewers: []string{"A", "B"}, Submitted: 1, Panel: 2, Mean: &m,
		Recommendations: []review.RecCount{{Recommendation: "yes", N: 1}},
	}})
	want := "7|T|2025-03-04T05:06:07Z|9|N|e@x|Go; SQL|A; B|1|2|2.50|0|0|1|0"
	if len(rows) != 1 || strings.Join(rows[0], "|") != want || len(rows[0]) != len(review.ListCSVHeader) {
		t.Fatalf("list CSV %q", rows)
	}
}
