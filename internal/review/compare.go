package review

import (
	"strconv"

	"github.com/ace-interviews/ace/internal/store"
)

// Matrix compares candidates side by side: a column per candidate, a row
// per question matched across interviews by bank question.
type Matrix struct {
	Columns []Column
	Rows    []CompareRow
}

// Column is one candidate, with what the viewer may see of their scorecards.
type Column struct {
	Interview store.Interview
	Candidate store.Participant
	Cards     []Card // the latest submitted visible version per author
	Hidden    int    // submitted scorecards the gate keeps from the viewer
	Mean      *float64
}

// CompareRow is one question: the first column's copy of it, and a cell
// per column.
type CompareRow struct {
	Question store.PlannedQuestion
	Cells    []Cell
}

// Cell is one candidate's answer to the row's question.
type Cell struct {
	Asked   bool // false: the question was not pushed to this candidate
	Answer  string
	Outcome string
	Scores  []CardScore
	Mean    *float64
}

// Compare lays out the candidates of reports, each report built (through
// the gate) for the viewer in that report's interview. Columns come in the
// order of the reports and of their candidates; a candidate listed in
// only, when it is non-nil, is the only one of their report kept. Questions
// are matched by bank question (by technology and prompt for one that has
// none); the same question asked twice of a candidate makes two rows.
func Compare(reports []Report, only map[int64]bool) Matrix {
	m := Matrix{Columns: []Column{}, Rows: []CompareRow{}}
	var perCol []map[string]QuestionReport
	rowOf := map[string]int{}
	for _, r := range reports {
		for _, cr := range r.Candidates {
			if only != nil && !only[cr.Candidate.ID] {
				continue
			}
			col := Column{Interview: r.Interview, Candidate: cr.Candidate, Cards: cr.Cards, Hidden: cr.Hidden}
			col.Mean, _ = summarise(cr.Cards)
			m.Columns = append(m.Columns, col)
			qs := map[string]QuestionReport{}
			seen := map[string]int{}
			for _, qr := range cr.Questions {
				base := questionKey(qr.Question)
				seen[base]++
				k := base + "#" + strconv.Itoa(seen[base])
				qs[k] = qr
				if _, ok := rowOf[k]; !ok {
					rowOf[k] = len(m.Rows)
					m.Rows = append(m.Rows, CompareRow{Question: qr.Question})
				}
			}
			perCol = append(perCol, qs)
		}
	}
	keys := make([]string, len(m.Rows))
	for k, i := range rowOf {
		keys[i] = k
	}
	for i, k := range keys {
		cells := make([]Cell, len(m.Columns))
		for c := range m.Columns {
			qr, ok := perCol[c][k]
			if !ok {
				cells[c] = Cell{Scores: []CardScore{}}
				continue
			}
			cells[c] = Cell{Asked: true, Answer: qr.Answer, Outcome: qr.Outcome, Scores: qr.Scores, Mean: qr.Mean}
		}
		m.Rows[i].Cells = cells
	}
	return m
}

// questionKey names a question across interviews: its bank question, or
// its text when it has none.
func questionKey(q store.PlannedQuestion) string {
	if q.QuestionID != nil {
		return "q" + strconv.FormatInt(*q.QuestionID, 10)
	}
	return "t" + q.Technology + "\x00" + q.Prompt
}
