package store_test

// What a question push costs in the database, beside the floor the load
// generator uses (BEGIN + one INSERT + COMMIT), in the same run, on
// PostgreSQL, in an interview of 200 candidates:
//
//	go test ./internal/store -run '^$' -bench RoomPush -benchtime 2000x -count 2
//
// "push" is what a push runs now (the room's statements prepared, the plan
// row read by the push's update, only the candidates with extra time read);
// "push-text" the same statements sent as text; "push-before" what it ran
// before those two changes. Figures in docs/benchmarks.md ("The room
// engine at 200 candidates").

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

func BenchmarkRoomPush(b *testing.B) {
	ctx := context.Background()
	dsn := storetest.NewPostgresDatabase(b)
	s, err := store.OpenPostgres(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	u, err := s.CreateUser(ctx, "bench@example.com", "B", store.RoleInterviewer, "h")
	if err != nil {
		b.Fatal(err)
	}
	q, err := s.CreateQuestion(ctx, bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "Push bench", Answer: "a", TimeLimitS: 60})
	if err != nil {
		b.Fatal(err)
	}
	var cands []store.NewCandidate
	for i := range 200 {
		cands = append(cands, store.NewCandidate{Name: fmt.Sprintf("c%d", i), TokenHash: fmt.Sprintf("t%d", i)})
	}
	iv, _, err := s.CreateInterview(ctx, store.NewInterview{Title: "t", CreatedBy: u.ID, Panel: []int64{u.ID},
		Questions: []store.PlanItem{{QuestionID: q.ID}}, Candidates: cands})
	if err != nil {
		b.Fatal(err)
	}
	// The push's timer and its two events, after the question's own step.
	timerAndEvents := func(rt *store.RoomTx, prompt string, readCandidates func(rt *store.RoomTx) error) error {
		if err := rt.Append("question.pushed", 0, store.AudienceAll, map[string]any{"position": 1, "prompt": prompt}); err != nil {
			return err
		}
		t, err := rt.PutTimer(ctx, store.Timer{Scope: "question", Position: 1, State: store.TimerRunning, DurationMS: 60000, DeadlineMS: rt.Now.UnixMilli() + 60000})
		if err != nil {
			return err
		}
		if err := readCandidates(rt); err != nil {
			return err
		}
		return rt.Append("timer.started", 0, store.AudienceAll, map[string]any{"timer_id": t.ID})
	}
	push := func(rt *store.RoomTx) error {
		pq, err := rt.PushQuestion(ctx, 1, nil)
		if err != nil {
			return err
		}
		return timerAndEvents(rt, pq.Prompt, func(rt *store.RoomTx) error {
			_, err := rt.TimerCandidates(ctx, "question", 1)
			return err
		})
	}
	before := func(rt *store.RoomTx) error {
		pq, err := rt.PlannedQuestion(ctx, 1)
		if err != nil {
			return err
		}
		if _, err := rt.PushQuestion(ctx, 1, nil); err != nil {
			return err
		}
		return timerAndEvents(rt, pq.Prompt, func(rt *store.RoomTx) error {
			if _, err := rt.Candidates(ctx); err != nil {
				return err
			}
			_, err := rt.Timers(ctx)
			return err
		})
	}
	run := func(fn func(rt *store.RoomTx) error) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				if _, err := s.InRoom(ctx, iv.ID, fn); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("push", run(push))
	b.Run("floor", func(b *testing.B) {
		db, err := sql.Open("postgres", dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS push_floor (id BIGSERIAL PRIMARY KEY, data TEXT)`); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			tx, err := db.Begin()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.Exec(`INSERT INTO push_floor (data) VALUES ($1)`, `{"position":1}`); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	})
	s.UnprepareHot()
	b.Run("push-text", run(push))
	b.Run("push-before", run(before))
}
