package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

// TestSelfPacedReportAndExports runs a self-paced exam over the protocol —
// one candidate with +50 % and 10 minutes of extra time, each opening and
// answering questions in their own order, none pushed — and reads its
// report, CSV and JSON: the pacing and each candidate's accommodation are
// there, every planned question counts for every candidate, and a
// scorecard may score a question that was never pushed.
func TestSelfPacedReportAndExports(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t, d)
			ivy := e.user("ivy@example.test", store.RoleInterviewer)
			e.seed(bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "Exam one?", Answer: "m1", TimeLimitS: 0},
				bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "Exam two?", Answer: "m2", TimeLimitS: 0})
			var qs struct {
				Questions []struct {
					ID     int64  `json:"id"`
					Prompt string `json:"prompt"`
				} `json:"questions"`
			}
			e.apiJSON("GET", "/api/v1/questions?technology=Go", ivy, nil, &qs)
			slices.SortFunc(qs.Questions, func(a, b struct {
				ID     int64  `json:"id"`
				Prompt string `json:"prompt"`
			}) int {
				return strings.Compare(a.Prompt, b.Prompt)
			})
			var iv createdInterview
			if st := e.apiJSON("POST", "/api/v1/interviews", ivy, map[string]any{
				"title": "Self-paced", "pacing": "self_paced", "exam_time_limit_s": 600,
				"questions":  []map[string]any{{"question_id": qs.Questions[0].ID}, {"question_id": qs.Questions[1].ID}},
				"candidates": []map[string]any{{"name": "Ada", "extra_time_pct": 50, "extra_time_s": 600}, {"name": "Bob"}},
			}, &iv); st != http.StatusCreated {
				t.Fatalf("create: %d", st)
			}
			ada, bob := iv.Candidates[0], iv.Candidates[1]
			staff := e.dialRoom(iv.ID, ivy)
			staff.request("interview.start", nil)
			ac := e.dialRoom(iv.ID, ada.InviteToken)
			bc := e.dialRoom(iv.ID, bob.InviteToken)
			ac.request("question.open", map[string]any{"position": 2})
			ac.request("answer.submit", map[string]any{"position": 2, "text": "ada two"})
			bc.request("question.open", map[string]any{"position": 1})
			bc.draftSaved(map[string]any{"position": 1, "text": "bob one", "version": 1})
			staff.request("candidate.extra_time", map[string]any{"candidate_id": bob.ID, "extra_time_pct": 25, "extra_time_s": 0})
			// A scorecard scores question 1, which no one pushed.
			sc := `{"recommendation":"yes","summary":"ok","scores":[{"position":1,"score":3,"comment":""},{"position":2,"score":4,"comment":""}]}`
			if r := e.call("PUT", fmt.Sprintf("/api/v1/interviews/%d/candidates/%d/scorecard", iv.ID, ada.ID), ivy, "application/json", sc); r.status != http.StatusOK {
				t.Fatalf("scorecard on a self-paced question: %d %s", r.status, r.body)
			}
			staff.request("interview.end", nil)

			c := e.client()
			c.login("ivy@example.test")
			page := c.get(fmt.Sprintf("/interviews/%d/report", iv.ID))
			if page.status != http.StatusOK {
				t.Fatalf("report: %d", page.status)
			}
			for _, want := range []string{`data-pacing="self_paced"`, "Self-paced", "Extra time: +50 % and +10 min", "Extra time: +25 %",
				`data-outcome="submitted"`, `data-outcome="open"`} {
				if !strings.Contains(html.UnescapeString(page.body), want) {
					t.Errorf("the report lacks %q", want)
				}
			}
			if n := strings.Count(page.body, `<article class="report-q"`); n != 4 {
				t.Errorf("%d questions in the report, want 2 per candidate", n)
			}

			rows := readCSV(t, e.call("GET", fmt.Sprintf("/api/v1/interviews/%d/export.csv", iv.ID), ivy, "", ""))
			if strings.Join(rows[0], "|") != strings.Join(review.InterviewCSVHeader, "|") || !slices.Contains(rows[0], "extra_time_pct") {
				t.Fatalf("header %q", rows[0])
			}
			col := func(name string) int { return slices.Index(rows[0], name) }
			got := map[string][]string{}
			for _, r := range rows[1:] {
				got[r[col("candidate")]] = append(got[r[col("candidate")]], r[col("prompt")])
				want := map[string][]string{"Ada": {"50", "600"}, "Bob": {"25", "0"}}[r[col("candidate")]]
				if r[col("pacing")] != "self_paced" || r[col("extra_time_pct")] != want[0] || r[col("extra_time_s")] != want[1] {
					t.Errorf("row %q", r)
				}
			}
			if len(got["Ada"]) != 2 || len(got["Bob"]) != 2 {
				t.Errorf("rows by candidate %q: every planned question counts", got)
			}

			var doc struct {
				Interview struct {
					Pacing string `json:"pacing"`
				} `json:"interview"`
				Candidates []map[string]any `json:"candidates"`
				Panel      []map[string]any `json:"panel"`
			}
			r := e.call("GET", fmt.Sprintf("/api/v1/interviews/%d/export.json", iv.ID), ivy, "", "")
			if err := json.Unmarshal([]byte(r.body), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Interview.Pacing != "self_paced" || len(doc.Candidates) != 2 ||
				doc.Candidates[0]["extra_time_pct"] != 50.0 || doc.Candidates[0]["extra_time_s"] != 600.0 ||
				doc.Candidates[1]["extra_time_pct"] != 25.0 || doc.Candidates[1]["extra_time_s"] != 0.0 {
				t.Errorf("JSON export: %+v", doc)
			}
			if _, ok := doc.Panel[0]["extra_time_pct"]; ok {
				t.Errorf("the panel carries extra time: %+v", doc.Panel)
			}
		})
	}
}
