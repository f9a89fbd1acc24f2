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

// take returns everything queued and empties the queue.
func (q *sendQueue) take() [][]byte {
	q.mu.Lock()
	defer q.mu.Unlock()
	fs := q.frames
	q.frames, q.bytes = nil, 0
	return fs
}
