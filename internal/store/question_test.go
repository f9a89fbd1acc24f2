package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

func q(tech string, lvl bank.Level, prompt, answer string) bank.Question {
	return bank.Question{Technology: tech, Level: lvl, Prompt: prompt, Answer: answer, Tags: []string{"t"}, TimeLimitS: 120}
}

func TestQuestionCRUD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		created, err := s.CreateQuestion(ctx, q("Go", bank.Beginner, "What is a slice?", "A view of an array."))
		if err != nil {
			t.Fatal(err)
		}
		if created.ID == 0 || created.Prompt != "What is a slice?" || len(created.Tags) != 1 || created.TimeLimitS != 120 {
			t.Fatalf("created %+v", created)
		}
		if _, err := s.CreateQuestion(ctx, q("Go", bank.Advanced, "what is   a SLICE?", "dup")); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("same prompt again (modulo case and spaces): %v, want ErrConflict", err)
		}
		if _, err := s.CreateQuestion(ctx, q("Rust", bank.Beginner, "What is a slice?", "Another technology may ask it.")); err != nil {
			t.Fatalf("same prompt in another technology: %v", err)
		}
		upd, err := s.UpdateQuestion(ctx, created.ID, q("Go", bank.Intermediate, "What is a slice header?", "Pointer, length, capacity."))
		if err != nil {
			t.Fatal(err)
		}
		if upd.Level != "intermediate" || upd.Answer != "Pointer, length, capacity." {
			t.Fatalf("updated %+v", upd)
		}
		if _, err := s.UpdateQuestion(ctx, 99999, q("Go", bank.Beginner, "x", "y")); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("update unknown: %v", err)
		}
		if err := s.DeleteQuestion(ctx, created.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetQuestion(ctx, created.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("get deleted: %v", err)
		}
		if err := s.DeleteQuestion(ctx, created.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("delete twice: %v", err)
		}
	})
}

func TestListAndSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		in := []bank.Question{
			q("Go", bank.Beginner, "What does the defer statement do?", "It schedules a call to run when the function returns."),
			q("Go", bank.Advanced, "How does the scheduler preempt goroutines?", "Asynchronous preemption uses signals."),
			q("SQL", bank.Beginner, "What is an INDEX for?", "It speeds up lookups at a write cost; 100% of reads benefit."),
			q("System Design", bank.Intermediate, "How would you design a rate limiter?", "Token bucket per key in Redis."),
			q("Node.js", bank.Intermediate, "What is the event loop?", "It runs callbacks when the call stack is empty, e.g. I/O."),
		}
		if _, err := s.ImportQuestions(ctx, in); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			f    store.QuestionFilter
			want int
		}{
			{"all", store.QuestionFilter{}, 5},
			{"technology", store.QuestionFilter{Technology: "Go"}, 2},
			{"technology is exact", store.QuestionFilter{Technology: "go"}, 0},
			{"technology with space", store.QuestionFilter{Technology: "System Design"}, 1},
			{"technology with dot", store.QuestionFilter{Technology: "Node.js"}, 1},
			{"level", store.QuestionFilter{Level: "beginner"}, 2},
			{"both", store.QuestionFilter{Technology: "Go", Level: "advanced"}, 1},
			{"prompt word any case", store.QuestionFilter{Query: "DEFER"}, 1},
			{"answer word", store.QuestionFilter{Query: "redis"}, 1},
			{"substring", store.QuestionFilter{Query: "preempt"}, 1},
			{"two words all must match", store.QuestionFilter{Query: "event loop"}, 1},
			{"two words one missing", store.QuestionFilter{Query: "event zebra"}, 0},
			{"short word", store.QuestionFilter{Query: "I/O"}, 1},
			{"two letters", store.QuestionFilter{Query: "do"}, 2},
			{"percent is literal", store.QuestionFilter{Query: "100%"}, 1},
			{"underscore is literal", store.QuestionFilter{Query: "a_b"}, 0},
			{"quote is literal", store.QuestionFilter{Query: `"defer`}, 0},
			{"search and filter", store.QuestionFilter{Query: "the", Technology: "Go"}, 2},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				tc.f.Limit = 10
				got, total, err := s.ListQuestions(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if total != tc.want || len(got) != tc.want {
					t.Fatalf("got %d rows, total %d; want %d", len(got), total, tc.want)
				}
			})
		}
		page, total, err := s.ListQuestions(ctx, store.QuestionFilter{Limit: 2, Offset: 4})
		if err != nil || total != 5 || len(page) != 1 {
			t.Fatalf("last page: %d rows, total %d, %v", len(page), total, err)
		}
	})
}

func TestImportIsIdempotentAndAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		in := []bank.Question{
			q("Go", bank.Beginner, "P1", "A1"),
			q("Go", bank.Beginner, "P2", "A2"),
			q("SQL", bank.Advanced, "P1", "A1"),
		}
		r1, err := s.ImportQuestions(ctx, in)
		if err != nil || r1.Created != 3 {
			t.Fatalf("first import %+v %v", r1, err)
		}
		r2, err := s.ImportQuestions(ctx, in)
		if err != nil || r2.Created != 0 || r2.Updated != 0 || r2.Unchanged != 3 {
			t.Fatalf("second import %+v %v", r2, err)
		}
		in[1].Answer = "A2 revised"
		r3, err := s.ImportQuestions(ctx, in)
		if err != nil || r3.Updated != 1 || r3.Unchanged != 2 {
			t.Fatalf("third import %+v %v", r3, err)
		}
		if n, _ := s.CountQuestions(ctx); n != 3 {
			t.Fatalf("%d questions after three imports, want 3", n)
		}
		// A row the database refuses (bad level) rolls back the whole import.
		bad := append([]bank.Question{q("Go", bank.Beginner, "P3", "A3")}, bank.Question{Technology: "Go", Level: "expert", Prompt: "P4", Answer: "A4"})
		if _, err := s.ImportQuestions(ctx, bad); err == nil {
			t.Fatal("import with a bad level succeeded")
		}
		if n, _ := s.CountQuestions(ctx); n != 3 {
			t.Fatalf("%d questions after a failed import, want 3", n)
		}
		techs, err := s.Technologies(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(techs) != "[{Go map[advanced:0 beginner:2 intermediate:0]} {SQL map[advanced:1 beginner:0 intermediate:0]}]" {
			t.Fatalf("technologies %v", techs)
		}
	})
}

func TestImportDemoBank(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		demo := bank.Demo()
		res, err := s.ImportQuestions(ctx, demo)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != len(demo) {
			t.Fatalf("created %d of %d", res.Created, len(demo))
		}
	})
}
