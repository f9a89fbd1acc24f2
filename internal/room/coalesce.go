package room

import (
	"sync"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// draftThrottle sends the interviewers each candidate's typing at most once
// per interval: the first draft after a pause at once, then the latest text
// at the end of each interval, never a queue of stale full texts. In a big
// room the interval grows with the room (draftInterval), so a console with
// 200 typists receives a few frames per second per candidate.
type draftThrottle struct {
	r       *Room
	every   func() time.Duration // the room's interval, which grows as candidates are added
	last    map[store.AnswerKey]time.Time
	pending map[store.AnswerKey][]byte
	timer   *time.Timer
}

func newDraftThrottle(r *Room, every func() time.Duration) *draftThrottle {
	return &draftThrottle{r: r, every: every,
		last: map[store.AnswerKey]time.Time{}, pending: map[store.AnswerKey][]byte{}}
}

// offer takes a draft for the staff (one that names its answer; others, as
// from an older instance during a rolling deploy, are fanned out as they
// come). Caller holds r.mu.
func (t *draftThrottle) offer(e *ephemeral) {
	k := *e.DraftOf
	b := encodeFrame(frame{Type: e.Type, TS: ts(e.TS), Data: e.Data})
	now := time.Now()
	every := t.every()
	if since := now.Sub(t.last[k]); since >= every {
		t.send(k, b, now)
		return
	}
	t.pending[k] = b
	if t.timer == nil {
		t.timer = time.AfterFunc(every-now.Sub(t.last[k]), func() { t.r.hub.tasks.run("flush drafts", t.flush) })
	}
}

func (t *draftThrottle) flush() {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	t.timer = nil
	if t.r.closed {
		return
	}
	now := time.Now()
	every := t.every()
	var next time.Duration
	for k, b := range t.pending {
		if wait := every - now.Sub(t.last[k]); wait > time.Millisecond {
			if next == 0 || wait < next {
				next = wait
			}
			continue
		}
		t.send(k, b, now)
	}
	if len(t.pending) > 0 {
		t.timer = time.AfterFunc(max(next, time.Millisecond), func() { t.r.hub.tasks.run("flush drafts", t.flush) })
	}
}

// send queues the frame to every interviewer, replacing a draft of the same
// answer still waiting in a slow console's queue. Caller holds r.mu.
func (t *draftThrottle) send(k store.AnswerKey, b []byte, now time.Time) {
	t.last[k] = now
	delete(t.pending, k)
	for m := range t.r.members {
		if m.id.Staff() {
			m.enqueueKeyed(k, b)
		}
	}
	for m, buf := range t.r.joining {
		if m.id.Staff() {
			buf.frames = append(buf.frames, bufferedFrame{b: b})
		}
	}
}

func (t *draftThrottle) stop() {
	if t.timer != nil {
		t.timer.Stop()
	}
}

// publishThrottle is the same rule at the source: the instance a candidate
// is on publishes their typing to the other instances at most once per
// interval per answer (the first draft after a pause at once, then the
// latest), so a room of 200 typists does not put every keystroke's full
// text on NATS for every instance to decode. Drafts are stored whatever it
// does: it only decides what the interviewers are sent. It has its own lock
// and publishes outside it.
type publishThrottle struct {
	h       *Hub
	room    int64
	every   func() time.Duration
	mu      sync.Mutex
	last    map[store.AnswerKey]time.Time
	pending map[store.AnswerKey]ephemeral
	timer   *time.Timer
	stopped bool
}

func newPublishThrottle(h *Hub, room int64, every func() time.Duration) *publishThrottle {
	return &publishThrottle{h: h, room: room, every: every,
		last: map[store.AnswerKey]time.Time{}, pending: map[store.AnswerKey]ephemeral{}}
}

func (t *publishThrottle) offer(e ephemeral) {
	k := *e.DraftOf
	now := time.Now()
	t.mu.Lock()
	if t.stopped {
		t.mu.Unlock()
		return
	}
	every := t.every()
	if now.Sub(t.last[k]) >= every {
		t.last[k] = now
		delete(t.pending, k)
		t.mu.Unlock()
		t.h.publishEphemeral(t.room, e)
		return
	}
	t.pending[k] = e
	if t.timer == nil {
		t.timer = time.AfterFunc(every-now.Sub(t.last[k]), func() { t.h.tasks.run("publish drafts", t.flush) })
	}
	t.mu.Unlock()
}

func (t *publishThrottle) flush() {
	now := time.Now()
	var due []ephemeral
	t.mu.Lock()
	t.timer = nil
	every := t.every()
	var next time.Duration
	for k, e := range t.pending {
		if wait := every - now.Sub(t.last[k]); wait > time.Millisecond {
			if next == 0 || wait < next {
				next = wait
			}
			continue
		}
		t.last[k] = now
		delete(t.pending, k)
		due = append(due, e)
	}
	if len(t.pending) > 0 && !t.stopped {
		t.timer = time.AfterFunc(max(next, time.Millisecond), func() { t.h.tasks.run("publish drafts", t.flush) })
	}
	t.mu.Unlock()
	for _, e := range due {
		t.h.publishEphemeral(t.room, e)
	}
}

// stop publishes what is pending (the last words typed) and stops.
func (t *publishThrottle) stop() {
	t.mu.Lock()
	t.stopped = true
	if t.timer != nil {
		t.timer.Stop()
	}
	due := make([]ephemeral, 0, len(t.pending))
	for _, e := range t.pending {
		due = append(due, e)
	}
	t.pending = map[store.AnswerKey]ephemeral{}
	t.mu.Unlock()
	for _, e := range due {
		t.h.publishEphemeral(t.room, e)
	}
}
