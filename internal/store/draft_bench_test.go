package store_test

// The cost of storing typing history as edits, for the room's draft writer:
//
//	go test ./internal/store -run '^$' -bench SaveDrafts200 -benchtime 50x
//
// Figures in docs/benchmarks.md ("Replay and typing history").

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// BenchmarkSaveDrafts200: one batch of the draft writer in a room of 200
// typists, each answer about 5,000 characters long and a few characters
// longer than in the previous batch.
func BenchmarkSaveDrafts200(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			s := storetest.New(b, d)
			u, _ := s.CreateUser(ctx, "b@example.com", "B", store.RoleInterviewer, "h")
			var ncs []store.NewCandidate
			for i := range 200 {
				ncs = append(ncs, store.NewCandidate{Name: fmt.Sprint("c", i), TokenHash: fmt.Sprint("t", i)})
			}
			iv, ps, err := s.CreateInterview(ctx, store.NewInterview{Title: "t", CreatedBy: u.ID, Panel: []int64{u.ID}, Candidates: ncs})
			if err != nil {
				b.Fatal(err)
			}
			base := strings.Repeat("func main() { fmt.Println(\"hello\") }\n", 135)
			v := int64(0)
			batch := func() []store.Draft {
				v++
				var ds []store.Draft
				for _, p := range ps {
					if p.Role == store.PartCandidate {
						ds = append(ds, store.Draft{InterviewID: iv.ID, CandidateID: p.ID, Position: 1, Version: v, Text: base + strings.Repeat("x", int(v)), ReceivedAt: time.Now().UTC()})
					}
				}
				return ds
			}
			for range 3 {
				if err := s.SaveDrafts(ctx, batch()); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				if err := s.SaveDrafts(ctx, batch()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
