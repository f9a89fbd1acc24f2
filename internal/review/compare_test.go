package review_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

func qid(n int64) *int64 { return &n }

// TestCompare: columns per candidate across two interviews, rows matched
// by bank question (text for one without), "not asked" where a candidate
// was not asked, and scores through each report's gate.
func TestCompare(t *testing.T) {
	pushed := t0
	r1 := review.Report{Interview: store.Interview{ID: 1, Title: "one"}, Candidates: []review.CandidateReport{
		{Candidate: store.Participant{ID: candA, Name: "A"}, Questions: []review.QuestionReport{
			{Question: store.PlannedQuestion{Position: 1, QuestionID: qid(100), Prompt: "Q100", PushedAt: &pushed}, Answer: "a-100", Outcome: review.OutcomeSubmitted,
				Scores: []review.CardScore{{AuthorName: "X", Score: ip(4)}}, Mean: ptrF(4)},
			{Question: store.PlannedQuestion{Position: 2, Prompt: "ad hoc", Technology: "Go"}, Answer: "a-adhoc", Outcome: review.OutcomeOpen, Scores: []review.CardScore{}},
		}, Cards: []review.Card{{Scorecard: store.Scorecard{AuthorName: "X", Recommendation: "strong_yes", Scores: []store.Score{{Position: 1, Score: ip(4)}}}}}},
		{Candidate: store.Participant{ID: candB, Name: "B"}, Questions: []review.QuestionReport{
			{Question: store.PlannedQuestion{Position: 1, QuestionID: qid(100), Prompt: "Q100"}, Answer: "b-100", Outcome: review.OutcomeCutOff, Scores: []review.CardScore{}},
		}, Hidden: 1},
	}}
	r2 := review.Report{Interview: store.Interview{ID: 2, Title: "two"}, Candidates: []review.CandidateReport{
		{Candidate: store.Participant{ID: 20, Name: "C"}, Questions: []review.QuestionReport{
			{Question: store.PlannedQuestion{Position: 1, QuestionID: qid(200), Prompt: "Q200"}, Answer: "c-200", Scores: []review.CardScore{}},
			{Question: store.PlannedQuestion{Position: 2, QuestionID: qid(100), Prompt: "Q100 (copied later)"}, Answer: "c-100", Scores: []review.CardScore{}},
			{Question: store.PlannedQuestion{Position: 3, QuestionID: qid(100), Prompt: "Q100"}, Answer: "c-100 again", Scores: []review.CardScore{}},
		}},
		{Candidate: store.Participant{ID: 21, Name: "D"}},
	}}

	m := review.Compare([]review.Report{r1, r2}, map[int64]bool{candA: true, candB: true, 20: true})
	var cols []string
	for _, c := range m.Columns {
		cols = append(cols, fmt.Sprintf("%s/%s", c.Interview.Title, c.Candidate.Name))
	}
	if strings.Join(cols, " ") != "one/A one/B two/C" {
		t.Fatalf("columns %v", cols)
	}
	var rows []string
	for _, r := range m.Rows {
		var cells []string
		for _, c := range r.Cells {
			if !c.Asked {
				cells = append(cells, "-")
			} else {
				cells = append(cells, c.Answer)
			}
		}
		rows = append(rows, r.Question.Prompt+": "+strings.Join(cells, ", "))
	}
	want := []string{
		"Q100: a-100, b-100, c-100",
		"ad hoc: a-adhoc, -, -",
		"Q200: -, -, c-200",
		"Q100: -, -, c-100 again",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if c := m.Rows[0].Cells[0]; *c.Mean != 4 || len(c.Scores) != 1 || c.Outcome != review.OutcomeSubmitted {
		t.Errorf("A's first cell %+v", c)
	}
	if m.Columns[0].Mean == nil || *m.Columns[0].Mean != 4 || m.Columns[1].Hidden != 1 || m.Columns[1].Mean != nil {
		t.Errorf("column means %+v", m.Columns)
	}
	// Without a selection every candidate is a column; D, asked nothing, has no cell filled.
	if all := review.Compare([]review.Report{r1, r2}, nil); len(all.Columns) != 4 || all.Rows[0].Cells[3].Asked {
		t.Errorf("all columns %d", len(all.Columns))
	}
}

func ptrF(f float64) *float64 { return &f }
