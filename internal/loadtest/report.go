package loadtest

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
)

// Report is what one run measured. Latencies are in milliseconds.
type Report struct {
	Config     Config // the token is blanked
	Floors     Floors
	QuestionID int64

	CreateTime, ConnectTime, ActiveTime time.Duration
	DrainTime                           time.Duration // after the load stopped, until the backlog cleared
	DurableWindow, ChatWindow           time.Duration // from the active phase's start to the last durable event / chat ack
	Connections, DialFailures           int

	PushRecv         Summary // question.push sent → question.pushed received, per candidate
	PushAck          Summary // question.push sent → its ack at the interviewer
	DraftToStaff     Summary // answer.draft sent by a candidate → answer.draft received by the interviewer
	DraftSaved       Summary // answer.draft sent → answer.saved for that version
	ChatAck          Summary // chat.send → its ack (the event is committed)
	ChatToStaff      Summary // chat.send → chat.message at the interviewer
	ExpiryLate       Summary // timer.expired received − deadline_ms, per client
	ExpiryCommitLate Summary // timer.expired's ts (the winning expiry transaction's clock) − deadline_ms

	PushesSent, PushesAcked, PushedRecv                int64
	PushDeliveries, PushDeliveriesMissed               int
	PushDeliveriesDuplicated                           int
	DraftsSent, DraftsRecv, DraftsSaved, DraftsRefused int64
	ChatSent, ChatAcked, ChatRecv                      int64
	ChatAckedInWindow                                  int64 // acks up to the end of the drain

	Timers                                         int // question timers the clients saw start
	TimersNeverStarted                             int // pushes with no timer.started seen
	ExpiryDeliveries                               int // (client, timer) pairs with exactly one timer.expired
	ExpiryMissed, ExpiryDuplicates                 int
	ExpiryMissedDisconnected                       int
	TranscriptTimers, TranscriptExpiredOnce        int
	TranscriptNeverExpired, TranscriptExpiredTwice int
	TranscriptEvents                               int64   // durable events in all rooms' transcripts
	TranscriptRoomEvents                           []int64 // per room, largest first
	TranscriptError                                string

	durableBefore        int64
	DurableAtStaff       int64   // durable events the interviewers received from the active phase's start
	DurablePerSec        float64 // DurableAtStaff / DurableWindow
	MaxRoomDurablePerSec float64

	SeqGaps, SeqRepeats, Disconnects int64
	Errors                           map[string]int

	Idle *IdleReport
}

// IdleReport is the memory the idle connections cost the server.
type IdleReport struct {
	Opened, Failed, Dropped int
	OpenTime                time.Duration
	Before, After           Memory
}

// PerConn returns the server's growth per idle connection in bytes.
func (r IdleReport) PerConn() Memory {
	if r.Opened == 0 {
		return Memory{}
	}
	n := float64(r.Opened)
	return Memory{RSS: (r.After.RSS - r.Before.RSS) / n, HeapInuse: (r.After.HeapInuse - r.Before.HeapInuse) / n,
		Goroutines: (r.After.Goroutines - r.Before.Goroutines) / n, ProcRSS: (r.After.ProcRSS - r.Before.ProcRSS) / n,
		StackInuse: (r.After.StackInuse - r.Before.StackInuse) / n}
}

// ExpiryFailures counts every way a timer did not expire exactly once for everyone.
func (r Report) ExpiryFailures() int {
	return r.ExpiryMissed + r.ExpiryDuplicates + r.ExpiryMissedDisconnected + r.TimersNeverStarted +
		r.TranscriptNeverExpired + r.TranscriptExpiredTwice
}

func f1(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.Abs(v) >= 100:
		return fmt.Sprintf("%.0f", v)
	case math.Abs(v) >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func ratio(v, floor float64) string {
	if math.IsNaN(v) || math.IsNaN(floor) || floor <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f×", v/floor)
}

func (f Floors) print(w io.Writer) {
	fmt.Fprintf(w, "\nFloors (this machine, this run, before the load):\n")
	if f.NATS.N > 0 {
		fmt.Fprintf(w, "  NATS publish→receive, 64 B, %d round trips on %s: %s\n", f.NATS.N, f.NATSSource, spread(f.NATS))
	} else {
		fmt.Fprintf(w, "  NATS floor not measured: %s\n", f.NATSError)
	}
	if f.PGTemp.N > 0 {
		fmt.Fprintf(w, "  PostgreSQL BEGIN+INSERT 1 row+COMMIT, TEMP table (not WAL-logged, no fsync), %d tx: %s\n", f.PGTemp.N, spread(f.PGTemp))
	}
	if f.PGLogged.N > 0 {
		fmt.Fprintf(w, "  PostgreSQL BEGIN+INSERT 1 row+COMMIT, ordinary table (WAL fsync, as events), %d tx: %s\n", f.PGLogged.N, spread(f.PGLogged))
	}
	if f.PGError != "" {
		fmt.Fprintf(w, "  PostgreSQL floor not measured: %s\n", f.PGError)
	}
	fmt.Fprintln(w)
}

// spread is a floor's p50, p99 and max, as the floors' lines print them.
func spread(s Summary) string {
	return fmt.Sprintf("p50 %s ms  p99 %s ms  max %s ms", f1(s.P50), f1(s.P99), f1(s.Max))
}

func (l LoadedFloors) print(w io.Writer) {
	if l.Rate == 0 {
		return
	}
	fmt.Fprintf(w, "Floors under the load (sampled %.3g times a second beside the rooms while they pushed: one NATS round trip, then one commit):\n", l.Rate)
	if l.NATS.N > 0 {
		fmt.Fprintf(w, "  NATS publish→receive, 64 B, %d round trips: %s\n", l.NATS.N, spread(l.NATS))
	}
	if l.PG.N > 0 {
		fmt.Fprintf(w, "  PostgreSQL BEGIN+INSERT 1 row+COMMIT, ordinary table, %d tx: %s\n", l.PG.N, spread(l.PG))
	}
	if l.Error != "" {
		fmt.Fprintf(w, "  not measured in full: %s\n", l.Error)
	}
	fmt.Fprintln(w)
}

type floorKind int

const (
	floorNone floorKind = iota
	floorNATS
	floorCommit
	floorBoth
)

// of returns the floor of kind k that results are read against: the one
// sampled under the load when it was, else the one before the load.
func (f Floors) of(k floorKind) (p50, p99 float64, name string) {
	if f.underLoad(k) {
		return hops(f.Loaded.NATS, f.Loaded.PG, k)
	}
	return f.quiet(k)
}

// quiet returns the floor of kind k measured before the load.
func (f Floors) quiet(k floorKind) (p50, p99 float64, name string) {
	return hops(f.NATS, f.Commit(), k)
}

// underLoad tells whether the floor of kind k was sampled under the load.
func (f Floors) underLoad(k floorKind) bool {
	l := f.Loaded
	switch k {
	case floorNATS:
		return l.NATS.N > 0
	case floorCommit:
		return l.PG.N > 0
	case floorBoth:
		return l.NATS.N > 0 && l.PG.N > 0
	}
	return false
}

func hops(nats, commit Summary, k floorKind) (p50, p99 float64, name string) {
	nan := math.NaN()
	switch k {
	case floorNATS:
		return nats.P50, nats.P99, "NATS hop"
	case floorCommit:
		return commit.P50, commit.P99, "PG commit"
	case floorBoth:
		if nats.N == 0 || commit.N == 0 {
			return nan, nan, "PG commit + NATS hop"
		}
		return commit.P50 + nats.P50, commit.P99 + nats.P99, "PG commit + NATS hop"
	}
	return nan, nan, ""
}

// versus says what v (a p99) is against the floor of kind k: under the
// load, and before it.
func (f Floors) versus(v float64, k floorKind) string {
	_, q99, name := f.quiet(k)
	quiet := fmt.Sprintf("%s the floor before the load (%s p99 %s ms)", ratio(v, q99), name, f1(q99))
	if !f.underLoad(k) {
		return quiet
	}
	_, l99, _ := f.of(k)
	return fmt.Sprintf("%s the floor under the load (%s p99 %s ms); %s", ratio(v, l99), name, f1(l99), quiet)
}

// Print writes the report's tables.
func (r Report) Print(w io.Writer) {
	fmt.Fprintf(w, "\n=== ace loadtest report ===\n")
	c := r.Config
	fmt.Fprintf(w, "instances %d (%s); rooms %d × (1 interviewer + %d candidates); drafts %.3g/s and chat %.3g/s per candidate; %d push(es) of %ds per room; question %d\n",
		len(c.URLs), strings.Join(c.URLs, ", "), c.Rooms, c.Candidates, c.DraftRate, c.ChatRate, c.Pushes, c.TimerS, r.QuestionID)
	if c.Pacing == "self_paced" {
		fmt.Fprintf(w, "self-paced: each candidate opens the %d questions in turn; \"push\" below is question.open → the candidate's own timer.started (receive) and its ack\n", c.Pushes)
	}
	if c.Rooms > 0 {
		fmt.Fprintf(w, "created in %s; %d connections open in %s (%d candidate dials failed); active phase %s, then %s of drain\n",
			r.CreateTime.Round(time.Millisecond), r.Connections, r.ConnectTime.Round(time.Millisecond), r.DialFailures, r.ActiveTime.Round(time.Millisecond), r.DrainTime.Round(time.Millisecond))
		r.Floors.print(w)
		r.Floors.Loaded.print(w)

		when := "before the load"
		if r.Floors.underLoad(floorBoth) {
			when = "under the load"
		}
		fmt.Fprintf(w, "Latency, ms (floor = the same run's hop(s) the path cannot avoid, %s; p99 floor = sum of the hops' p99s)\n", when)
		fmt.Fprintf(w, "%-42s %8s %8s %8s %8s %8s | %-21s %8s %8s | %6s %6s\n", "metric", "n", "p50", "p95", "p99", "max", "floor", "p50", "p99", "p50×", "p99×")
		rows := []struct {
			name string
			s    Summary
			k    floorKind
		}{
			{"push→receive (question.pushed, candidates)", r.PushRecv, floorBoth},
			{"push→ack (interviewer)", r.PushAck, floorCommit},
			{"draft→interviewer (answer.draft)", r.DraftToStaff, floorNATS},
			{"draft→answer.saved (batched write)", r.DraftSaved, floorCommit},
			{"chat.send→ack (committed)", r.ChatAck, floorCommit},
			{"chat.send→interviewer (chat.message)", r.ChatToStaff, floorBoth},
			{"expiry lateness, received − deadline", r.ExpiryLate, floorBoth},
			{"expiry lateness, event ts − deadline", r.ExpiryCommitLate, floorNone},
		}
		for _, row := range rows {
			if row.s.N == 0 {
				continue
			}
			fp50, fp99, fname := r.Floors.of(row.k)
			if row.k == floorNone {
				fname = "—"
			}
			fmt.Fprintf(w, "%-42s %8d %8s %8s %8s %8s | %-21s %8s %8s | %6s %6s\n", row.name, row.s.N, f1(row.s.P50), f1(row.s.P95), f1(row.s.P99), f1(row.s.Max),
				fname, f1(fp50), f1(fp99), ratio(row.s.P50, fp50), ratio(row.s.P99, fp99))
		}
		if r.PushRecv.N > 0 {
			fmt.Fprintf(w, "→ push→receive p99 %s ms = %s\n", f1(r.PushRecv.P99), r.Floors.versus(r.PushRecv.P99, floorBoth))
		}
		if r.DraftToStaff.N > 0 {
			fmt.Fprintf(w, "→ draft→interviewer p99 %s ms = %s\n", f1(r.DraftToStaff.P99), r.Floors.versus(r.DraftToStaff.P99, floorNATS))
		}
		if r.ExpiryLate.N > 0 {
			fmt.Fprintf(w, "→ expiry lateness p99 %s ms = %s\n", f1(r.ExpiryLate.P99), r.Floors.versus(r.ExpiryLate.P99, floorBoth))
		}

		fmt.Fprintf(w, "\nCounts\n")
		fmt.Fprintf(w, "  pushes: sent %d, acked %d; question.pushed to candidates: %d once, %d missed, %d duplicated\n",
			r.PushesSent, r.PushesAcked, r.PushDeliveries, r.PushDeliveriesMissed, r.PushDeliveriesDuplicated)
		fmt.Fprintf(w, "  timers: %d started; timer.expired per (client, timer): %d exactly once, %d missed, %d duplicate, %d missed by disconnected clients; pushes without timer.started: %d\n",
			r.Timers, r.ExpiryDeliveries, r.ExpiryMissed, r.ExpiryDuplicates, r.ExpiryMissedDisconnected, r.TimersNeverStarted)
		if r.TranscriptError != "" {
			fmt.Fprintf(w, "  transcripts: could not read: %s\n", r.TranscriptError)
		} else {
			fmt.Fprintf(w, "  transcripts: %d timers, %d expired exactly once, %d never, %d more than once; %d durable events in all\n",
				r.TranscriptTimers, r.TranscriptExpiredOnce, r.TranscriptNeverExpired, r.TranscriptExpiredTwice, r.TranscriptEvents)
		}
		if r.DraftsSent > 0 {
			fmt.Fprintf(w, "  drafts: sent %d (%.0f/s), at interviewers %d, answer.saved %d, refused at the deadline %d (time_up race)\n",
				r.DraftsSent, float64(r.DraftsSent)/r.ActiveTime.Seconds(), r.DraftsRecv, r.DraftsSaved, r.DraftsRefused)
		}
		if r.ChatSent > 0 {
			fmt.Fprintf(w, "  chat: sent %d (%.0f/s offered), acked %d (%.0f/s committed, up to the last ack %s after the start), at interviewers %d\n",
				r.ChatSent, float64(r.ChatSent)/r.ActiveTime.Seconds(), r.ChatAcked, float64(r.ChatAckedInWindow)/r.ChatWindow.Seconds(), r.ChatWindow.Round(time.Millisecond), r.ChatRecv)
		}
		commit := r.Floors.Commit()
		ceiling := "—"
		if commit.N > 0 {
			ceiling = fmt.Sprintf("%.0f/s", 1000/commit.P50)
		}
		fmt.Fprintf(w, "  durable events: %d received by interviewers in %s (start to last event) = %.0f/s (all rooms); busiest room %.0f/s; serial commits on one connection (1/floor p50) %s\n",
			r.DurableAtStaff, r.DurableWindow.Round(time.Millisecond), r.DurablePerSec, r.MaxRoomDurablePerSec, ceiling)
		fmt.Fprintf(w, "  order: %d seq gaps at interviewers, %d repeated seqs\n", r.SeqGaps, r.SeqRepeats)
	}
	if r.Idle != nil {
		i := r.Idle
		per := i.PerConn()
		if c.Rooms == 0 {
			r.Floors.print(w)
		}
		fmt.Fprintf(w, "\nIdle connections on %s: %d open (%d failed, %d dropped before the second reading) in %s\n",
			c.URLs[0], i.Opened, i.Failed, i.Dropped, i.OpenTime.Round(time.Millisecond))
		fmt.Fprintf(w, "  %-44s %12s %12s %12s\n", "server (median of 3 readings)", "before", "after", "per conn")
		fmt.Fprintf(w, "  %-44s %9.1f MiB %9.1f MiB %8.1f KiB\n", "process_resident_memory_bytes", i.Before.RSS/(1<<20), i.After.RSS/(1<<20), per.RSS/1024)
		fmt.Fprintf(w, "  %-44s %9.1f MiB %9.1f MiB %8.1f KiB\n", "go_memstats_heap_inuse_bytes", i.Before.HeapInuse/(1<<20), i.After.HeapInuse/(1<<20), per.HeapInuse/1024)
		fmt.Fprintf(w, "  %-44s %9.1f MiB %9.1f MiB %8.1f KiB\n", "go_memstats_stack_inuse_bytes", i.Before.StackInuse/(1<<20), i.After.StackInuse/(1<<20), per.StackInuse/1024)
		fmt.Fprintf(w, "  %-44s %12.0f %12.0f %12.2f\n", "go_goroutines", i.Before.Goroutines, i.After.Goroutines, per.Goroutines)
		if c.ServerPID > 0 {
			fmt.Fprintf(w, "  %-44s %9.1f MiB %9.1f MiB %8.1f KiB\n", fmt.Sprintf("VmRSS of /proc/%d/status", c.ServerPID), i.Before.ProcRSS/(1<<20), i.After.ProcRSS/(1<<20), per.ProcRSS/1024)
		}
		for _, e := range []string{i.Before.MetricsError, i.After.MetricsError} {
			if e != "" {
				fmt.Fprintf(w, "  /metrics failed: %.200s\n", e)
				break
			}
		}
	}
	fmt.Fprintf(w, "\nErrors: %d disconnects", r.Disconnects)
	if len(r.Errors) == 0 {
		fmt.Fprintf(w, ", no error frames\n")
	} else {
		keys := make([]string, 0, len(r.Errors))
		for k := range r.Errors {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintln(w)
		for _, k := range keys {
			fmt.Fprintf(w, "  %-60s %d\n", k, r.Errors[k])
		}
	}
	if c.Rooms > 0 && c.Pushes > 0 {
		if n := r.ExpiryFailures(); n > 0 {
			fmt.Fprintf(w, "EXPIRY CHECK: FAIL (%d missed or duplicate)\n", n)
		} else {
			fmt.Fprintf(w, "EXPIRY CHECK: PASS (every timer expired exactly once, for every client and in every transcript)\n")
		}
	}
}
