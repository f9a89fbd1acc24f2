package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// reviewWorld is a few ended interviews with panels and scorecards.
type reviewWorld struct {
	s                      *store.Store
	ann, ben, cat, rev, ad store.User
	// By interview title: the interview and its participants by name.
	ivs   map[string]store.Interview
	parts map[string]map[string]store.Participant
}

func newReviewWorld(t *testing.T, s *store.Store) *reviewWorld {
	t.Helper()
	ctx := context.Background()
	w := &reviewWorld{s: s, ivs: map[string]store.Interview{}, parts: map[string]map[string]store.Participant{}}
	mk := func(email, name, role string) store.User {
		u, err := s.CreateUser(ctx, email, name, role, "h")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.ann, w.ben, w.cat = mk("ann@x.test", "Ann", store.RoleInterviewer), mk("ben@x.test", "Ben", store.RoleInterviewer), mk("cat@x.test", "Cat", store.RoleInterviewer)
	w.rev, w.ad = mk("rev@x.test", "Rev", store.RoleReviewer), mk("ad@x.test", "Ad", store.RoleAdmin)
	if _, err := s.ImportQuestions(ctx, []bank.Question{
		{Technology: "Go", Level: bank.Beginner, Prompt: "Go one?", Answer: "1", TimeLimitS: 60},
		{Technology: "Go", Level: bank.Advanced, Prompt: "Go two?", Answer: "2", TimeLimitS: 60},
		{Technology: "SQL", Level: bank.Beginner, Prompt: "SQL one?", Answer: "3", TimeLimitS: 60},
	}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *reviewWorld) question(t *testing.T, prompt string) int64 {
	t.Helper()
	qs, _, err := w.s.ListQuestions(context.Background(), store.QuestionFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Prompt == prompt {
			return q.ID
		}
	}
	t.Fatalf("no question %q", prompt)
	return 0
}

// interview creates an interview with the panel and the candidates named,
// pushes every question and moves it to status.
func (w *reviewWorld) interview(t *testing.T, title string, panel []store.User, prompts []string, cands []string, status string) {
	t.Helper()
	ctx := context.Background()
	ni := store.NewInterview{Title: title, CreatedBy: panel[0].ID}
	for _, u := range panel {
		ni.Panel = append(ni.Panel, u.ID)
	}
	for _, p := range prompts {
		ni.Questions = append(ni.Questions, store.PlanItem{QuestionID: w.question(t, p)})
	}
	for _, c := range cands {
		ni.Candidates = append(ni.Candidates, store.NewCandidate{Name: c, Email: c + "@cand.test", TokenHash: title + "/" + c})
	}
	iv, ps, err := w.s.CreateInterview(ctx, ni)
	if err != nil {
		t.Fatal(err)
	}
	w.parts[title] = map[string]store.Participant{}
	for _, p := range ps {
		w.parts[title][p.Name] = p
	}
	if _, err := w.s.InRoom(ctx, iv.ID, func(rt *store.RoomTx) error {
		for i := range prompts {
			if _, err := rt.PushQuestion(ctx, i+1, nil); err != nil {
				return err
			}
		}
		return rt.SetStatus(ctx, status)
	}); err != nil {
		t.Fatal(err)
	}
	if iv, err = w.s.GetInterview(ctx, iv.ID); err != nil {
		t.Fatal(err)
	}
	w.ivs[title] = iv
}

// score writes (and when submit, submits) author's scorecard for cand.
func (w *reviewWorld) score(t *testing.T, title, author, cand, rec string, submit bool, scores ...int) {
	t.Helper()
	ctx := context.Background()
	k := store.ScorecardKey{InterviewID: w.ivs[title].ID, CandidateID: w.parts[title][cand].ID, AuthorID: w.parts[title][author].ID}
	if cur, ok, _ := w.s.OwnScorecard(ctx, k); ok && cur.Submitted() {
		if _, err := w.s.AmendScorecard(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	in := store.ScorecardInput{Recommendation: rec, Summary: "summary by " + author}
	for i, sc := range scores {
		if sc != 0 {
			in.Scores = append(in.Scores, store.Score{Position: i + 1, Score: intp(sc)})
		} else {
			in.Scores = append(in.Scores, store.Score{Position: i + 1})
		}
	}
	if _, err := w.s.SaveScorecardDraft(ctx, k, in); err != nil {
		t.Fatal(err)
	}
	if submit {
		if _, _, err := w.s.SubmitScorecard(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
}

// standard builds three ended interviews and one live one:
//
//	"Go screen"   panel Ann, Ben; Go one, Go two; Cara, Dan
//	"SQL 100%_x"  panel Ben, Cat; SQL one; Eve
//	"Mixed"       panel Ann;      Go one, SQL one; Fay
//	"Live"        panel Ann;      Go one; Gus (live)
func (w *reviewWorld) standard(t *testing.T) {
	t.Helper()
	w.interview(t, "Go screen", []store.User{w.ann, w.ben}, []string{"Go one?", "Go two?"}, []string{"Cara", "Dan"}, store.StatusEnded)
	w.interview(t, "SQL 100%_x", []store.User{w.ben, w.cat}, []string{"SQL one?"}, []string{"Eve"}, store.StatusEnded)
	w.interview(t, "Mixed", []store.User{w.ann}, []string{"Go one?", "SQL one?"}, []string{"Fay"}, store.StatusEnded)
	w.interview(t, "Live", []store.User{w.ann}, []string{"Go one?"}, []string{"Gus"}, store.StatusLive)
	// Cara: Ann submitted strong_yes 4,4; Ben has a draft only.
	w.score(t, "Go screen", "Ann", "Cara", "strong_yes", true, 4, 4)
	w.score(t, "Go screen", "Ben", "Cara", "no", false, 1, 1)
	// Dan: both submitted (yes 3,0 and no 2,2).
	w.score(t, "Go screen", "Ann", "Dan", "yes", true, 3, 0)
	w.score(t, "Go screen", "Ben", "Dan", "no", true, 2, 2)
	// Eve: Cat submitted, then amended to strong_no.
	w.score(t, "SQL 100%_x", "Cat", "Eve", "yes", true, 3)
	w.score(t, "SQL 100%_x", "Cat", "Eve", "strong_no", true, 1)
	// Fay: nothing.
}

func names(p store.ReviewPage) []string {
	out := []string{}
	for _, r := range p.Rows {
		out = append(out, r.CandidateName)
	}
	return out
}

func TestEndedAtAndSummaries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newReviewWorld(t, s)
		before := time.Now().Add(-time.Minute)
		w.standard(t)
		for title, iv := range w.ivs {
			ended := iv.Status == store.StatusEnded
			if ended != (iv.EndedAt != nil) || (ended && (iv.EndedAt.Before(before) || iv.EndedAt.After(time.Now().Add(time.Minute)))) {
				t.Errorf("%s: status %s, ended_at %v", title, iv.Status, iv.EndedAt)
			}
		}
		// The submitted counts in the list: newest submitted version per author.
		p, err := s.ListReviews(context.Background(), store.ReviewScope{UserID: w.rev.ID, Role: store.RoleReviewer},
			store.ReviewFilter{Sort: store.ReviewSortCandidate, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, r := range p.Rows {
			got[r.CandidateName] = r.Submitted
		}
		want := map[string]int{"Cara": 1, "Dan": 2, "Eve": 1, "Fay": 0}
		if fmt.Sprint(got) != fmt.Sprint(want) || p.Total != 4 {
			t.Fatalf("submitted %v (total %d), want %v", got, p.Total, want)
		}
		// Eve's amendment replaced her first recommendation in the summary.
		for rec, want := range map[string][]string{"strong_no": {"Eve"}, "yes": {"Dan"}, "no": {"Dan"}, "strong_yes": {"Cara"}} {
			p, err := s.ListReviews(context.Background(), store.ReviewScope{UserID: w.rev.ID, Role: store.RoleReviewer},
				store.ReviewFilter{Recommendation: rec, Sort: store.ReviewSortCandidate, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(names(p), want) {
				t.Errorf("recommendation %s: %v, want %v", rec, names(p), want)
			}
		}
	})
}

func TestListReviewsScopeFiltersAndSorts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := newReviewWorld(t, s)
		w.standard(t)
		list := func(sc store.ReviewScope, f store.ReviewFilter) []string {
			t.Helper()
			if f.Limit == 0 {
				f.Limit = 50
			}
			if f.Sort == "" {
				f.Sort = store.ReviewSortCandidate
			}
			p, err := s.ListReviews(ctx, sc, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Rows) > p.Total {
				t.Fatalf("%d rows of %d", len(p.Rows), p.Total)
			}
			return names(p)
		}
		rev := store.ReviewScope{UserID: w.rev.ID, Role: store.RoleReviewer}
		admin := store.ReviewScope{UserID: w.ad.ID, Role: store.RoleAdmin}
		ann := store.ReviewScope{UserID: w.ann.ID, Role: store.RoleInterviewer}
		ben := store.ReviewScope{UserID: w.ben.ID, Role: store.RoleInterviewer}
		cat := store.ReviewScope{UserID: w.cat.ID, Role: store.RoleInterviewer}
		check := func(name string, got, want []string) {
			t.Helper()
			if !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", name, got, want)
			}
		}

		// Scope: ended interviews only; interviewers see the panels they sit on.
		check("reviewer", list(rev, store.ReviewFilter{}), []string{"Cara", "Dan", "Eve", "Fay"})
		check("admin", list(admin, store.ReviewFilter{}), []string{"Cara", "Dan", "Eve", "Fay"})
		check("ann", list(ann, store.ReviewFilter{}), []string{"Cara", "Dan", "Fay"})
		check("cat", list(cat, store.ReviewFilter{}), []string{"Eve"})
		if _, err := s.ListReviews(ctx, store.ReviewScope{UserID: 1, Role: "candidate"}, store.ReviewFilter{Limit: 5}); err == nil {
			t.Error("a scope without a staff role lists")
		}

		// Filters.
		check("technology SQL", list(rev, store.ReviewFilter{Technology: "SQL"}), []string{"Eve", "Fay"})
		check("interviewer Ben", list(rev, store.ReviewFilter{InterviewerID: w.ben.ID}), []string{"Cara", "Dan", "Eve"})
		check("interviewer Ben, as Ann", list(ann, store.ReviewFilter{InterviewerID: w.ben.ID}), []string{"Cara", "Dan"})
		check("search name", list(rev, store.ReviewFilter{Query: "ar"}), []string{"Cara"})
		check("search email, any case", list(rev, store.ReviewFilter{Query: "DAN@CAND"}), []string{"Dan"})
		check("search title", list(rev, store.ReviewFilter{Query: "screen"}), []string{"Cara", "Dan"})
		check("search % literally", list(rev, store.ReviewFilter{Query: "100%_"}), []string{"Eve"})
		check("search _ literally", list(rev, store.ReviewFilter{Query: "o_s"}), []string{})
		check("search two words", list(rev, store.ReviewFilter{Query: "screen CARA"}), []string{"Cara"})
		check("search a short and a long word", list(rev, store.ReviewFilter{Query: "ve sql"}), []string{"Eve"})
		check("search a quote", list(rev, store.ReviewFilter{Query: `ca"ra`}), []string{})
		// Awaiting: Cara (Ben has only a draft), Eve (Ben has none), Fay (Ann has none).
		check("awaiting", list(rev, store.ReviewFilter{Awaiting: true}), []string{"Cara", "Eve", "Fay"})
		now := time.Now()
		past, future := now.Add(-time.Hour), now.Add(time.Hour)
		check("ended in range", list(rev, store.ReviewFilter{From: &past, To: &future}), []string{"Cara", "Dan", "Eve", "Fay"})
		check("ended before the range", list(rev, store.ReviewFilter{From: &future}), []string{})
		check("ended after the range", list(rev, store.ReviewFilter{To: &past}), []string{})

		// The blind panel: Ben has not submitted for Cara, so Ann's
		// strong_yes does not find her for Ben; it does for the reviewer,
		// the admin (not on the panel) and Ann herself.
		strongYes := store.ReviewFilter{Recommendation: "strong_yes"}
		check("strong_yes, reviewer", list(rev, strongYes), []string{"Cara"})
		check("strong_yes, admin", list(admin, strongYes), []string{"Cara"})
		check("strong_yes, Ann", list(ann, strongYes), []string{"Cara"})
		check("strong_yes, Ben (blind)", list(ben, strongYes), []string{})
		// Ben submitted for Dan: he sees both verdicts there.
		check("no, Ben", list(ben, store.ReviewFilter{Recommendation: "no"}), []string{"Dan"})
		check("yes, Ben", list(ben, store.ReviewFilter{Recommendation: "yes"}), []string{"Dan"})
		if _, err := s.ListReviews(ctx, rev, store.ReviewFilter{Recommendation: "maybe", Limit: 5}); err == nil {
			t.Error("an unknown recommendation is accepted")
		}

		// Sorting by mean: Cara 4, Dan (3+2+2)/3, Eve 1, Fay none (last both ways).
		check("mean, reviewer", list(rev, store.ReviewFilter{Sort: store.ReviewSortMean}), []string{"Cara", "Dan", "Eve", "Fay"})
		check("mean ascending", list(rev, store.ReviewFilter{Sort: store.ReviewSortMean, Dir: "asc"}), []string{"Eve", "Dan", "Cara", "Fay"})
		// For Ben, Cara's mean is hidden: she sorts with the unscored.
		benMean := list(ben, store.ReviewFilter{Sort: store.ReviewSortMean})
		if len(benMean) != 3 || benMean[0] != "Dan" || benMean[1] != "Eve" {
			t.Errorf("mean, Ben: %v", benMean)
		}
		check("candidate descending", list(rev, store.ReviewFilter{Sort: store.ReviewSortCandidate, Dir: "desc"}), []string{"Fay", "Eve", "Dan", "Cara"})
		if _, err := s.ListReviews(ctx, rev, store.ReviewFilter{Sort: "id; DROP TABLE users", Limit: 5}); err == nil {
			t.Error("an unknown sort is accepted")
		}
		if _, err := s.ListReviews(ctx, rev, store.ReviewFilter{Dir: "sideways", Limit: 5}); err == nil {
			t.Error("an unknown direction is accepted")
		}

		// Pages cover every row once, in every sort.
		for _, sort := range store.ReviewSorts {
			for _, dir := range []string{"", "asc", "desc"} {
				var seen []string
				for off := 0; off < 4; off++ {
					p, err := s.ListReviews(ctx, rev, store.ReviewFilter{Sort: sort, Dir: dir, Limit: 1, Offset: off})
					if err != nil {
						t.Fatal(err)
					}
					if p.Total != 4 || len(p.Rows) != 1 {
						t.Fatalf("%s page %d: %d rows of %d", sort, off, len(p.Rows), p.Total)
					}
					seen = append(seen, p.Rows[0].CandidateName)
				}
				slices.Sort(seen)
				check("pages of "+sort, seen, []string{"Cara", "Dan", "Eve", "Fay"})
			}
		}
		// The viewer's panel row comes with each row.
		p, _ := s.ListReviews(ctx, ann, store.ReviewFilter{Sort: store.ReviewSortCandidate, Limit: 1})
		if p.Rows[0].ViewerParticipantID != w.parts["Go screen"]["Ann"].ID {
			t.Errorf("viewer participant %d", p.Rows[0].ViewerParticipantID)
		}
	})
}

func TestReviewDetails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := newReviewWorld(t, s)
		w.standard(t)
		goID, mixID := w.ivs["Go screen"].ID, w.ivs["Mixed"].ID
		panels, err := s.Panels(ctx, []int64{goID, mixID})
		if err != nil || len(panels) != 3 || panels[0].Name != "Ann" || panels[1].Name != "Ben" || panels[2].InterviewID != mixID {
			t.Fatalf("panels %+v %v", panels, err)
		}
		techs, err := s.InterviewTechnologies(ctx, []int64{goID, mixID})
		if err != nil || fmt.Sprint(techs) != fmt.Sprint([]store.InterviewTechnology{{goID, "Go"}, {mixID, "Go"}, {mixID, "SQL"}}) {
			t.Fatalf("technologies %+v %v", techs, err)
		}
		all, err := s.ReviewTechnologies(ctx)
		if err != nil || !slices.Equal(all, []string{"Go", "SQL"}) {
			t.Fatalf("all technologies %v %v", all, err)
		}
		cara, eve := w.parts["Go screen"]["Cara"].ID, w.parts["SQL 100%_x"]["Eve"].ID
		scs, err := s.ScorecardsOfCandidates(ctx, []int64{cara, eve})
		if err != nil {
			t.Fatal(err)
		}
		// Cara: Ann v1, Ben's draft; Eve: Cat v1 and v2, every score kept.
		var got []string
		for _, sc := range scs {
			got = append(got, fmt.Sprintf("%s/%s/v%d/%s/%d", w.nameOf(sc.CandidateID), sc.AuthorName, sc.Version, sc.Status, len(sc.Scores)))
		}
		want := []string{"Cara/Ann/v1/submitted/2", "Cara/Ben/v1/draft/2", "Eve/Cat/v1/submitted/1", "Eve/Cat/v2/submitted/1"}
		if !slices.Equal(got, want) {
			t.Fatalf("scorecards %v, want %v", got, want)
		}
		if none, err := s.ScorecardsOfCandidates(ctx, nil); err != nil || len(none) != 0 {
			t.Fatalf("no candidates: %v %v", none, err)
		}
	})
}

func (w *reviewWorld) nameOf(pid int64) string {
	for _, ps := range w.parts {
		for n, p := range ps {
			if p.ID == pid {
				return n
			}
		}
	}
	return "?"
}

func TestDashboardQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := newReviewWorld(t, s)
		w.standard(t)
		w.interview(t, "Next", []store.User{w.ann}, []string{"Go one?"}, []string{"Hal"}, store.StatusScheduled)
		w.interview(t, "Ben's", []store.User{w.ben}, []string{"Go one?"}, []string{"Ida"}, store.StatusScheduled)
		titles := func(ivs []store.DashboardInterview) []string {
			out := []string{}
			for _, iv := range ivs {
				out = append(out, iv.Title)
			}
			return out
		}
		ann := store.ReviewScope{UserID: w.ann.ID, Role: store.RoleInterviewer}
		rev := store.ReviewScope{UserID: w.rev.ID, Role: store.RoleReviewer}
		ended, err := s.InterviewsByStatus(ctx, rev, store.StatusEnded, 10)
		if err != nil || !slices.Equal(titles(ended), []string{"Mixed", "SQL 100%_x", "Go screen"}) {
			t.Fatalf("ended for the reviewer: %v %v", titles(ended), err)
		}
		if ended[2].Candidates != 2 || ended[2].OnPanel || ended[2].Unscored != 0 {
			t.Errorf("reviewer's row %+v", ended[2])
		}
		sched, err := s.InterviewsByStatus(ctx, ann, store.StatusScheduled, 10)
		if err != nil || !slices.Equal(titles(sched), []string{"Next"}) || !sched[0].OnPanel {
			t.Fatalf("scheduled for Ann: %v %v", titles(sched), err)
		}
		if sched, _ := s.InterviewsByStatus(ctx, rev, store.StatusScheduled, 10); !slices.Equal(titles(sched), []string{"Next", "Ben's"}) {
			t.Fatalf("scheduled for the reviewer: %v", titles(sched))
		}
		if live, _ := s.InterviewsByStatus(ctx, ann, store.StatusLive, 10); !slices.Equal(titles(live), []string{"Live"}) {
			t.Fatalf("live for Ann: %v", titles(live))
		}
		if live, _ := s.InterviewsByStatus(ctx, store.ReviewScope{UserID: w.cat.ID, Role: store.RoleInterviewer}, store.StatusLive, 10); len(live) != 0 {
			t.Fatalf("live for Cat: %v", titles(live))
		}
		// Ann: on Go screen she submitted both; on Mixed nothing yet.
		wait, err := s.AwaitingScorecard(ctx, w.ann.ID, 10)
		if err != nil || !slices.Equal(titles(wait), []string{"Mixed"}) || wait[0].Unscored != 1 || !wait[0].OnPanel {
			t.Fatalf("waiting for Ann: %+v %v", wait, err)
		}
		// Ben: Go screen (Cara is a draft) then SQL (Eve), oldest first.
		wait, err = s.AwaitingScorecard(ctx, w.ben.ID, 10)
		if err != nil || !slices.Equal(titles(wait), []string{"Go screen", "SQL 100%_x"}) || wait[0].Unscored != 1 {
			t.Fatalf("waiting for Ben: %+v %v", wait, err)
		}
		if wait, _ := s.AwaitingScorecard(ctx, w.rev.ID, 10); len(wait) != 0 {
			t.Fatalf("the reviewer waits for %v", titles(wait))
		}
	})
}

// TestReviewsMigrationBackfill: migration 00009 dates interviews that had
// ended and fills the reviews list from the scorecards already there.
func TestReviewsMigrationBackfill(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			var s *store.Store
			var err error
			if d == store.SQLite {
				s, err = store.OpenSQLite(ctx, t.TempDir()+"/ace.db")
			} else {
				s, err = store.OpenPostgres(ctx, storetest.NewPostgresDatabase(t))
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if err := s.MigrateToForTest(ctx, 6); err != nil {
				t.Fatal(err)
			}
			created := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
			endedAt := created.Add(45 * time.Minute)
			err = s.BulkLoadForTest(ctx, func(exec func(string, ...any) error) error {
				for _, q := range []struct {
					sql  string
					args []any
				}{
					{`INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (1, 'a@x', 'A', 'interviewer', 'h', ?), (2, 'b@x', 'B', 'interviewer', 'h', ?)`, []any{created, created}},
					{`INSERT INTO interviews (id, title, status, created_by, created_at) VALUES (1, 'Old one', 'ended', 1, ?), (2, 'No event', 'ended', 1, ?), (3, 'Not yet', 'scheduled', 1, ?)`, []any{created, created, created}},
					{`INSERT INTO participants (id, interview_id, role, user_id, name, email, token_hash, created_at) VALUES
						(1, 1, 'interviewer', 1, 'A', 'a@x', NULL, ?), (2, 1, 'interviewer', 2, 'B', 'b@x', NULL, ?),
						(3, 1, 'candidate', NULL, 'Cy Müller', 'cy@x', 't3', ?), (4, 1, 'candidate', NULL, 'Di', 'di@x', 't4', ?),
						(5, 2, 'interviewer', 1, 'A', 'a@x', NULL, ?), (6, 2, 'candidate', NULL, 'Ed', 'ed@x', 't6', ?),
						(7, 3, 'interviewer', 1, 'A', 'a@x', NULL, ?), (8, 3, 'candidate', NULL, 'Fo', 'fo@x', 't8', ?)`,
						[]any{created, created, created, created, created, created, created, created}},
					{`INSERT INTO interview_questions (interview_id, position, technology, level, prompt, answer, pushed_at) VALUES
						(1, 1, 'Go', 'beginner', 'p1', 'a1', ?), (1, 2, 'Go', 'beginner', 'p2', 'a2', ?)`, []any{created, created}},
					{`INSERT INTO events (interview_id, seq, type, actor_id, audience, data, created_at) VALUES (1, 1, 'interview.ended', 1, 'all', '{}', ?)`, []any{endedAt}},
					{`INSERT INTO scorecards (id, interview_id, candidate_id, author_id, version, status, recommendation, summary, created_at, updated_at, submitted_at) VALUES
						(1, 1, 3, 1, 1, 'submitted', 'yes', 's', ?, ?, ?), (2, 1, 3, 1, 2, 'submitted', 'strong_no', 's', ?, ?, ?),
						(3, 1, 3, 2, 1, 'draft', 'strong_yes', 's', ?, ?, NULL)`,
						[]any{created, created, endedAt, created, created, endedAt, created, created}},
					{`INSERT INTO scorecard_scores (scorecard_id, position, score, comment) VALUES (1, 1, 4, ''), (1, 2, 2, ''), (2, 1, 1, ''), (2, 2, NULL, ''), (3, 1, 4, '')`, nil},
				} {
					if err := exec(q.sql, q.args...); err != nil {
						return fmt.Errorf("%s: %w", q.sql, err)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			for id, want := range map[int64]*time.Time{1: &endedAt, 2: &created, 3: nil} {
				iv, err := s.GetInterview(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if (want == nil) != (iv.EndedAt == nil) || (want != nil && !iv.EndedAt.Equal(*want)) {
					t.Errorf("interview %d ended_at %v, want %v", id, iv.EndedAt, want)
				}
			}
			rev := store.ReviewScope{UserID: 1, Role: store.RoleAdmin}
			list := func(f store.ReviewFilter) []string {
				f.Limit, f.Sort = 10, store.ReviewSortCandidate
				p, err := s.ListReviews(ctx, rev, f)
				if err != nil {
					t.Fatal(err)
				}
				return names(p)
			}
			if got := list(store.ReviewFilter{}); !slices.Equal(got, []string{"Cy Müller", "Di", "Ed"}) {
				t.Fatalf("backfilled list %v", got)
			}
			// User 1 sits on both panels and submitted for Cy only: the
			// newest version (strong_no, mean 1) counts.
			if got := list(store.ReviewFilter{Recommendation: "strong_no"}); !slices.Equal(got, []string{"Cy Müller"}) {
				t.Errorf("strong_no: %v", got)
			}
			if got := list(store.ReviewFilter{Recommendation: "yes"}); len(got) != 0 {
				t.Errorf("yes (replaced by the amendment): %v", got)
			}
			if got := list(store.ReviewFilter{Awaiting: true}); !slices.Equal(got, []string{"Cy Müller", "Di", "Ed"}) {
				t.Errorf("awaiting: %v", got)
			}
			if got := list(store.ReviewFilter{Query: "müller"}); !slices.Equal(got, []string{"Cy Müller"}) {
				t.Errorf("search: %v", got)
			}
			p, _ := s.ListReviews(ctx, rev, store.ReviewFilter{Limit: 10, Sort: store.ReviewSortMean})
			if len(p.Rows) != 3 || p.Rows[0].CandidateName != "Cy Müller" || p.Rows[0].Submitted != 1 {
				t.Errorf("by mean: %+v", p.Rows)
			}
		})
	}
}

// TestReviewEntriesFollowChanges: the list follows submissions, the panel
// (an interviewer removed, an admin joining) and candidates added after
// the end.
func TestReviewEntriesFollowChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := newReviewWorld(t, s)
		w.standard(t)
		rev := store.ReviewScope{UserID: w.rev.ID, Role: store.RoleReviewer}
		awaiting := func() []string {
			t.Helper()
			p, err := s.ListReviews(ctx, rev, store.ReviewFilter{Awaiting: true, Sort: store.ReviewSortCandidate, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			return names(p)
		}
		if got := awaiting(); !slices.Equal(got, []string{"Cara", "Eve", "Fay"}) {
			t.Fatalf("awaiting %v", got)
		}
		// Ben leaves the Go screen's panel: Cara awaits nobody.
		if err := s.RemoveInterviewer(ctx, w.ivs["Go screen"].ID, w.parts["Go screen"]["Ben"].ID); err != nil {
			t.Fatal(err)
		}
		if got := awaiting(); !slices.Equal(got, []string{"Eve", "Fay"}) {
			t.Fatalf("after Ben left: %v", got)
		}
		// Ben's submission for Dan still counts.
		p, _ := s.ListReviews(ctx, rev, store.ReviewFilter{Query: "dan", Limit: 5})
		if len(p.Rows) != 1 || p.Rows[0].Submitted != 2 {
			t.Fatalf("Dan after Ben left: %+v", p.Rows)
		}
		// An admin joins the Go screen's panel: both candidates await them.
		if _, err := s.EnsureInterviewer(ctx, w.ivs["Go screen"].ID, w.ad); err != nil {
			t.Fatal(err)
		}
		if got := awaiting(); !slices.Equal(got, []string{"Cara", "Dan", "Eve", "Fay"}) {
			t.Fatalf("after the admin joined: %v", got)
		}
		// Ann submits for Fay: Fay is done; a candidate added to the ended
		// interview appears.
		w.score(t, "Mixed", "Ann", "Fay", "yes", true, 3, 3)
		if _, err := s.AddCandidates(ctx, w.ivs["Mixed"].ID, []store.NewCandidate{{Name: "Gil", TokenHash: "late"}}); err != nil {
			t.Fatal(err)
		}
		if got := awaiting(); !slices.Equal(got, []string{"Cara", "Dan", "Eve", "Gil"}) {
			t.Fatalf("after Fay's scorecard and Gil: %v", got)
		}
		// Nothing of a live interview is listed until it ends.
		if _, err := s.InRoom(ctx, w.ivs["Live"].ID, func(rt *store.RoomTx) error { return rt.SetStatus(ctx, store.StatusEnded) }); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.ListReviews(ctx, rev, store.ReviewFilter{Query: "gus", Limit: 5}); len(p.Rows) != 1 {
			t.Fatalf("Gus after the end: %+v", p.Rows)
		}
	})
}

// TestReviewFilterMatchesTheGate: for every kind of viewer, the store's
// recommendation filter and mean order (its mirror of the gate) agree with
// what review.List, through the gate, shows.
func TestReviewFilterMatchesTheGate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := newReviewWorld(t, s)
		w.standard(t)
		// Ann joins the SQL screen as a third panel member who never
		// submits; the admin sits on the Mixed panel and submits for Fay.
		if _, err := s.EnsureInterviewer(ctx, w.ivs["SQL 100%_x"].ID, w.ann); err != nil {
			t.Fatal(err)
		}
		p, err := s.EnsureInterviewer(ctx, w.ivs["Mixed"].ID, w.ad)
		if err != nil {
			t.Fatal(err)
		}
		w.parts["Mixed"]["Ad"] = p
		w.score(t, "Mixed", "Ad", "Fay", "no", true, 2, 3)
		shaped := func(u store.User, f store.ReviewFilter) []review.ListItem {
			t.Helper()
			f.Limit = 50
			page, err := s.ListReviews(ctx, store.ReviewScope{UserID: u.ID, Role: u.Role}, f)
			if err != nil {
				t.Fatal(err)
			}
			var ivs, cands []int64
			for _, r := range page.Rows {
				ivs = append(ivs, r.InterviewID)
				cands = append(cands, r.CandidateID)
			}
			in := review.ListInput{Rows: page.Rows}
			in.Panels, _ = s.Panels(ctx, ivs)
			in.Scorecards, _ = s.ScorecardsOfCandidates(ctx, cands)
			return review.List(in, &u)
		}
		for _, u := range []store.User{w.rev, w.ad, w.ann, w.ben, w.cat} {
			all := shaped(u, store.ReviewFilter{Sort: store.ReviewSortCandidate})
			for _, rec := range store.Recommendations {
				var want []string
				for _, it := range all {
					if it.Has(rec) {
						want = append(want, it.CandidateName)
					}
				}
				var got []string
				for _, it := range shaped(u, store.ReviewFilter{Recommendation: rec, Sort: store.ReviewSortCandidate}) {
					got = append(got, it.CandidateName)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s, %s: the store finds %v, the gate shows %v", u.Name, rec, got, want)
				}
			}
			for _, dir := range []string{"desc", "asc"} {
				items := shaped(u, store.ReviewFilter{Sort: store.ReviewSortMean, Dir: dir})
				for i := 1; i < len(items); i++ {
					a, b := items[i-1].Mean, items[i].Mean
					ok := b == nil || (a != nil && (dir == "desc" && *a >= *b || dir == "asc" && *a <= *b))
					if !ok {
						t.Errorf("%s, mean %s: %v before %v", u.Name, dir, a, b)
					}
				}
			}
		}
	})
}
