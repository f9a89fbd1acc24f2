package store_test

import (
	"context"
	"testing"

	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// TestScorecardsOutliveNoParticipant: a participant with scorecards cannot
// be deleted (the record of a decision stays); deleting the interview
// removes its scorecards with it.
func TestScorecardsOutliveNoParticipant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newScoreFixture(t, s)
		if _, err := s.SaveScorecardDraft(ctx, f.key(f.ann), store.ScorecardInput{Scores: []store.Score{{Position: 1, Score: intp(2)}}}); err != nil {
			t.Fatal(err)
		}
		exec := func(q string, args ...any) error {
			_, err := s.InRoom(ctx, f.iv.ID, func(rt *store.RoomTx) error {
				_, err := rt.ExecContext(ctx, rt.Q(q), args...)
				return err
			})
			return err
		}
		if err := exec(`DELETE FROM participants WHERE id = ?`, f.ann.ID); err == nil {
			t.Fatal("deleted an author who has a scorecard")
		}
		if err := exec(`DELETE FROM participants WHERE id = ?`, f.cand.ID); err == nil {
			t.Fatal("deleted a candidate who has a scorecard")
		}
		if all, _ := s.Scorecards(ctx, f.iv.ID); len(all) != 1 {
			t.Fatalf("%d scorecards after refused deletes", len(all))
		}
		var deleted bool
		if _, err := s.InRoom(ctx, f.iv.ID, func(rt *store.RoomTx) error {
			_, err := rt.ExecContext(ctx, rt.Q(`DELETE FROM interviews WHERE id = ?`), f.iv.ID)
			deleted = err == nil
			return err
		}); err != nil || !deleted {
			t.Fatalf("delete the interview: %v", err)
		}
		if all, err := s.Scorecards(ctx, f.iv.ID); err != nil || len(all) != 0 {
			t.Fatalf("scorecards of a deleted interview: %d %v", len(all), err)
		}
	})
}
