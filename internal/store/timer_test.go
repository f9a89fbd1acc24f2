package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// room is an interview with one interviewer and some candidates.
type room struct {
	iv         store.Interview
	staff      store.Participant
	candidates []store.Participant
}

var roomsMade atomic.Int64

func newRoom(t *testing.T, s *store.Store, candidates ...string) room {
	t.Helper()
	ctx := context.Background()
	u, err := s.CreateUser(ctx, fmt.Sprintf("ivy%d@example.com", roomsMade.Add(1)), "Ivy", store.RoleInterviewer, "h")
	if err != nil {
		t.Fatal(err)
	}
	var ncs []store.NewCandidate
	for i, name := range candidates {
		ncs = append(ncs, store.NewCandidate{Name: name, TokenHash: fmt.Sprintf("invite-%s-%d", name, i)})
	}
	iv, ps, err := s.CreateInterview(ctx, store.NewInterview{Title: "t", CreatedBy: u.ID, Panel: []int64{u.ID}, Candidates: ncs})
	if err != nil {
		t.Fatal(err)
	}
	r := room{iv: iv}
	for _, p := range ps {
		if p.Role == store.PartCandidate {
			r.candidates = append(r.candidates, p)
		} else {
			r.staff = p
		}
	}
	return r
}

// putTimer stores a timer in its own room transaction.
func putTimer(t *testing.T, s *store.Store, interviewID int64, tm store.Timer) store.Timer {
	t.Helper()
	var got store.Timer
	if _, err := s.InRoom(context.Background(), interviewID, func(rt *store.RoomTx) error {
		var err error
		got, err = rt.PutTimer(context.Background(), tm)
		return err
	}); err != nil {
		t.Fatalf("put timer %+v: %v", tm, err)
	}
	return got
}

// expiredEvent is what the tests' ExpireTimer callbacks append: the room
// decides audience and data; the store only stores them. A timer of one
// candidate goes to that candidate's audience.
func expiredEvent(tm store.Timer, now time.Time) (string, any) {
	audience := store.AudienceAll
	if tm.CandidateID != 0 {
		audience = store.CandidateAudience(tm.CandidateID)
	}
	return audience, map[string]any{"timer_id": tm.ID, "state": tm.State, "remaining_ms": tm.RemainingMS, "now_ms": now.UnixMilli()}
}

// Deadlines are decided on the database's clock; the tests keep an hour
// away from it on either side, so a few seconds between the test's clock
// and the server's never matter.
func hoursFromNow(h float64) int64 {
	return time.Now().Add(time.Duration(h * float64(time.Hour))).UnixMilli()
}

func TestPutTimer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRoom(t, s, "Cora", "Dan")
		cora := r.candidates[0].ID
		q1 := putTimer(t, s, r.iv.ID, store.Timer{Scope: "question", Position: 1, State: store.TimerRunning, DurationMS: 60_000, DeadlineMS: 1_000_060_000})
		if q1.ID == 0 || q1.InterviewID != r.iv.ID {
			t.Fatalf("put: %+v", q1)
		}
		// The same (scope, position, candidate) is replaced in place: a
		// pause keeps the timer's id.
		paused := putTimer(t, s, r.iv.ID, store.Timer{Scope: "question", Position: 1, State: store.TimerPaused, DurationMS: 60_000, RemainingMS: 42_000})
		if paused.ID != q1.ID {
			t.Fatalf("replacing gave id %d, want %d", paused.ID, q1.ID)
		}
		// One candidate's extra time is a timer of its own.
		extra := putTimer(t, s, r.iv.ID, store.Timer{Scope: "question", Position: 1, CandidateID: cora, State: store.TimerRunning, DurationMS: 90_000, DeadlineMS: 1_000_090_000})
		exam := putTimer(t, s, r.iv.ID, store.Timer{Scope: "exam", State: store.TimerRunning, DurationMS: 3_600_000, DeadlineMS: 1_003_600_000})
		if extra.ID == q1.ID || exam.ID == q1.ID || exam.ID == extra.ID {
			t.Fatalf("ids %d %d %d are not distinct", q1.ID, extra.ID, exam.ID)
		}
		want := []store.Timer{
			{ID: q1.ID, InterviewID: r.iv.ID, Scope: "question", Position: 1, State: store.TimerPaused, DurationMS: 60_000, RemainingMS: 42_000},
			{ID: extra.ID, InterviewID: r.iv.ID, Scope: "question", Position: 1, CandidateID: cora, State: store.TimerRunning, DurationMS: 90_000, DeadlineMS: 1_000_090_000},
			{ID: exam.ID, InterviewID: r.iv.ID, Scope: "exam", State: store.TimerRunning, DurationMS: 3_600_000, DeadlineMS: 1_003_600_000},
		}
		got, err := s.RoomTimers(ctx, r.iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("room timers\n got %+v\nwant %+v", got, want)
		}
		// Inside a room transaction, the same.
		if _, err := s.InRoom(ctx, r.iv.ID, func(rt *store.RoomTx) error {
			in, err := rt.Timers(ctx)
			if err == nil && fmt.Sprint(in) != fmt.Sprint(want) {
				err = fmt.Errorf("timers in the transaction: %+v", in)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// A timer of another interview is not this room's.
		other := newRoom(t, s)
		putTimer(t, s, other.iv.ID, store.Timer{Scope: "question", Position: 1, State: store.TimerRunning, DurationMS: 1, DeadlineMS: 1})
		if got, _ := s.RoomTimers(ctx, r.iv.ID); len(got) != 3 {
			t.Fatalf("%d timers after another room's", len(got))
		}
		// The schema refuses a scope it does not know, and nothing is stored.
		if _, err := s.InRoom(ctx, r.iv.ID, func(rt *store.RoomTx) error {
			_, err := rt.PutTimer(ctx, store.Timer{Scope: "lunch", State: store.TimerRunning, DurationMS: 1})
			return err
		}); err == nil {
			t.Fatal("a timer of scope lunch was stored")
		}
		if got, _ := s.RoomTimers(ctx, r.iv.ID); len(got) != 3 {
			t.Fatalf("%d timers after a refused put", len(got))
		}
	})
}

func TestDueTimers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := newRoom(t, s, "Cora"), newRoom(t, s, "Dan", "Eve")
		late := putTimer(t, s, a.iv.ID, store.Timer{Scope: "question", Position: 1, State: store.TimerRunning, DurationMS: 1000, DeadlineMS: hoursFromNow(-2)})
		recent := putTimer(t, s, b.iv.ID, store.Timer{Scope: "question", Position: 1, State: store.TimerRunning, DurationMS: 1000, DeadlineMS: hoursFromNow(-1)})
		putTimer(t, s, a.iv.ID, store.Timer{Scope: "exam", State: store.TimerRunning, DurationMS: 1000, DeadlineMS: hoursFromNow(1)})                   // not yet
		putTimer(t, s, b.iv.ID, store.Timer{Scope: "exam", State: store.TimerPaused, DurationMS: 1000, RemainingMS: 10})                                // paused: no deadline
		putTimer(t, s, b.iv.ID, store.Timer{Scope: "question", Position: 2, State: store.TimerExpired, DurationMS: 1000, DeadlineMS: hoursFromNow(-5)}) // done
		earliest := putTimer(t, s, b.iv.ID, store.Timer{Scope: "question", Position: 1, CandidateID: b.candidates[1].ID, State: store.TimerRunning, DurationMS: 1000, DeadlineMS: hoursFromNow(-3)})

		ids := func(ts []store.Timer) []int64 {
			out := []int64{}
			for _, tm := range ts {
				out = append(out, tm.ID)
			}
			return out
		}
		due, err := s.DueTimers(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		// Every room's, the most overdue first.
		if want := []int64{earliest.ID, late.ID, recent.ID}; fmt.Sprint(ids(due)) != fmt.Sprint(want) {
			t.Fatalf("due %v, want %v", ids(due), want)
		}
		if due[0].InterviewID != b.iv.ID || due[0].CandidateID != b.candidates[1].ID {
			t.Fatalf("due timer lost its room or candidate: %+v", due[0])
		}
		if due, _ := s.DueTimers(ctx, 2); fmt.Sprint(ids(due)) != fmt.Sprint([]int64{earliest.ID, late.ID}) {
			t.Fatalf("limit 2: %v", ids(due))
		}
	})
}

func TestExpireTimer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRoom(t, s, "Cora")
		cora := r.candidates[0].ID
		q := putTimer(t, s, r.iv.ID, store.Timer{Scope: "question", Position: 1, State: store.TimerRunning, DurationMS: 3000, DeadlineMS: hoursFromNow(-1)})
		mine := putTimer(t, s, r.iv.ID, store.Timer{Scope: "question", Position: 1, CandidateID: cora, State: store.TimerRunning, DurationMS: 3000, DeadlineMS: hoursFromNow(-1)})
		paused := putTimer(t, s, r.iv.ID, store.Timer{Scope: "exam", State: store.TimerPaused, DurationMS: 3000, RemainingMS: 1500})
		future := putTimer(t, s, r.iv.ID, store.Timer{Scope: "question", Position: 2, State: store.TimerRunning, DurationMS: 3000, DeadlineMS: hoursFromNow(1)})

		// Before its deadline a timer does not expire, even for a caller
		// holding a copy with a past deadline: the stored deadline decides.
		stale := future
		stale.DeadlineMS = hoursFromNow(-1)
		if evs, err := s.ExpireTimer(ctx, stale, expiredEvent); err != nil || len(evs) != 0 {
			t.Fatalf("expired early: %v %v", evs, err)
		}
		// A paused timer never expires.
		stale = paused
		stale.DeadlineMS = hoursFromNow(-1)
		if evs, err := s.ExpireTimer(ctx, stale, expiredEvent); err != nil || len(evs) != 0 {
			t.Fatalf("a paused timer expired: %v %v", evs, err)
		}

		before := time.Now()
		evs, err := s.ExpireTimer(ctx, q, expiredEvent)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Type != "timer.expired" || evs[0].Audience != store.AudienceAll || evs[0].Seq != 1 || evs[0].InterviewID != r.iv.ID {
			t.Fatalf("expire: %+v", evs)
		}
		// The callback sees the timer as stored after the update, and the
		// database's clock.
		var d struct {
			TimerID     int64  `json:"timer_id"`
			State       string `json:"state"`
			RemainingMS int64  `json:"remaining_ms"`
			NowMS       int64  `json:"now_ms"`
		}
		if err := json.Unmarshal(evs[0].Data, &d); err != nil || d.TimerID != q.ID || d.State != store.TimerExpired || d.RemainingMS != 0 {
			t.Fatalf("event data %s: %v", evs[0].Data, err)
		}
		if skew := time.UnixMilli(d.NowMS).Sub(before); skew < -time.Minute || skew > time.Minute {
			t.Fatalf("the callback's clock is %s away from the test's", skew)
		}
		// Asked again (another instance's sweeper, say): nothing.
		if evs, err := s.ExpireTimer(ctx, q, expiredEvent); err != nil || len(evs) != 0 {
			t.Fatalf("expired twice: %v %v", evs, err)
		}
		// The audience is the callback's: one candidate's timer goes to them.
		evs, err = s.ExpireTimer(ctx, mine, expiredEvent)
		if err != nil || len(evs) != 1 || evs[0].Audience != store.CandidateAudience(cora) || evs[0].Seq != 2 {
			t.Fatalf("candidate timer: %+v %v", evs, err)
		}

		stored, err := s.EventsAfter(ctx, r.iv.ID, 0, 100)
		if err != nil || len(stored) != 2 {
			t.Fatalf("transcript %+v %v", stored, err)
		}
		ts, _ := s.RoomTimers(ctx, r.iv.ID)
		states := map[int64]string{}
		for _, tm := range ts {
			states[tm.ID] = tm.State
		}
		if states[q.ID] != store.TimerExpired || states[mine.ID] != store.TimerExpired || states[paused.ID] != store.TimerPaused || states[future.ID] != store.TimerRunning {
			t.Fatalf("states %v", states)
		}
		if due, _ := s.DueTimers(ctx, 100); len(due) != 0 {
			t.Fatalf("expired timers are still due: %+v", due)
		}
		// A timer of an interview that is gone is an error, not a silent no.
		if _, err := s.ExpireTimer(ctx, store.Timer{ID: q.ID, InterviewID: 9999}, expiredEvent); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expiring in an unknown interview: %v, want ErrNotFound", err)
		}
	})
}

// twoInstances opens two handles on one fresh database, as two `ace serve`
// processes would: each has its own connections (and on SQLite its own
// writer connection), so they race through the database, not a Go mutex.
func twoInstances(t *testing.T, d store.Dialect) (*store.Store, *store.Store) {
	t.Helper()
	ctx := context.Background()
	open := func() func() (*store.Store, error) {
		if d == store.SQLite {
			path := filepath.Join(t.TempDir(), "ace.db")
			return func() (*store.Store, error) { return store.OpenSQLite(ctx, path) }
		}
		url := storetest.NewPostgresDatabase(t)
		return func() (*store.Store, error) { return store.OpenPostgres(ctx, url) }
	}()
	var ss [2]*store.Store
	for i := range ss {
		s, err := open()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		ss[i] = s
	}
	if _, err := ss[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return ss[0], ss[1]
}

// TestExpireTimerExactlyOnce: sweepers of two instances, four goroutines
// each, try to expire the same due timers at once; every timer expires
// exactly once and its timer.expired is in the transcript once.
func TestExpireTimerExactlyOnce(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			a, b := twoInstances(t, d)
			r := newRoom(t, a, "Cora", "Dan")
			const timers = 12
			var due []store.Timer
			for i := range timers {
				due = append(due, putTimer(t, a, r.iv.ID, store.Timer{Scope: "question", Position: i + 1, State: store.TimerRunning, DurationMS: 1000, DeadlineMS: hoursFromNow(-1) - int64(i)}))
			}
			var mu sync.Mutex
			won := map[int64]int{}
			var wg sync.WaitGroup
			start := make(chan struct{})
			for g := range 8 {
				s := []*store.Store{a, b}[g%2]
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					// Each goroutine walks the timers from a different offset.
					for i := range due {
						tm := due[(i+g*3)%len(due)]
						evs, err := s.ExpireTimer(ctx, tm, expiredEvent)
						if err != nil {
							t.Errorf("expire %d: %v", tm.ID, err)
							return
						}
						mu.Lock()
						won[tm.ID] += len(evs)
						mu.Unlock()
					}
				}()
			}
			close(start)
			wg.Wait()
			for _, tm := range due {
				if won[tm.ID] != 1 {
					t.Errorf("timer %d: %d timer.expired events returned, want 1", tm.ID, won[tm.ID])
				}
			}
			stored, err := b.EventsAfter(ctx, r.iv.ID, 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			perTimer := map[float64]int{}
			for i, e := range stored {
				if e.Seq != int64(i+1) || e.Type != "timer.expired" {
					t.Fatalf("transcript entry %d: %+v", i, e)
				}
				var d struct {
					TimerID float64 `json:"timer_id"`
				}
				_ = json.Unmarshal(e.Data, &d)
				perTimer[d.TimerID]++
			}
			if len(stored) != timers || len(perTimer) != timers {
				t.Fatalf("%d events for %d timers, want %d each once", len(stored), len(perTimer), timers)
			}
			if iv, _ := a.GetInterview(ctx, r.iv.ID); iv.LastSeq != timers {
				t.Fatalf("last_seq %d, want %d", iv.LastSeq, timers)
			}
		})
	}
}
