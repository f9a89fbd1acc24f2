package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// runner is one run's shared state: counters the clients bump and the
// latency recorders they feed.
type runner struct {
	cfg Config
	out io.Writer

	rooms []*roomRun
	phase atomic.Value // string, for the progress line
	open  atomic.Int64 // connections open

	pushesSent, pushesAcked, pushedRecv                atomic.Int64
	draftsSent, draftsRecv, draftsSaved, draftsRefused atomic.Int64
	chatSent, chatAcked, chatRecv                      atomic.Int64
	expiredRecv, durableAtStaff                        atomic.Int64
	seqGaps, seqRepeats, disconnects                   atomic.Int64
	chatFailed                                         atomic.Int64
	lastDurable, lastChatAck                           atomic.Int64 // unix ns of the last one received

	pushRecv, pushAck, draftToStaff, draftSaved recorder
	expiryLate, expiryCommitLate                recorder
	chatAck, chatToStaff                        recorder

	errMu sync.Mutex
	errs  map[string]int
}

func (r *runner) countError(what string) {
	r.errMu.Lock()
	r.errs[what]++
	r.errMu.Unlock()
}

func (r *runner) errorCount() int {
	r.errMu.Lock()
	defer r.errMu.Unlock()
	n := 0
	for _, v := range r.errs {
		n += v
	}
	return n
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.out, format+"\n", args...)
}

// Run performs the load test cfg describes against running instances,
// printing a progress line every second and the report at the end to out.
func Run(ctx context.Context, cfg Config, out io.Writer) (Report, error) {
	cfg.URLs = append([]string(nil), cfg.URLs...)
	cfg.defaults()
	if err := cfg.Validate(); err != nil {
		return Report{}, err
	}
	r := &runner{cfg: cfg, out: out, errs: map[string]int{}}
	r.phase.Store("floors")
	rep := Report{Config: cfg}
	rep.Config.Token = ""
	r.logf("ace loadtest: %d instance(s) %s; %d room(s) × %d candidate(s); drafts %.3g/s, chat %.3g/s per candidate; %d push(es) of %ds timers; duration %s; idle %d",
		len(cfg.URLs), strings.Join(cfg.URLs, " "), cfg.Rooms, cfg.Candidates, cfg.DraftRate, cfg.ChatRate, cfg.Pushes, cfg.TimerS, cfg.Duration, cfg.Idle)

	rep.Floors = measureFloors(ctx, cfg)
	rep.Floors.print(out)
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}

	progressCtx, stopProgress := context.WithCancel(ctx)
	progressDone := make(chan struct{})
	go func() { defer close(progressDone); r.progress(progressCtx) }()
	defer func() { stopProgress(); <-progressDone }()

	if cfg.Idle > 0 {
		idle, err := r.idlePhase(ctx)
		if err != nil {
			return rep, err
		}
		rep.Idle = &idle
	}
	if cfg.Rooms > 0 {
		if err := r.activePhase(ctx, &rep); err != nil {
			r.closeAll()
			return rep, err
		}
	}
	stopProgress()
	<-progressDone
	r.fill(&rep)
	rep.Print(out)
	return rep, nil
}

// progress prints one line per cfg.Progress until ctx ends.
func (r *runner) progress(ctx context.Context) {
	if r.cfg.Quiet {
		return
	}
	start := time.Now()
	t := time.NewTicker(r.cfg.Progress)
	defer t.Stop()
	var lastDrafts, lastChat, lastEvents int64
	last := start
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			dt := now.Sub(last).Seconds()
			last = now
			drafts, chat, events := r.draftsSent.Load(), r.chatAcked.Load(), r.durableAtStaff.Load()
			r.logf("[%6.1fs] %-8s conns %5d | push sent %d acked %d recv %d | drafts %5.0f/s recv %d saved %d refused %d | chat acked %4.0f/s | expired recv %d | durable %5.0f/s | errors %d",
				now.Sub(start).Seconds(), r.phase.Load(), r.open.Load(), r.pushesSent.Load(), r.pushesAcked.Load(), r.pushedRecv.Load(),
				float64(drafts-lastDrafts)/dt, r.draftsRecv.Load(), r.draftsSaved.Load(), r.draftsRefused.Load(),
				float64(chat-lastChat)/dt, r.expiredRecv.Load(), float64(events-lastEvents)/dt, r.errorCount())
			lastDrafts, lastChat, lastEvents = drafts, chat, events
		}
	}
}

// parallel runs fn(i) for i in [0,n) on at most workers goroutines and
// returns the first error.
func parallel(ctx context.Context, n, workers int, fn func(i int) error) error {
	var next atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// idlePhase opens cfg.Idle candidate connections on URLs[0] that only say
// hello, and reads the server's memory before and after.
func (r *runner) idlePhase(ctx context.Context) (IdleReport, error) {
	cfg := r.cfg
	base := cfg.URLs[0]
	var rep IdleReport
	r.phase.Store("idle-create")
	var tokens []string
	var ids []int64
	for left := cfg.Idle; left > 0; left -= 200 {
		k := min(200, left)
		c, err := createInterview(ctx, base, cfg.Token, fmt.Sprintf("loadtest idle %d", len(ids)+1), 0, 0, 0, k)
		if err != nil {
			return rep, fmt.Errorf("idle: %w", err)
		}
		for _, cand := range c.Candidates {
			tokens = append(tokens, cand.InviteToken)
			ids = append(ids, c.ID)
		}
	}
	r.phase.Store("idle-mem")
	before, err := settledMemory(ctx, cfg.MetricsURL, cfg.MetricsToken, cfg.ServerPID)
	if err != nil {
		return rep, fmt.Errorf("idle: %w", err)
	}
	rep.Before = before
	r.phase.Store("idle-open")
	clients := make([]*client, len(tokens))
	var failed atomic.Int64
	t0 := time.Now()
	_ = parallel(ctx, len(tokens), cfg.DialWorkers, func(i int) error {
		c := newClient(r, nil, false)
		if err := c.dial(ctx, base, ids[i], tokens[i], 1024); err != nil {
			if failed.Add(1) <= 3 {
				r.logf("idle connection %d: %v", i, err)
			}
			r.countError("idle dial failed")
			return nil
		}
		clients[i] = c
		r.open.Add(1)
		return nil
	})
	rep.OpenTime = time.Since(t0)
	rep.Opened = len(tokens) - int(failed.Load())
	rep.Failed = int(failed.Load())
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	r.phase.Store("idle-mem")
	time.Sleep(2 * time.Second) // let the joins' presence fan-out and allocations settle
	after, err := settledMemory(ctx, cfg.MetricsURL, cfg.MetricsToken, cfg.ServerPID)
	if err != nil {
		return rep, fmt.Errorf("idle: %w", err)
	}
	rep.After = after
	if cfg.OnIdle != nil {
		cfg.OnIdle()
	}
	for _, c := range clients {
		if c != nil && c.gone.Load() {
			rep.Dropped++
		}
	}
	r.phase.Store("idle-close")
	_ = parallel(context.Background(), len(clients), 256, func(i int) error {
		if clients[i] != nil {
			clients[i].close()
			r.open.Add(-1)
		}
		return nil
	})
	return rep, nil
}

// activePhase creates the rooms, connects everyone, pushes and types, and
// then checks every timer's expiry.
func (r *runner) activePhase(ctx context.Context, rep *Report) error {
	cfg := r.cfg
	n := len(cfg.URLs)
	qid := cfg.QuestionID
	if qid == 0 && cfg.Pushes > 0 {
		var err error
		if qid, err = pickQuestion(ctx, cfg.URLs[0], cfg.Token); err != nil {
			return err
		}
	}
	rep.QuestionID = qid

	r.phase.Store("create")
	t0 := time.Now()
	r.rooms = make([]*roomRun, cfg.Rooms)
	err := parallel(ctx, cfg.Rooms, 8, func(i int) error {
		rr := newRoomRun(i)
		rr.staffURL, rr.candURL = cfg.URLs[i%n], cfg.URLs[(i+1)%n]
		c, err := createInterview(ctx, rr.staffURL, cfg.Token, fmt.Sprintf("loadtest room %d", i+1), qid, cfg.Pushes, cfg.TimerS, cfg.Candidates, cfg.Pacing)
		if err != nil {
			return err
		}
		rr.id = c.ID
		for _, cand := range c.Candidates {
			rr.tokens = append(rr.tokens, cand.InviteToken)
		}
		r.rooms[i] = rr
		return nil
	})
	if err != nil {
		return fmt.Errorf("create interviews: %w", err)
	}
	rep.CreateTime = time.Since(t0)

	r.phase.Store("connect")
	t0 = time.Now()
	per := 1 + cfg.Candidates
	var dialFailed atomic.Int64
	err = parallel(ctx, cfg.Rooms*per, cfg.DialWorkers, func(j int) error {
		rr := r.rooms[j/per]
		k := j % per
		if k == 0 {
			c := newClient(r, rr, true)
			if err := c.dial(ctx, rr.staffURL, rr.id, cfg.Token, 4096); err != nil {
				return fmt.Errorf("interviewer of room %d: %w", rr.index+1, err)
			}
			rr.mu.Lock()
			rr.interviewer = c
			rr.mu.Unlock()
		} else {
			c := newClient(r, rr, false)
			if err := c.dial(ctx, rr.candURL, rr.id, rr.tokens[k-1], 4096); err != nil {
				if dialFailed.Add(1) <= 3 {
					r.logf("candidate %d of room %d: %v", k, rr.index+1, err)
				}
				r.countError("candidate dial failed")
				return nil
			}
			rr.mu.Lock()
			rr.candidates = append(rr.candidates, c)
			rr.mu.Unlock()
		}
		r.open.Add(1)
		return nil
	})
	rep.ConnectTime = time.Since(t0)
	rep.Connections = int(r.open.Load())
	rep.DialFailures = int(dialFailed.Load())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}

	// Active: start every interview, then each room pushes its questions
	// one after another's expiry, rooms staggered over one timer period so
	// expiries spread out; candidates type and chat meanwhile.
	// Start every interview first, a few at a time, so the burst of
	// interview.start commits is not measured as push latency.
	r.phase.Store("start")
	_ = parallel(ctx, len(r.rooms), 16, func(i int) error {
		r.startInterview(ctx, r.rooms[i])
		return nil
	})
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Second):
	}

	// The floors again, sampled beside the rooms for as long as they push:
	// what the hops cost under this load.
	floorsDone := make(chan LoadedFloors, 1)
	stopFloors := make(chan struct{})
	if cfg.LoadedFloorRate > 0 {
		ready := make(chan struct{})
		go func() { floorsDone <- loadedFloors(ctx, cfg, ready, stopFloors) }()
		<-ready
	}
	stopLoadedFloors := sync.OnceFunc(func() {
		close(stopFloors)
		if cfg.LoadedFloorRate > 0 {
			rep.Floors.Loaded = <-floorsDone
		}
	})
	defer stopLoadedFloors()

	r.phase.Store("active")
	activeStart := time.Now()
	rep.durableBefore = r.durableAtStaff.Load()
	for _, rr := range r.rooms {
		rr.durableBefore = rr.durable.Load()
	}
	typingCtx, stopTyping := context.WithCancel(ctx)
	defer stopTyping()
	var typing sync.WaitGroup
	rng := rand.New(rand.NewPCG(uint64(activeStart.UnixNano()), 7))
	for _, rr := range r.rooms {
		for _, c := range rr.candidates {
			if cfg.DraftRate > 0 {
				typing.Add(1)
				go func(phase float64) { defer typing.Done(); c.typeDrafts(typingCtx, cfg.DraftRate, phase) }(rng.Float64())
			}
			if cfg.ChatRate > 0 {
				typing.Add(1)
				go func(phase float64) { defer typing.Done(); c.chat(typingCtx, cfg.ChatRate, phase) }(rng.Float64())
			}
		}
	}
	pushEnd := time.Time{}
	if cfg.Duration > 0 {
		pushEnd = activeStart.Add(cfg.Duration)
	}
	stagger := time.Duration(cfg.TimerS) * time.Second
	if cfg.Duration > 0 && stagger > cfg.Duration/2 {
		stagger = cfg.Duration / 2
	}
	var pushers sync.WaitGroup
	for _, rr := range r.rooms {
		offset := time.Duration(float64(stagger) * float64(rr.index) / float64(len(r.rooms)))
		if cfg.Pacing == "self_paced" {
			// Every candidate moves on their own, spread over one timer period.
			for j, c := range rr.candidates {
				pushers.Add(1)
				off := offset + time.Duration(float64(stagger)*float64(j)/float64(len(rr.candidates)*len(r.rooms)))
				go func() { defer pushers.Done(); r.openLoop(ctx, rr, c, off, pushEnd) }()
			}
			continue
		}
		pushers.Add(1)
		go func() { defer pushers.Done(); r.pushLoop(ctx, rr, offset, pushEnd) }()
	}
	pushers.Wait()
	if cfg.Pushes == 0 && cfg.Duration > 0 {
		// Nothing to push: the load is chat only, for the duration.
		select {
		case <-ctx.Done():
		case <-time.After(time.Until(pushEnd)):
		}
	}
	stopLoadedFloors()
	r.phase.Store("drain")
	r.waitExpiries(ctx)
	stopTyping()
	typing.Wait()
	rep.ActiveTime = time.Since(activeStart)
	// Let the backlog clear: every chat answered and no durable event for
	// 500 ms, for at most Grace plus the active time (a backlog built up
	// over the active phase can take as long to clear).
	for end := time.Now().Add(cfg.Grace + rep.ActiveTime); time.Now().Before(end) && ctx.Err() == nil; time.Sleep(50 * time.Millisecond) {
		quiet := time.Since(time.Unix(0, r.lastDurable.Load())) > 500*time.Millisecond
		if quiet && r.chatAcked.Load()+r.chatFailed.Load() >= r.chatSent.Load() {
			break
		}
	}
	time.Sleep(300 * time.Millisecond)
	rep.ChatAckedInWindow = r.chatAcked.Load()
	rep.DrainTime = time.Since(activeStart) - rep.ActiveTime
	// Throughput is counted up to the last event received: when the
	// servers fall behind, the backlog clears after the load stops.
	rep.DurableAtStaff = r.durableAtStaff.Load() - rep.durableBefore
	if last := r.lastDurable.Load(); last > 0 && rep.DurableAtStaff > 0 {
		rep.DurableWindow = time.Unix(0, last).Sub(activeStart)
	}
	if last := r.lastChatAck.Load(); last > 0 {
		rep.ChatWindow = time.Unix(0, last).Sub(activeStart)
	}
	for _, rr := range r.rooms {
		rr.durableEnd = rr.durable.Load()
	}

	r.phase.Store("verify")
	r.verify(ctx, rep)
	r.phase.Store("close")
	r.closeAll()
	return ctx.Err()
}

// startInterview sends interview.start and waits for its answer.
func (r *runner) startInterview(ctx context.Context, rr *roomRun) {
	if err := rr.interviewer.send("interview.start", "s", map[string]any{}); err != nil {
		return
	}
	select {
	case code := <-rr.startCh:
		rr.live = code == "" || code == "already_live"
	case <-time.After(30 * time.Second):
		r.countError("interview.start unanswered")
	case <-ctx.Done():
	}
}

// pushLoop pushes a room's questions, each after the previous one expired.
func (r *runner) pushLoop(ctx context.Context, rr *roomRun, offset time.Duration, pushEnd time.Time) {
	cfg := r.cfg
	iv := rr.interviewer
	if !rr.live {
		return
	}
	select {
	case <-time.After(offset):
	case <-ctx.Done():
		return
	}
	for pos := 1; pos <= cfg.Pushes; pos++ {
		if (!pushEnd.IsZero() && time.Now().After(pushEnd)) || ctx.Err() != nil || iv.gone.Load() {
			return
		}
		t0 := time.Now()
		rr.setPush(pos, t0)
		r.pushesSent.Add(1)
		if err := iv.send("question.push", fmt.Sprintf("p%d", pos), map[string]any{"position": pos, "time_limit_s": cfg.TimerS}); err != nil {
			return
		}
		if !r.awaitExpiry(ctx, rr.expCh, pos, "push cycle timed out waiting for its expiry") {
			return
		}
	}
}

// awaitExpiry waits until pos arrives on expired (or a timer's length plus
// Grace has passed, counted as timedOut), then for PushGap; false when ctx ended.
func (r *runner) awaitExpiry(ctx context.Context, expired <-chan int, pos int, timedOut string) bool {
	wait := time.NewTimer(time.Duration(r.cfg.TimerS)*time.Second + r.cfg.Grace + 10*time.Second)
	defer wait.Stop()
	for waiting := true; waiting; {
		select {
		case p := <-expired:
			waiting = p != pos
		case <-wait.C:
			r.countError(timedOut)
			waiting = false
		case <-ctx.Done():
			return false
		}
	}
	select {
	case <-time.After(r.cfg.PushGap):
		return true
	case <-ctx.Done():
		return false
	}
}

// openLoop is one self-paced candidate: they open each planned question in
// turn and move on once their own timer for it expired.
func (r *runner) openLoop(ctx context.Context, rr *roomRun, c *client, offset time.Duration, pushEnd time.Time) {
	cfg := r.cfg
	if !rr.live {
		return
	}
	select {
	case <-time.After(offset):
	case <-ctx.Done():
		return
	}
	for pos := 1; pos <= cfg.Pushes; pos++ {
		if (!pushEnd.IsZero() && time.Now().After(pushEnd)) || ctx.Err() != nil || c.gone.Load() {
			return
		}
		c.mu.Lock()
		c.openT0[pos] = time.Now()
		c.current = pos
		c.mu.Unlock()
		r.pushesSent.Add(1)
		if err := c.send("question.open", fmt.Sprintf("o%d", pos), map[string]any{"position": pos}); err != nil {
			return
		}
		if !r.awaitExpiry(ctx, c.ownExp, pos, "open cycle timed out waiting for the candidate's expiry") {
			return
		}
	}
}

// waitExpiries waits until every connected client has received timer.expired
// for every timer it saw start, or Grace past the last deadline.
func (r *runner) waitExpiries(ctx context.Context) {
	var last int64
	for _, rr := range r.rooms {
		rr.mu.Lock()
		for _, t := range rr.timers {
			last = max(last, t.deadlineMS)
		}
		rr.mu.Unlock()
	}
	end := time.UnixMilli(last).Add(r.cfg.Grace)
	for time.Now().Before(end) && ctx.Err() == nil {
		if r.allExpired() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *runner) allExpired() bool {
	for _, rr := range r.rooms {
		rr.mu.Lock()
		timers := make(map[int64]timerInfo, len(rr.timers))
		for id, t := range rr.timers {
			timers[id] = t
		}
		rr.mu.Unlock()
		for _, c := range rr.clients() {
			if c.gone.Load() {
				continue
			}
			c.mu.Lock()
			for id, t := range timers {
				if t.receives(c) && c.expired[id] == 0 {
					c.mu.Unlock()
					return false
				}
			}
			c.mu.Unlock()
		}
	}
	return true
}

// verify counts each client's expiries and pushes and reads the
// transcripts: every timer expires exactly once, for everyone.
func (r *runner) verify(ctx context.Context, rep *Report) {
	for _, rr := range r.rooms {
		rr.mu.Lock()
		timers := make(map[int64]timerInfo, len(rr.timers))
		for id, t := range rr.timers {
			timers[id] = t
		}
		pushed := append([]int(nil), rr.pushed...)
		failed := make(map[int]bool, len(rr.failed))
		for p := range rr.failed {
			failed[p] = true
		}
		rr.mu.Unlock()
		rep.Timers += len(timers)
		positions := map[int]bool{}
		for _, t := range timers {
			positions[t.position] = true
		}
		for _, p := range pushed {
			if !failed[p] && !positions[p] {
				rep.TimersNeverStarted++
			}
		}
		for _, c := range rr.clients() {
			gone := c.gone.Load()
			c.mu.Lock()
			for id, t := range timers {
				if !t.receives(c) {
					continue
				}
				switch n := c.expired[id]; {
				case n == 1:
					rep.ExpiryDeliveries++
				case n == 0 && gone:
					rep.ExpiryMissedDisconnected++
				case n == 0:
					rep.ExpiryMissed++
				default:
					rep.ExpiryDeliveries++
					rep.ExpiryDuplicates += n - 1
				}
			}
			if !c.staff {
				for _, p := range pushed {
					if failed[p] {
						continue
					}
					switch n := c.pushed[p]; {
					case n == 1:
						rep.PushDeliveries++
					case n == 0:
						rep.PushDeliveriesMissed++
					default:
						rep.PushDeliveries++
						rep.PushDeliveriesDuplicated += n - 1
					}
				}
			}
			c.mu.Unlock()
		}
	}
	if r.cfg.Pacing == "self_paced" {
		// Opens replace pushes: each acknowledged open of a limited question
		// must have come back to its candidate as their own timer.started.
		rep.TimersNeverStarted += int(max(0, r.pushesAcked.Load()-r.pushedRecv.Load()))
	}
	// The transcript is what the database decided: exactly one
	// timer.expired per started timer.
	var mu sync.Mutex
	err := parallel(ctx, len(r.rooms), 8, func(i int) error {
		rr := r.rooms[i]
		evs, err := transcript(ctx, rr.staffURL, r.cfg.Token, rr.id)
		if err != nil {
			return err
		}
		started, expired := map[int64]int{}, map[int64]int{}
		var last int64
		for _, ev := range evs {
			last = max(last, ev.Seq)
			if ev.Type != "timer.started" && ev.Type != "timer.expired" {
				continue
			}
			var d struct {
				TimerID int64 `json:"timer_id"`
			}
			_ = json.Unmarshal(ev.Data, &d)
			if ev.Type == "timer.started" {
				started[d.TimerID]++
			} else {
				expired[d.TimerID]++
			}
		}
		mu.Lock()
		defer mu.Unlock()
		rep.TranscriptEvents += last
		rep.TranscriptRoomEvents = append(rep.TranscriptRoomEvents, last)
		for id := range started {
			rep.TranscriptTimers++
			switch expired[id] {
			case 0:
				rep.TranscriptNeverExpired++
			case 1:
				rep.TranscriptExpiredOnce++
			default:
				rep.TranscriptExpiredTwice++
			}
		}
		return nil
	})
	if err != nil {
		rep.TranscriptError = err.Error()
	}
	sort.Slice(rep.TranscriptRoomEvents, func(i, j int) bool { return rep.TranscriptRoomEvents[i] > rep.TranscriptRoomEvents[j] })
	if w := rep.DurableWindow.Seconds(); w > 0 {
		rep.DurablePerSec = float64(rep.DurableAtStaff) / w
		for _, rr := range r.rooms {
			rep.MaxRoomDurablePerSec = max(rep.MaxRoomDurablePerSec, float64(rr.durableEnd-rr.durableBefore)/w)
		}
	}
}

func (r *runner) closeAll() {
	var all []*client
	for _, rr := range r.rooms {
		if rr != nil {
			all = append(all, rr.clients()...)
		}
	}
	_ = parallel(context.Background(), len(all), 256, func(i int) error {
		all[i].close()
		r.open.Add(-1)
		return nil
	})
}

// fill copies the counters and distributions into the report.
func (r *runner) fill(rep *Report) {
	rep.PushRecv, rep.PushAck = r.pushRecv.summary(), r.pushAck.summary()
	rep.DraftToStaff, rep.DraftSaved = r.draftToStaff.summary(), r.draftSaved.summary()
	rep.ExpiryLate, rep.ExpiryCommitLate = r.expiryLate.summary(), r.expiryCommitLate.summary()
	rep.ChatAck, rep.ChatToStaff = r.chatAck.summary(), r.chatToStaff.summary()
	rep.PushesSent, rep.PushesAcked, rep.PushedRecv = r.pushesSent.Load(), r.pushesAcked.Load(), r.pushedRecv.Load()
	rep.DraftsSent, rep.DraftsRecv, rep.DraftsSaved, rep.DraftsRefused = r.draftsSent.Load(), r.draftsRecv.Load(), r.draftsSaved.Load(), r.draftsRefused.Load()
	rep.ChatSent, rep.ChatAcked, rep.ChatRecv = r.chatSent.Load(), r.chatAcked.Load(), r.chatRecv.Load()
	rep.SeqGaps, rep.SeqRepeats, rep.Disconnects = r.seqGaps.Load(), r.seqRepeats.Load(), r.disconnects.Load()
	r.errMu.Lock()
	rep.Errors = make(map[string]int, len(r.errs))
	for k, v := range r.errs {
		rep.Errors[k] = v
	}
	r.errMu.Unlock()
}
