package room

import "sync"

// sendQueue is a socket's outgoing frames, bounded by bytes rather than by
// frames: a hundred small acks are nothing, a few whole 50,000-character
// drafts are a lot. It allocates only while frames wait, so an idle socket
// costs no buffer.
type sendQueue struct {
	mu     sync.Mutex
	frames [][]byte
	bytes  int
	limit  int
	ready  chan struct{} // one pending wake-up for the writer
	keyed  map[any]int   // index in frames of a keyed frame not yet taken
}

func newSendQueue(limit int) *sendQueue {
	return &sendQueue{limit: limit, ready: make(chan struct{}, 1)}
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
	if !force && q.bytes > 0 && q.bytes+n > q.limit {
		q.mu.Unlock()
		return false
	}
	q.frames = append(q.frames, frames...)
	q.bytes += n
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return true
}

// pushKeyed queues a frame that supersedes any earlier frame with the same
// key still waiting (the latest draft of an answer): a console that falls
// behind gets the newest text, not a backlog of stale ones.
func (q *sendQueue) pushKeyed(key any, b []byte) bool {
	q.mu.Lock()
	if i, ok := q.keyed[key]; ok {
		q.bytes += len(b) - len(q.frames[i])
		q.frames[i] = b
		q.mu.Unlock()
		return true
	}
	if q.bytes > 0 && q.bytes+len(b) > q.limit {
		q.mu.Unlock()
		return false
	}
	if q.keyed == nil {
		q.keyed = map[any]int{}
	}
	q.keyed[key] = len(q.frames)
	q.frames = append(q.frames, b)
	q.bytes += len(b)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return true
}

// take returns everything queued and empties the queue.
func (q *sendQueue) take() [][]byte {
	q.mu.Lock()
	defer q.mu.Unlock()
	fs := q.frames
	q.frames, q.bytes, q.keyed = nil, 0, nil
	return fs
}
