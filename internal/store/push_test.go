package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// A push returns the planned question as pushed, with an overriding time
// limit stored, marks the interview's current position and reopens its
// submitted answers; a position the plan lacks is ErrNotFound and changes
// nothing.
func TestPushQuestion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRoom(t, s, "Cora")
		cora := r.candidates[0].ID
		q, err := s.CreateQuestion(ctx, bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "Pushed?", Answer: "a", TimeLimitS: 90})
		if err != nil {
			t.Fatal(err)
		}
		var pushed store.PlannedQuestion
		if _, err := s.InRoom(ctx, r.iv.ID, func(rt *store.RoomTx) error {
			if _, err := rt.AppendPlanned(ctx, store.PlanItem{QuestionID: q.ID}); err != nil {
				return err
			}
			pushed, err = rt.PushQuestion(ctx, 1, nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if pushed.Position != 1 || pushed.Prompt != "Pushed?" || pushed.TimeLimitS != 90 || pushed.PushedAt == nil {
			t.Fatalf("pushed %+v", pushed)
		}
		submit(t, s, r.iv.ID, cora, 1, "final", 3)

		limit := 30
		if _, err := s.InRoom(ctx, r.iv.ID, func(rt *store.RoomTx) error {
			pushed, err = rt.PushQuestion(ctx, 1, &limit)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		iv, err := s.GetInterview(ctx, r.iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		qs, err := s.PlannedQuestions(ctx, r.iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pushed.TimeLimitS != 30 || qs[0].TimeLimitS != 30 || iv.CurrentPosition != 1 {
			t.Fatalf("pushed again %+v, stored %+v, current %d", pushed, qs[0], iv.CurrentPosition)
		}
		if a := answerOf(t, s, r.iv.ID, cora, 1); a.Submitted != 0 {
			t.Fatalf("answer not reopened: %+v", a)
		}

		_, err = s.InRoom(ctx, r.iv.ID, func(rt *store.RoomTx) error {
			_, err := rt.PushQuestion(ctx, 2, nil)
			return err
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("push of a missing position: %v, want ErrNotFound", err)
		}
		if iv, _ := s.GetInterview(ctx, r.iv.ID); iv.CurrentPosition != 1 {
			t.Fatalf("current position %d after a refused push", iv.CurrentPosition)
		}
	})
}

// TimerCandidates reads who may get a personal copy of a room timer: the
// candidates with extra time, unless revoked, and whoever holds a copy of
// that timer already (revoked or not) — and nobody else.
func TestTimerCandidates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRoom(t, s, "Plain", "Pct", "Secs", "Revoked", "Holder", "OtherCopy")
		id := map[string]int64{}
		for _, p := range r.candidates {
			id[p.Name] = p.ID
		}
		if _, err := s.InRoom(ctx, r.iv.ID, func(rt *store.RoomTx) error {
			for name, pct := range map[string]int{"Pct": 50, "Revoked": 25} {
				if err := rt.SetExtraTime(ctx, id[name], pct, 0); err != nil {
					return err
				}
			}
			if err := rt.SetExtraTime(ctx, id["Secs"], 0, 120); err != nil {
				return err
			}
			for name, pos := range map[string]int{"Holder": 1, "OtherCopy": 2} {
				if _, err := rt.PutTimer(ctx, store.Timer{Scope: "question", Position: pos, CandidateID: id[name], State: store.TimerRunning, DurationMS: 1000, DeadlineMS: 1}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeInvite(ctx, r.iv.ID, id["Revoked"]); err != nil {
			t.Fatal(err)
		}
		var got []string
		if _, err := s.InRoom(ctx, r.iv.ID, func(rt *store.RoomTx) error {
			cs, err := rt.TimerCandidates(ctx, "question", 1)
			for _, c := range cs {
				got = append(got, fmt.Sprintf("%s personal=%v pct=%d s=%d", c.Name, c.Personal, c.ExtraTimePct, c.ExtraTimeS))
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want := []string{"Pct personal=false pct=50 s=0", "Secs personal=false pct=0 s=120", "Holder personal=true pct=0 s=0"}
		if !slices.Equal(got, want) {
			t.Fatalf("timer candidates\n got %q\nwant %q", got, want)
		}
	})
}

// Migrate prepares every hot statement on PostgreSQL (a statement that no
// longer fits the schema fails here, at start-up, not in a room), and a
// room transaction runs them on its own connection; SQLite runs the text.
func TestHotStatementsPrepared(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prepared, all := s.HotPrepared()
		want := all
		if s.Dialect() == store.SQLite {
			want = 0
		}
		if all < 8 || prepared != want {
			t.Fatalf("%d of %d hot statements prepared, want %d", prepared, all, want)
		}
		r := newRoom(t, s, "Cora")
		for range 3 { // more than one connection may take it; each prepares once
			if _, err := s.InRoom(ctx, r.iv.ID, func(rt *store.RoomTx) error {
				if _, err := rt.TimerCandidates(ctx, "question", 1); err != nil {
					return err
				}
				return rt.Append("chat.message", r.candidates[0].ID, store.AudienceAll, map[string]string{"text": "hi"})
			}); err != nil {
				t.Fatal(err)
			}
		}
		evs, err := s.EventsAfter(ctx, r.iv.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 3 || evs[2].Seq != 3 {
			t.Fatalf("events %+v", evs)
		}
	})
}
