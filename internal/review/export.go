package review

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// Exports are views of a report (or of the reviews list) and so of the
// same gate: nothing is exported that the viewer's page would not show.

// InterviewCSVHeader is the header of an interview's CSV export (contract,
// docs/protocol.md): one row per candidate × question × scorecard. Columns
// are only ever added, at the end.
var InterviewCSVHeader = []string{"interview", "candidate", "email", "technology", "level", "prompt", "final answer",
	"submitted", "time used s", "interviewer", "score", "comment", "recommendation",
	"pacing", "extra_time_pct", "extra_time_s"}

// InterviewCSV is the rows of an interview's CSV export, in the order of
// the report: per candidate, per question asked (pushed, or every planned
// one of a self-paced exam), one row per visible
// submitted scorecard (the author's latest version), or one row with the
// scorecard columns empty when there is none. A candidate with no pushed
// question has a row per scorecard with the question columns empty, or a
// single row naming them.
func InterviewCSV(r Report) [][]string {
	var rows [][]string
	pacing := r.Interview.Pacing
	if pacing == "" {
		pacing = store.PacingPushed
	}
	for _, cr := range r.Candidates {
		cand := []string{r.Interview.Title, cr.Candidate.Name, cr.Candidate.Email}
		exam := []string{pacing, strconv.Itoa(cr.Candidate.ExtraTimePct), strconv.Itoa(cr.Candidate.ExtraTimeS)}
		noQuestion := []string{"", "", "", "", "", ""}
		if len(cr.Questions) == 0 {
			if len(cr.Cards) == 0 {
				rows = append(rows, join(cand, noQuestion, []string{"", "", "", ""}, exam))
			}
			for _, c := range cr.Cards {
				rows = append(rows, join(cand, noQuestion, []string{c.AuthorName, "", "", c.Recommendation}, exam))
			}
			continue
		}
		for _, q := range cr.Questions {
			submitted := "no"
			if q.Outcome == OutcomeSubmitted {
				submitted = "yes"
			}
			question := []string{q.Question.Technology, q.Question.Level, q.Question.Prompt, q.Answer, submitted,
				strconv.FormatInt((q.UsedMS+500)/1000, 10)}
			if len(cr.Cards) == 0 {
				rows = append(rows, join(cand, question, []string{"", "", "", ""}, exam))
			}
			for i, c := range cr.Cards {
				s := q.Scores[i]
				rows = append(rows, join(cand, question, []string{c.AuthorName, scoreCell(s.Score), s.Comment, c.Recommendation}, exam))
			}
		}
	}
	return rows
}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func scoreCell(s *int) string {
	if s == nil {
		return ""
	}
	return strconv.Itoa(*s)
}

// ListCSVHeader is the header of the reviews list's CSV export (contract):
// one row per candidate.
var ListCSVHeader = []string{"interview id", "interview", "ended", "candidate id", "candidate", "email", "technologies",
	"interviewers", "scorecards submitted", "panel", "mean score", "strong_no", "no", "yes", "strong_yes"}

// ListCSV is the rows of the reviews list's CSV export.
func ListCSV(items []ListItem) [][]string {
	rows := make([][]string, 0, len(items))
	for _, it := range items {
		mean := ""
		if it.Mean != nil {
			mean = strconv.FormatFloat(*it.Mean, 'f', 2, 64)
		}
		row := []string{strconv.FormatInt(it.InterviewID, 10), it.Title, it.EndedAt.UTC().Format(time.RFC3339),
			strconv.FormatInt(it.CandidateID, 10), it.CandidateName, it.CandidateEmail,
			strings.Join(it.Technologies, "; "), strings.Join(it.Interviewers, "; "),
			strconv.Itoa(it.Submitted), strconv.Itoa(it.Panel), mean}
		for _, r := range store.Recommendations {
			n := 0
			for _, rc := range it.Recommendations {
				if rc.Recommendation == r {
					n = rc.N
				}
			}
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, row)
	}
	return rows
}

// CSVWriter writes an export: UTF-8 with a byte-order mark (so spreadsheet
// programs read non-ASCII text as UTF-8), RFC 4180 quoting by encoding/csv,
// and every cell neutralised against formula injection (SafeCell).
type CSVWriter struct {
	w *csv.Writer
}

// NewCSVWriter starts an export on w with its header.
func NewCSVWriter(w io.Writer, header []string) (*CSVWriter, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	cw := &CSVWriter{w: csv.NewWriter(w)}
	return cw, cw.Write(header)
}

// Write writes one row.
func (cw *CSVWriter) Write(row []string) error {
	safe := make([]string, len(row))
	for i, c := range row {
		safe[i] = SafeCell(c)
	}
	return cw.w.Write(safe)
}

// Flush writes what is buffered and reports any error of the export.
func (cw *CSVWriter) Flush() error {
	cw.w.Flush()
	return cw.w.Error()
}

// SafeCell neutralises a cell a spreadsheet would run as a formula: one
// that begins with =, +, -, @ (or a tab or carriage return, which some
// programs strip before looking) gets a leading apostrophe, which
// spreadsheets show as text and do not display.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Document is an interview's JSON export (contract, docs/protocol.md).
type Document struct {
	Interview  store.Interview         `json:"interview"`
	Questions  []store.PlannedQuestion `json:"questions"`
	Panel      []Person                `json:"panel"`
	Candidates []Person                `json:"candidates"`
	Answers    []DocAnswer             `json:"answers"`
	Scorecards []store.Scorecard       `json:"scorecards"`
	Notes      []store.Note            `json:"notes"`
	Transcript []DocEvent              `json:"transcript"`
}

// Person is a participant in the export; a candidate's also carries their
// accommodation (0 for none), the panel's does not.
type Person struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	Email        string     `json:"email"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	ExtraTimePct *int       `json:"extra_time_pct,omitempty"`
	ExtraTimeS   *int       `json:"extra_time_s,omitempty"`
}

// DocAnswer is a candidate's final answer to a question.
type DocAnswer struct {
	CandidateID int64     `json:"candidate_id"`
	Position    int       `json:"position"`
	Text        string    `json:"text"`
	Submitted   bool      `json:"submitted"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// DocEvent is a transcript event as staff see it.
type DocEvent struct {
	Seq     int64      `json:"seq"`
	Type    string     `json:"type"`
	TS      time.Time  `json:"ts"`
	ActorID int64      `json:"actor"`
	Data    store.JSON `json:"data"`
}

// Export is the interview's JSON export for v: scorecards through
// VisibleScorecards (every version v may see, as the scorecards API lists
// them); the rest is staff-only data that every viewer with access to the
// interview reads. in.Events must already be the staff's projection. It
// also returns the candidates for whom it shows v another author's
// scorecard (see OthersShown).
func Export(in Input, v Viewer) (Document, []int64) {
	d := Document{Interview: in.Interview, Questions: in.Questions, Panel: []Person{}, Candidates: []Person{},
		Answers: []DocAnswer{}, Notes: in.Notes, Transcript: []DocEvent{}}
	if d.Questions == nil {
		d.Questions = []store.PlannedQuestion{}
	}
	if d.Notes == nil {
		d.Notes = []store.Note{}
	}
	for _, p := range in.Participants {
		pp := Person{ID: p.ID, Name: p.Name, Email: p.Email, RevokedAt: p.RevokedAt}
		if p.Role == store.PartCandidate {
			pct, s := p.ExtraTimePct, p.ExtraTimeS
			pp.ExtraTimePct, pp.ExtraTimeS = &pct, &s
			d.Candidates = append(d.Candidates, pp)
		} else {
			d.Panel = append(d.Panel, pp)
		}
	}
	for _, a := range in.Answers {
		d.Answers = append(d.Answers, DocAnswer{CandidateID: a.CandidateID, Position: a.Position, Text: a.Text,
			Submitted: a.Submitted == 1, UpdatedAt: a.UpdatedAt})
	}
	d.Scorecards = VisibleScorecards(in.Scorecards, v)
	for _, ev := range in.Events {
		d.Transcript = append(d.Transcript, DocEvent{Seq: ev.Seq, Type: ev.Type, TS: ev.CreatedAt, ActorID: ev.ActorID, Data: ev.Data})
	}
	return d, OthersShown(d.Scorecards, v)
}
