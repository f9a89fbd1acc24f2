package loadtest

import (
	"sync"
	"sync/atomic"
	"time"
)

// roomRun is one interview under load: its clients and what was sent when.
type roomRun struct {
	index         int
	id            int64
	staffURL      string
	candURL       string
	tokens        []string
	interviewer   *client
	candidates    []*client
	durable       atomic.Int64 // durable events the interviewer received
	live          bool         // interview.start was acknowledged
	durableBefore int64        // durable at the start of the active phase
	durableEnd    int64        // and after the drain

	mu      sync.Mutex
	pushT0  map[int]time.Time // position → when question.push was sent
	pushed  []int             // positions whose push was acknowledged or at least sent
	failed  map[int]bool      // positions whose push was refused
	timers  map[int64]timerInfo
	drafts  map[draftKey]time.Time
	chats   map[string]time.Time
	startCh chan string // the answer to interview.start ("" for ack)
	expCh   chan int    // positions whose timer expired at the interviewer (or whose push failed)
}

type timerInfo struct {
	position   int
	deadlineMS int64
	candidate  int64 // a personal timer's candidate: only they and the interviewer receive it
}

// receives reports whether c is in the timer's audience.
func (t timerInfo) receives(c *client) bool {
	return t.candidate == 0 || c.staff || c.participantID == t.candidate
}

type draftKey struct{ candidate, version int64 }

func newRoomRun(index int) *roomRun {
	return &roomRun{index: index, pushT0: map[int]time.Time{}, failed: map[int]bool{}, timers: map[int64]timerInfo{},
		drafts: map[draftKey]time.Time{}, chats: map[string]time.Time{}, startCh: make(chan string, 1), expCh: make(chan int, 128)}
}

func (r *roomRun) clients() []*client {
	out := make([]*client, 0, 1+len(r.candidates))
	if r.interviewer != nil {
		out = append(out, r.interviewer)
	}
	return append(out, r.candidates...)
}

func (r *roomRun) setPush(pos int, t0 time.Time) {
	r.mu.Lock()
	r.pushT0[pos] = t0
	r.pushed = append(r.pushed, pos)
	r.mu.Unlock()
}

func (r *roomRun) pushTime(pos int) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.pushT0[pos]
	return t, ok
}

func (r *roomRun) pushFailed(pos int) {
	r.mu.Lock()
	r.failed[pos] = true
	r.mu.Unlock()
	r.signal(pos)
}

func (r *roomRun) timerStarted(id int64, pos int, deadlineMS, candidate int64) {
	r.mu.Lock()
	r.timers[id] = timerInfo{position: pos, deadlineMS: deadlineMS, candidate: candidate}
	r.mu.Unlock()
}

func (r *roomRun) deadline(id int64) (int64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.timers[id]
	return t.deadlineMS, ok
}

func (r *roomRun) signal(pos int) {
	select {
	case r.expCh <- pos:
	default:
	}
}

func (r *roomRun) started(code string) {
	select {
	case r.startCh <- code:
	default:
	}
}

func (r *roomRun) putDraft(candidate, version int64, t time.Time) {
	r.mu.Lock()
	r.drafts[draftKey{candidate, version}] = t
	r.mu.Unlock()
}

func (r *roomRun) takeDraft(candidate, version int64) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := draftKey{candidate, version}
	t, ok := r.drafts[k]
	delete(r.drafts, k)
	return t, ok
}

func (r *roomRun) putChat(text string, t time.Time) {
	r.mu.Lock()
	r.chats[text] = t
	r.mu.Unlock()
}

func (r *roomRun) takeChat(text string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.chats[text]
	delete(r.chats, text)
	return t, ok
}
