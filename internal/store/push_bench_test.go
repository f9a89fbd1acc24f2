package store_test

// What a question push costs in the database, beside the floor the load
// generator uses (BEGIN + one INSERT + COMMIT), in the same run, on
// PostgreSQL with lib/pq's binary_parameters on (Ace's setting) and off:
//
//	go test ./internal/store -run '^$' -bench RoomPush -benchtime 2000x
//
// Figures in docs/benchmarks.md ("The room engine at 200 candidates").

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

func BenchmarkRoomPush(b *testing.B) {
	ctx := context.Background()
	dsn := storetest.NewPostgresDatabase(b)
	for _, mode := range []string{"yes", "no"} {
		url := dsn + "&binary_parameters=" + mode
		if !strings.Contains(dsn, "?") {
			url = dsn + "?binary_parameters=" + mode
		}
		s, err := store.OpenPostgres(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		if _, err := s.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		u, err := s.CreateUser(ctx, mode+"@example.com", "B", store.RoleInterviewer, "h")
		if err != nil {
			b.Fatal(err)
		}
		q, err := s.CreateQuestion(ctx, bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "Push bench " + mode, Answer: "a"})
		if err != nil {
			b.Fatal(err)
		}
		iv, _, err := s.CreateInterview(ctx, store.NewInterview{Title: "t", CreatedBy: u.ID, Panel: []int64{u.ID},
			Questions: []store.PlanItem{{QuestionID: q.ID}}, Candidates: []store.NewCandidate{{Name: "c", TokenHash: "t" + mode}}})
		if err != nil {
			b.Fatal(err)
		}
		b.Run("push/binary_parameters="+mode, func(b *testing.B) {
			for b.Loop() {
				_, err := s.InRoom(ctx, iv.ID, func(rt *store.RoomTx) error {
					if _, err := rt.Interview(ctx); err != nil {
						return err
					}
					pq, err := rt.PlannedQuestion(ctx, 1)
					if err != nil {
						return err
					}
					if err := rt.PushQuestion(ctx, 1, 60); err != nil {
						return err
					}
					return rt.Append("question.pushed", 0, store.AudienceAll, map[string]any{"position": 1, "prompt": pq.Prompt})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("floor/binary_parameters="+mode, func(b *testing.B) {
			db, err := sql.Open("postgres", url)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS floor_` + mode + ` (id BIGSERIAL PRIMARY KEY, data TEXT)`); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				tx, err := db.Begin()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := tx.Exec(`INSERT INTO floor_`+mode+` (data) VALUES ($1)`, `{"position":1}`); err != nil {
					b.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
