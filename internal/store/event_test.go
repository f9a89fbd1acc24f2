package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// TestInRoomBatch: actions of one batch share a commit; a failing action
// leaves no row and no event, the others get consecutive seqs.
func TestInRoomBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, "ivy@example.com", "Ivy", store.RoleInterviewer, "h")
		if err != nil {
			t.Fatal(err)
		}
		iv, _, err := s.CreateInterview(ctx, store.NewInterview{Title: "t", CreatedBy: u.ID, Panel: []int64{u.ID}})
		if err != nil {
			t.Fatal(err)
		}
		// Each action also moves the interview's status: a failed action's
		// write must roll back with its events.
		status := map[string]string{"a": store.StatusLive, "b": store.StatusEnded}
		chat := func(text string, fail bool) func(rt *store.RoomTx) error {
			return func(rt *store.RoomTx) error {
				if st := status[text]; st != "" {
					if err := rt.SetStatus(ctx, st); err != nil {
						return err
					}
				}
				if err := rt.Append("chat.message", 0, store.AudienceAll, map[string]string{"text": text}); err != nil {
					return err
				}
				if fail {
					return errors.New("refused")
				}
				return nil
			}
		}
		errs, evs, err := s.InRoomBatch(ctx, iv.ID, []func(rt *store.RoomTx) error{chat("a", false), chat("b", true), chat("c", false)})
		if err != nil {
			t.Fatal(err)
		}
		if errs[0] != nil || errs[1] == nil || errs[2] != nil {
			t.Fatalf("errs %v", errs)
		}
		if len(evs) != 2 || evs[0].Seq != 1 || evs[1].Seq != 2 || string(evs[1].Data) != `{"text":"c"}` {
			t.Fatalf("events %+v", evs)
		}
		stored, err := s.EventsAfter(ctx, iv.ID, 0, 10)
		if err != nil || fmt.Sprint(len(stored)) != "2" {
			t.Fatalf("stored %d events: %v", len(stored), err)
		}
		got, _ := s.GetInterview(ctx, iv.ID)
		if got.Status != store.StatusLive || got.LastSeq != 2 {
			t.Fatalf("interview %+v: the failed action's write or seq leaked", got)
		}
		// A lone action that fails leaves nothing either (no savepoint: the
		// transaction rolls back), and its error is the action's, not the batch's.
		errs, evs, err = s.InRoomBatch(ctx, iv.ID, []func(rt *store.RoomTx) error{chat("b", true)})
		if err != nil || errs[0] == nil || len(evs) != 0 {
			t.Fatalf("lone failing action: %v %v %d events", err, errs, len(evs))
		}
		if got, _ := s.GetInterview(ctx, iv.ID); got.Status != store.StatusLive || got.LastSeq != 2 {
			t.Fatalf("interview %+v: the lone failed action's write or seq leaked", got)
		}
		// The interview read with the lock follows the transaction's own steps.
		_, _, err = s.InRoomBatch(ctx, iv.ID, []func(rt *store.RoomTx) error{func(rt *store.RoomTx) error {
			if err := rt.SetStatus(ctx, store.StatusEnded); err != nil {
				return err
			}
			if got, _ := rt.Interview(ctx); got.Status != store.StatusEnded || got.ID != iv.ID {
				return fmt.Errorf("interview in the transaction: %+v", got)
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.InRoomBatch(ctx, 999, []func(rt *store.RoomTx) error{chat("x", false)}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown interview: %v", err)
		}
	})
}
