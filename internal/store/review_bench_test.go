package store_test

// Benchmark for issue 9: "The reviews list over 10,000 interviews filters
// and pages in under 50 ms p99 on both SQLite and PostgreSQL."
//
//	go test ./internal/store -run '^$' -bench ReviewsList -benchtime 200x
//
// Each iteration is what GET /reviews does before rendering: the page and
// its count (ListReviews), then the page's panels, technologies and
// scorecards, shaped through the blind-panel gate (review.List). Results
// are in docs/benchmarks.md.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// benchInterviews is the number of interviews the issue asks about.
const benchInterviews = 10_000

// benchReviewWorld is the loaded data set: who to list as, and values the
// cases filter by.
type benchReviewWorld struct {
	reviewer, interviewer, admin store.User
	interviewers                 []store.User
	candidates, ended            int
	first, last                  time.Time
}

var benchFirstNames = strings.Fields(`Ada Alan Barbara Brian Carla Chen Dana Dmitri Elena Emeka Fatima Felix Grace Hiro
	Ines Ivan Jana Jorge Kai Kemal Lena Luis Maya Mehmet Nadia Noor Olga Omar Priya Pablo Quinn Rosa Sami Sofia
	Tariq Tess Uma Viktor Wen Yara Zoe Zoltan`)
var benchLastNames = strings.Fields(`Okafor Lovelace Liskov Kernighan Hopper Turing Nakamura García Müller Kowalski
	Ivanova Haddad Silva Rossi Dubois Jensen Novak Yilmaz Kim Tanaka Singh Patel Cohen Lindqvist O'Brien Santos`)

// loadReviewWorld fills s with benchInterviews interviews (PCG seed 9): 96%
// ended over two years, 1–3 interviewers of 30 on each panel, 1–3
// candidates (1% are exams of 20), 2–4 questions over 28 technologies, an
// admin on one panel in twenty, and
// for each candidate and interviewer a submitted scorecard (80%, a tenth of
// them amended), a draft (10%) or nothing.
func loadReviewWorld(b testing.TB, s *store.Store) benchReviewWorld {
	b.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 9))
	var w benchReviewWorld
	for i := range 30 {
		u, err := s.CreateUser(ctx, fmt.Sprintf("interviewer%02d@bench.test", i), benchFirstNames[i%len(benchFirstNames)]+" "+benchLastNames[i%len(benchLastNames)], store.RoleInterviewer, "h")
		if err != nil {
			b.Fatal(err)
		}
		w.interviewers = append(w.interviewers, u)
	}
	var err error
	if w.reviewer, err = s.CreateUser(ctx, "reviewer@bench.test", "Rita Reviewer", store.RoleReviewer, "h"); err != nil {
		b.Fatal(err)
	}
	if w.admin, err = s.CreateUser(ctx, "admin@bench.test", "Ada Admin", store.RoleAdmin, "h"); err != nil {
		b.Fatal(err)
	}
	w.interviewer = w.interviewers[3]
	w.last = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	w.first = w.last.Add(-2 * 365 * 24 * time.Hour)

	var ivs, parts, qs, cards, scores [][]any
	var pid, cardID int64
	recs := store.Recommendations
	levels := []string{"beginner", "intermediate", "advanced"}
	for i := 1; i <= benchInterviews; i++ {
		created := w.first.Add(time.Duration(r.Int64N(int64(w.last.Sub(w.first)))))
		status := store.StatusEnded
		var ended any
		switch n := r.IntN(100); {
		case n < 2:
			status = store.StatusLive
		case n < 4:
			status = store.StatusScheduled
		default:
			ended = created.Add(time.Duration(30+r.IntN(90)) * time.Minute)
			w.ended++
		}
		tech := benchTechnologies[r.IntN(len(benchTechnologies))]
		title := fmt.Sprintf("%s %s screen #%d", tech, levels[r.IntN(3)], i)
		panel := slices.Clone(w.interviewers)
		r.Shuffle(len(panel), func(a, b int) { panel[a], panel[b] = panel[b], panel[a] })
		panel = panel[:[]int{1, 1, 2, 2, 3}[r.IntN(5)]]
		if i%20 == 0 { // the admin sits on one panel in twenty
			panel = append(panel, w.admin)
		}
		ivs = append(ivs, []any{i, title, status, panel[0].ID, created, ended})
		var panelIDs []int64
		for _, u := range panel {
			pid++
			panelIDs = append(panelIDs, pid)
			parts = append(parts, []any{pid, i, store.PartInterviewer, u.ID, u.Name, u.Email, nil, created})
		}
		nq := 2 + r.IntN(3)
		for q := 1; q <= nq; q++ {
			t := tech
			if q > 1 && r.IntN(3) == 0 {
				t = benchTechnologies[r.IntN(len(benchTechnologies))]
			}
			qs = append(qs, []any{i, q, 1 + r.IntN(2000), t, levels[r.IntN(3)], fmt.Sprintf("Question %d on %s", q, t), "Model answer", 300, created})
		}
		nc := []int{1, 1, 1, 2, 2, 3}[r.IntN(6)]
		if r.IntN(100) == 0 {
			nc = 20
		}
		for c := 0; c < nc; c++ {
			pid++
			w.candidates++
			first, last := benchFirstNames[r.IntN(len(benchFirstNames))], benchLastNames[r.IntN(len(benchLastNames))]
			parts = append(parts, []any{pid, i, store.PartCandidate, nil, first + " " + last,
				strings.ToLower(first) + "." + fmt.Sprint(pid) + "@example.com", fmt.Sprintf("tok-%d", pid), created})
			if ended == nil {
				continue
			}
			for _, author := range panelIDs {
				kind := r.IntN(10)
				if kind == 9 {
					continue
				}
				versions := 1
				if kind < 8 && r.IntN(10) == 0 {
					versions = 2
				}
				for v := 1; v <= versions; v++ {
					cardID++
					st, sub := store.ScorecardSubmitted, any(ended)
					rec := recs[r.IntN(len(recs))]
					if kind == 8 {
						st, sub = store.ScorecardDraft, nil
						if r.IntN(2) == 0 {
							rec = ""
						}
					}
					cards = append(cards, []any{cardID, i, pid, author, v, st, rec, "Summary of the candidate.", 0, created, created, sub})
					for q := 1; q <= nq; q++ {
						var sc any
						if r.IntN(10) != 0 {
							sc = 1 + r.IntN(4)
						}
						scores = append(scores, []any{cardID, q, sc, "ok"})
					}
				}
			}
		}
	}
	err = s.BulkLoadForTest(ctx, func(exec func(string, ...any) error) error {
		for _, t := range []struct {
			table string
			cols  string
			rows  [][]any
		}{
			{"interviews", "id, title, status, created_by, created_at, ended_at", ivs},
			{"participants", "id, interview_id, role, user_id, name, email, token_hash, created_at", parts},
			{"interview_questions", "interview_id, position, question_id, technology, level, prompt, answer, time_limit_s, pushed_at", qs},
			{"scorecards", "id, interview_id, candidate_id, author_id, version, status, recommendation, summary, seen_panel, created_at, updated_at, submitted_at", cards},
			{"scorecard_scores", "scorecard_id, position, score, comment", scores},
		} {
			if err := benchInsert(exec, t.table, t.cols, t.rows); err != nil {
				return fmt.Errorf("%s: %w", t.table, err)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.RefreshReviewEntriesForTest(ctx); err != nil {
		b.Fatal(err)
	}
	if s.Dialect() == store.Postgres {
		// As autovacuum would shortly after such a load.
		if err := s.AnalyzeForTest(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return w
}

// benchInsert inserts rows with multi-row INSERTs of at most 20,000 parameters.
func benchInsert(exec func(string, ...any) error, table, cols string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	per := 20_000 / len(rows[0])
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
		ph := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(rows[0])), ", ") + ")"
		args := make([]any, 0, len(chunk)*len(rows[0]))
		for i, row := range chunk {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(ph)
			args = append(args, row...)
		}
		if err := exec(sb.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// benchReviewPage is what GET /reviews does before it renders: the page
// and its count, then what the page shows of each row through the gate.
func benchReviewPage(ctx context.Context, s *store.Store, u store.User, f store.ReviewFilter) (int, int, error) {
	page, err := s.ListReviews(ctx, store.ReviewScope{UserID: u.ID, Role: u.Role}, f)
	if err != nil {
		return 0, 0, err
	}
	var ivs, cands []int64
	for _, r := range page.Rows {
		if !slices.Contains(ivs, r.InterviewID) {
			ivs = append(ivs, r.InterviewID)
		}
		cands = append(cands, r.CandidateID)
	}
	in := review.ListInput{Rows: page.Rows}
	if in.Panels, err = s.Panels(ctx, ivs); err != nil {
		return 0, 0, err
	}
	if in.Technologies, err = s.InterviewTechnologies(ctx, ivs); err != nil {
		return 0, 0, err
	}
	if in.Scorecards, err = s.ScorecardsOfCandidates(ctx, cands); err != nil {
		return 0, 0, err
	}
	return len(review.List(in, &u)), page.Total, nil
}

// BenchmarkReviewsList lists pages of the reviews list over 10,000
// interviews with each filter and sort, as a reviewer (every interview),
// as an interviewer (the panels they sit on) and as an admin (every
// interview, blind on the panels they sit on), 25 rows a page.
func BenchmarkReviewsList(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			s := storetest.New(b, d)
			w := loadReviewWorld(b, s)
			month := w.last.AddDate(0, -1, 0)
			lastDay := w.last.AddDate(0, 0, 1)
			reviewer, interviewer := w.reviewer, w.interviewer
			cases := []struct {
				name string
				as   store.User
				f    store.ReviewFilter
			}{
				{"first-page", reviewer, store.ReviewFilter{}},
				{"page-200", reviewer, store.ReviewFilter{Offset: 199 * 25}},
				{"last-page", reviewer, store.ReviewFilter{Offset: 1 << 30}},
				{"date-range-month", reviewer, store.ReviewFilter{From: &month, To: &lastDay}},
				{"interviewer", reviewer, store.ReviewFilter{InterviewerID: w.interviewers[7].ID}},
				{"technology", reviewer, store.ReviewFilter{Technology: "Go"}},
				{"recommendation", reviewer, store.ReviewFilter{Recommendation: "strong_yes"}},
				{"awaiting", reviewer, store.ReviewFilter{Awaiting: true}},
				{"search-name", reviewer, store.ReviewFilter{Query: "lovelace"}},
				{"search-email", reviewer, store.ReviewFilter{Query: "ada.12"}},
				{"search-title", reviewer, store.ReviewFilter{Query: "#471"}},
				{"sort-mean", reviewer, store.ReviewFilter{Sort: store.ReviewSortMean}},
				{"sort-mean-page-100", reviewer, store.ReviewFilter{Sort: store.ReviewSortMean, Offset: 99 * 25}},
				{"sort-title", reviewer, store.ReviewFilter{Sort: store.ReviewSortTitle}},
				{"sort-candidate", reviewer, store.ReviewFilter{Sort: store.ReviewSortCandidate, Dir: "desc"}},
				{"sort-submitted", reviewer, store.ReviewFilter{Sort: store.ReviewSortSubmitted}},
				{"combined", reviewer, store.ReviewFilter{Technology: "Go", Recommendation: "yes", Awaiting: true, Sort: store.ReviewSortMean}},
				{"as-interviewer", interviewer, store.ReviewFilter{}},
				{"as-interviewer-recommendation-mean", interviewer, store.ReviewFilter{Recommendation: "no", Sort: store.ReviewSortMean}},
				{"as-admin-recommendation-mean", w.admin, store.ReviewFilter{Recommendation: "no", Sort: store.ReviewSortMean}},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					f := c.f
					f.Limit = 25
					if f.Offset == 1<<30 { // the last page of this filter
						_, total, err := benchReviewPage(ctx, s, c.as, store.ReviewFilter{Limit: 1})
						if err != nil {
							b.Fatal(err)
						}
						f.Offset = (total - 1) / 25 * 25
					}
					durs := make([]time.Duration, 0, b.N)
					rows, total := 0, 0
					b.ResetTimer()
					for range b.N {
						start := time.Now()
						n, t, err := benchReviewPage(ctx, s, c.as, f)
						durs = append(durs, time.Since(start))
						if err != nil {
							b.Fatal(err)
						}
						rows, total = n, t
					}
					b.StopTimer()
					if rows == 0 {
						b.Fatalf("%s: an empty page would measure nothing (total %d)", c.name, total)
					}
					slices.Sort(durs)
					b.ReportMetric(benchMillis(benchPercentile(durs, 50)), "p50-ms")
					b.ReportMetric(benchMillis(benchPercentile(durs, 99)), "p99-ms")
					b.ReportMetric(float64(total), "matches")
				})
			}
		})
	}
}
