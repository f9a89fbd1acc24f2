package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

func private(qs ...bank.Question) []bank.Question {
	bank.SetVisibility(qs, bank.Private)
	return qs
}

func TestPrivateQuestionsListingAndSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		pub := []bank.Question{
			q("Go", bank.Beginner, "What does the defer statement do?", "It schedules a call for when the function returns."),
			q("Go", bank.Advanced, "How are goroutines preempted?", "By signals since Go 1.14."),
		}
		priv := private(
			q("Go", bank.Beginner, "Secret zebra question about defer", "Only for staff: zebra."),
			q("Go", bank.Advanced, "Private preempt puzzle", "xy"),
			q("Rust", bank.Intermediate, "Only-private technology zebra", "Borrowing."),
		)
		if _, err := s.ImportQuestions(ctx, append(slices.Clone(pub), priv...)); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name       string
			f          store.QuestionFilter
			anon, staf int
		}{
			{"all", store.QuestionFilter{}, 2, 5},
			{"technology", store.QuestionFilter{Technology: "Go"}, 2, 4},
			{"only-private technology", store.QuestionFilter{Technology: "Rust"}, 0, 1},
			{"technology and level", store.QuestionFilter{Technology: "Go", Level: "beginner"}, 1, 2},
			{"level", store.QuestionFilter{Level: "intermediate"}, 0, 1},
			{"search (trigram index)", store.QuestionFilter{Query: "zebra"}, 0, 2},
			{"search both kinds", store.QuestionFilter{Query: "defer"}, 1, 2},
			{"search short word (LIKE)", store.QuestionFilter{Query: "xy"}, 0, 1},
			{"search substring", store.QuestionFilter{Query: "preempt"}, 1, 2},
			{"search and technology", store.QuestionFilter{Query: "zebra", Technology: "Rust"}, 0, 1},
			{"staff asks for private", store.QuestionFilter{Visibility: bank.Private}, 0, 3},
			{"staff asks for public", store.QuestionFilter{Visibility: bank.Public}, 2, 2},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				for _, staff := range []bool{false, true} {
					f := tc.f
					f.IncludePrivate, f.Limit = staff, 10
					got, total, err := s.ListQuestions(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					want := tc.anon
					if staff {
						want = tc.staf
					}
					if total != want || len(got) != want {
						t.Fatalf("staff=%v: %d rows, total %d; want %d", staff, len(got), total, want)
					}
					for _, g := range got {
						if !staff && g.Visibility != "public" {
							t.Fatalf("anonymous listing holds %q (%s)", g.Prompt, g.Visibility)
						}
					}
					// A page past the end still counts only what the caller may see.
					f.Offset = 100
					if _, total, err := s.ListQuestions(ctx, f); err != nil || total != want {
						t.Fatalf("staff=%v, past the end: total %d, %v; want %d", staff, total, err, want)
					}
				}
			})
		}
		anon, err := s.Technologies(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(anon) != "[{Go map[advanced:1 beginner:1 intermediate:0]}]" {
			t.Errorf("public technologies %v", anon)
		}
		all, err := s.Technologies(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(all) != "[{Go map[advanced:2 beginner:2 intermediate:0]} {Rust map[advanced:0 beginner:0 intermediate:1]}]" {
			t.Errorf("staff technologies %v", all)
		}
		if n, _ := s.CountQuestions(ctx); n != 5 {
			t.Errorf("bank size %d, want 5", n)
		}
	})
}

func TestQuestionVisibilityWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c, err := s.CreateQuestion(ctx, q("Go", bank.Beginner, "Created unsaid", "A"))
		if err != nil || c.Visibility != "public" {
			t.Fatalf("create without visibility: %q, %v", c.Visibility, err)
		}
		in := q("Go", bank.Beginner, "Created private", "A")
		in.Visibility = bank.Private
		p, err := s.CreateQuestion(ctx, in)
		if err != nil || p.Visibility != "private" {
			t.Fatalf("create private: %q, %v", p.Visibility, err)
		}
		in.Answer, in.Visibility = "B", ""
		if u, err := s.UpdateQuestion(ctx, p.ID, in); err != nil || u.Visibility != "private" || u.Answer != "B" {
			t.Fatalf("update without visibility: %+v, %v; want it still private", u, err)
		}
		in.Visibility = bank.Public
		if u, err := s.UpdateQuestion(ctx, p.ID, in); err != nil || u.Visibility != "public" {
			t.Fatalf("update to public: %q, %v", u.Visibility, err)
		}
	})
}

func TestImportVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		vis := func(prompt string) string {
			t.Helper()
			qs, _, err := s.ListQuestions(ctx, store.QuestionFilter{IncludePrivate: true, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range qs {
				if q.Prompt == prompt {
					return q.Visibility
				}
			}
			t.Fatalf("no question %q", prompt)
			return ""
		}
		if _, err := s.ImportQuestions(ctx, append([]bank.Question{q("Go", bank.Beginner, "P1", "A")}, private(q("Go", bank.Beginner, "P2", "A"))...)); err != nil {
			t.Fatal(err)
		}
		if vis("P1") != "public" || vis("P2") != "private" {
			t.Fatalf("first import: P1 %s, P2 %s", vis("P1"), vis("P2"))
		}
		// The same file without visibility: nothing changes, P2 stays private.
		r, err := s.ImportQuestions(ctx, []bank.Question{q("Go", bank.Beginner, "P1", "A"), q("Go", bank.Beginner, "P2", "A")})
		if err != nil || r.Unchanged != 2 || vis("P2") != "private" {
			t.Fatalf("re-import unsaid: %+v %v, P2 %s", r, err, vis("P2"))
		}
		// An unsaid visibility beside a changed answer still keeps it.
		if _, err := s.ImportQuestions(ctx, []bank.Question{q("Go", bank.Beginner, "P2", "A revised")}); err != nil || vis("P2") != "private" {
			t.Fatalf("update unsaid: %v, P2 %s", err, vis("P2"))
		}
		// Said explicitly, it changes, and counts as an update.
		pub := q("Go", bank.Beginner, "P2", "A revised")
		pub.Visibility = bank.Public
		r, err = s.ImportQuestions(ctx, append([]bank.Question{pub}, private(q("Go", bank.Beginner, "P1", "A"))...))
		if err != nil || r.Updated != 2 || vis("P1") != "private" || vis("P2") != "public" {
			t.Fatalf("explicit: %+v %v, P1 %s P2 %s", r, err, vis("P1"), vis("P2"))
		}
	})
}

func TestExportQuestions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		in := append([]bank.Question{q("Go", bank.Beginner, "P1", "A"), q("SQL", bank.Advanced, "P2", "B")}, private(q("Go", bank.Advanced, "P3", "C"))...)
		if _, err := s.ImportQuestions(ctx, in); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			f    store.QuestionFilter
			want []string
		}{
			{"all", store.QuestionFilter{IncludePrivate: true}, []string{"P1", "P2", "P3"}},
			{"public only by default", store.QuestionFilter{}, []string{"P1", "P2"}},
			{"private", store.QuestionFilter{IncludePrivate: true, Visibility: bank.Private}, []string{"P3"}},
			{"technology", store.QuestionFilter{IncludePrivate: true, Technology: "Go"}, []string{"P1", "P3"}},
			{"level", store.QuestionFilter{IncludePrivate: true, Level: "advanced"}, []string{"P2", "P3"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				qs, err := s.ExportQuestions(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, q := range qs {
					got = append(got, q.Prompt)
					if q.Visibility == "" || len(q.Tags) != 1 || q.TimeLimitS != 120 {
						t.Errorf("exported %+v", q)
					}
				}
				slices.Sort(got)
				if !slices.Equal(got, tc.want) {
					t.Fatalf("exported %v, want %v", got, tc.want)
				}
			})
		}
	})
}
