package room

import "sync"

// sendQueue is a socket's outgoing frames, bounded by bytes rather than by
// frames: a hundred small acks are nothing, a few whole 50,000-character
// drafts are a lot. It allocates nothing while empty, and its writer
// goroutine runs only while there is something to write, so an idle socket
// costs neither a buffer nor a goroutine.
type sendQueue struct {
	mu      sync.Mutex
	frames  [][]byte
	bytes   int
	limit   int
	keyed   map[any]int // index in frames of a keyed frame not yet taken
	ping    bool        // a ping is due
	running bool        // a writer is draining the queue (or has closed the socket)
	writers *sync.WaitGroup
	writer  func() // the writer's body, run on a new goroutine
}

func newSendQueue(limit int, writers *sync.WaitGroup, writer func()) *sendQueue {
	return &sendQueue{limit: limit, writers: writers, writer: writer}
}

// startLocked starts a writer unless one runs. Caller holds q.mu; the
// WaitGroup is counted under it, so whoever waits for the writers after
// taking the lock sees every writer started before.
func (q *sendQueue) startLocked() {
	if q.running {
		return
	}
	q.running = true
	q.writers.Add(1)
	go q.writer()
}

// push appends frames that go out together and in order. It refuses them
// when the queue would pass its limit, unless force is set (a welcome and its
// replay, which may be long and must not count as slowness).
func (q *sendQueue) push(frames [][]byte, force bool) bool {
	n := 0
	for _, b := range frames {
		n += len(b)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if !force && q.bytes > 0 && q.bytes+n > q.limit {
		return false
	}
	q.frames = append(q.frames, frames...)
	q.bytes += n
	q.startLocked()
	return true
}

// pushKeyed queues a frame that supersedes any earlier frame with the same
// key still waiting (the latest draft of an answer): a console that falls
// behind gets the newest text, not a backlog of stale ones.
func (q *sendQueue) pushKeyed(key any, b []byte) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if i, ok := q.keyed[key]; ok {
		q.bytes += len(b) - len(q.frames[i])
		q.frames[i] = b
		return true
	}
	if q.bytes > 0 && q.bytes+len(b) > q.limit {
		return false
	}
	if q.keyed == nil {
		q.keyed = map[any]int{}
	}
	q.keyed[key] = len(q.frames)
	q.frames = append(q.frames, b)
	q.bytes += len(b)
	q.startLocked()
	return true
}

// wake asks for a writer: to send a ping, or to close the socket.
func (q *sendQueue) wake(ping bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ping = q.ping || ping
	q.startLocked()
}

// next hands the writer everything queued. With nothing to write it stops
// the writer (ok false), unless closing: a closing socket's writer goes on to
// say goodbye, and no other writer starts after it.
func (q *sendQueue) next(closing bool) (frames [][]byte, ping, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.frames) == 0 && !q.ping && !closing {
		q.running = false
		return nil, false, false
	}
	frames, ping = q.frames, q.ping
	q.frames, q.bytes, q.keyed, q.ping = nil, 0, nil, false
	return frames, ping, true
}
