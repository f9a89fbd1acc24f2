package room

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/fasthttp/websocket"
	"golang.org/x/time/rate"
)

// Conn is the part of a WebSocket connection a member uses; fasthttp's
// *websocket.Conn satisfies it. Close must close the network connection
// (fasthttp does not, with Server.KeepHijackedConns).
type Conn interface {
	ReadMessage() (int, []byte, error)
	WriteMessage(int, []byte) error
	WriteControl(int, []byte, time.Time) error
	SetReadLimit(int64)
	SetReadDeadline(time.Time) error
	SetWriteDeadline(time.Time) error
	SetPongHandler(func(string) error)
	Close() error
}

// Connection tuning.
const (
	writeWait          = 10 * time.Second // a write that takes longer means the peer is gone
	pongWait           = 60 * time.Second
	pingEvery          = 25 * time.Second
	helloWait          = 15 * time.Second
	ratePerSec         = 30 // client messages per second, sustained
	rateBurst          = 60
	closeSlow          = 4008 // application close codes (4000-4999)
	closeRevoked       = 4001 // no longer a participant: invite revoked or replaced, removed from the panel
	closeAccessChanged = 4003 // the account's role changed or it was disabled: reconnect to be decided again
	closeTooMany       = 4029 // too many sockets on one invite
)

var errShuttingDown = errf("shutting_down", "server shutting down; reconnect")

// Member is one socket in a room. Frames reach the peer only through send,
// drained by one writer goroutine (concurrent writes panic, STACK.md §3).
type Member struct {
	id      Identity
	room    *Room
	conn    Conn
	send    *sendQueue
	writers sync.WaitGroup // the writer goroutine, while one runs
	done    chan struct{}
	once    sync.Once
	code    int
	reason  string
	sent    int64 // the last seq this socket was given; guarded by room.mu
	limiter *rate.Limiter
}

// allow counts every client frame against the rate limit, malformed ones
// too (they cost a decode and an error frame each). A dropped frame still
// gets its one answer; a peer that floods without reading is cut off as slow.
func (m *Member) allow(id string) bool {
	if m.limiter.Allow() {
		return true
	}
	m.enqueue(errorFrame(id, errf("rate_limited", "too many messages; at most %d per second", ratePerSec)))
	return false
}

// Identity returns who the member is.
func (m *Member) Identity() Identity { return m.id }

// enqueue hands a frame to the writer without ever blocking the room: a
// socket whose queue is full is disconnected as slow instead.
func (m *Member) enqueue(b []byte) {
	select {
	case <-m.done:
		return
	default:
	}
	if !m.send.push([][]byte{b}, false) {
		m.kick(closeSlow, "slow consumer: too many undelivered messages; reconnect to resume")
	}
}

// enqueueKeyed queues a frame that replaces a queued one with the same key.
func (m *Member) enqueueKeyed(key any, b []byte) {
	select {
	case <-m.done:
		return
	default:
	}
	if !m.send.pushKeyed(key, b) {
		m.kick(closeSlow, "slow consumer: too many undelivered messages; reconnect to resume")
	}
}

// enqueueReplay queues a welcome and the replay after it, in order and past
// the queue's limit: a replay after reconnect can be long, and must not
// count as slowness.
func (m *Member) enqueueReplay(frames [][]byte) {
	if !m.closing() {
		m.send.push(frames, true)
	}
}

func (m *Member) closing() bool {
	select {
	case <-m.done:
		return true
	default:
		return false
	}
}

// kick closes the socket with a code and reason, once: the writer flushes
// what is queued (unless the peer is slow) and sends the close frame.
func (m *Member) kick(code int, reason string) {
	m.once.Do(func() {
		m.code, m.reason = code, reason
		close(m.done)
		if code == closeSlow {
			// Stop the reader now rather than after pongWait. The writer is
			// left to finish the frame it may be writing (within writeWait):
			// cutting it short would leave half a frame, and the peer could
			// never read the close frame that says why. (No write deadline
			// here: the WebSocket keeps it in a field that only the writer
			// may touch, and sets it again before every frame.)
			_ = m.conn.SetReadDeadline(time.Now())
		}
		m.send.wake(false)
	})
}

// ping asks the writer to ping the peer (the hub's ticker calls it).
func (m *Member) ping() {
	if !m.closing() {
		m.send.wake(true)
	}
}

// drain is the member's only writer (concurrent writes panic, STACK.md §3),
// running while there are frames, a ping or the final close to write.
func (m *Member) drain() {
	defer m.writers.Done()
	for {
		closing := m.closing()
		frames, ping, ok := m.send.next(closing)
		if !ok {
			return
		}
		if closing {
			// Flush what is queued unless the peer is slow, then say why we close.
			// Nothing more after a failed write; nothing queued to a slow peer.
			gone := m.code == websocket.CloseAbnormalClosure
			if !gone && (m.code == closeSlow || m.write(frames) == nil) {
				_ = m.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(m.code, m.reason), time.Now().Add(time.Second))
			}
			// The reader may be waiting for a frame: give the peer a second to
			// answer our close, then make its read fail so the reader ends.
			_ = m.conn.SetReadDeadline(time.Now().Add(time.Second))
			return
		}
		err := m.write(frames)
		if err == nil && ping {
			err = m.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait))
		}
		if err != nil {
			m.kick(websocket.CloseAbnormalClosure, "")
		}
	}
}

func (m *Member) write(frames [][]byte) error {
	for _, b := range frames {
		_ = m.conn.SetWriteDeadline(time.Now().Add(writeWait))
		if err := m.conn.WriteMessage(websocket.TextMessage, b); err != nil {
			return err
		}
	}
	return nil
}

// Serve takes over one upgraded connection: hello, welcome and replay on the
// caller's goroutine, then the requests on a reader goroutine of the hub's,
// and it returns as soon as the socket is handed over (or closed). The
// caller is fasthttp's hijack goroutine: returning frees the HTTP request
// that upgraded (with Server.KeepHijackedConns, internal/web), and the deep
// stack the join grew, so that an idle socket costs one small goroutine.
// From here on the hub owns the connection and closes it on every path.
func (h *Hub) Serve(ctx context.Context, conn Conn, interviewID int64, id Identity) {
	m := &Member{id: id, conn: conn, done: make(chan struct{}), limiter: rate.NewLimiter(ratePerSec, rateBurst)}
	m.send = newSendQueue(h.cfg.queueFor(id), &m.writers, m.drain)
	conn.SetReadLimit(MaxFrameBytes)
	_ = conn.SetReadDeadline(time.Now().Add(helloWait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(pongWait)) })

	if e := h.track(m); e != nil {
		if e == errShuttingDown {
			m.kick(websocket.CloseGoingAway, e.Message)
		} else {
			m.enqueue(errorFrame("", e))
			m.kick(closeTooMany, e.Message)
		}
		m.writers.Wait()
		_ = conn.Close()
		return
	}
	var r *Room
	reading := false
	defer func() {
		if !reading { // refused, or a panic on the way: close here
			h.end(m, r)
		}
	}()
	if r = h.admit(ctx, m, interviewID); r == nil {
		return
	}
	reading = true
	go h.read(ctx, r, m)
}

// admit waits for hello and joins the room; nil means the socket is being
// closed, saying why.
func (h *Hub) admit(ctx context.Context, m *Member, interviewID int64) *Room {
	lastSeq, ok := m.readHello()
	if !ok {
		return nil
	}
	r, err := h.join(ctx, interviewID, m, lastSeq)
	var refused *Error
	switch {
	case errors.As(err, &refused):
		m.enqueue(errorFrame("", refused))
		m.kick(closeRevoked, refused.Message)
		return nil
	case err != nil:
		h.log.Error("join room", slog.Int64("interview_id", interviewID), slog.Any("error", err))
		m.enqueue(errorFrame("", errf("internal", "could not join the room; try again")))
		m.kick(websocket.CloseInternalServerErr, "join failed")
		return nil
	}
	return r
}

// end closes a tracked socket: it leaves its room (r may be nil), says
// goodbye unless it already did, waits for the writer and closes the
// connection. Shutdown's wait (connsWG) covers all of it.
func (h *Hub) end(m *Member, r *Room) {
	if r != nil {
		r.leave(m)
	}
	h.untrack(m)
	m.kick(websocket.CloseNormalClosure, "")
	m.writers.Wait()
	_ = m.conn.Close()
	h.connsWG.Done()
}

// read is a joined socket's goroutine for the rest of its life. It starts
// with a fresh stack and, while idle, waits only a few calls deep, so the
// garbage collector keeps that stack small. A panic here is logged, not
// fatal: no one above it would recover.
func (h *Hub) read(ctx context.Context, r *Room, m *Member) {
	defer h.end(m, r)
	defer h.tasks.recover("websocket reader")
	_ = m.conn.SetReadDeadline(time.Now().Add(pongWait))
	for {
		_, b, err := m.conn.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				m.enqueue(errorFrame("", errf("too_large", "a frame may hold at most %d bytes", MaxFrameBytes)))
				m.kick(websocket.CloseMessageTooBig, "frame too large")
			}
			return
		}
		_ = m.conn.SetReadDeadline(time.Now().Add(pongWait))
		if m.closing() {
			return
		}
		req, derr := DecodeRequest(b)
		if !m.allow(req.ID) {
			continue
		}
		if derr != nil {
			m.enqueue(errorFrame(req.ID, derr))
			continue
		}
		r.handle(ctx, m, req)
	}
}

// helloData is the data of the first client frame.
type helloData struct {
	LastSeq int64 `json:"last_seq"`
}

// readHello waits for the first frame, which must be hello.
func (m *Member) readHello() (int64, bool) {
	for {
		_, b, err := m.conn.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				m.kick(websocket.CloseMessageTooBig, "frame too large")
			}
			return 0, false
		}
		req, derr := DecodeRequest(b)
		if !m.allow(req.ID) {
			continue
		}
		if derr == nil && req.Type != "hello" {
			derr = errf("hello_first", "the first message must be hello")
		}
		var hd helloData
		if derr == nil {
			derr = decodeData(req, &hd)
		}
		if derr == nil && hd.LastSeq < 0 {
			derr = errf("bad_request", "last_seq must not be negative")
		}
		if derr != nil {
			m.enqueue(errorFrame(req.ID, derr))
			continue
		}
		if req.ID != "" {
			m.enqueue(ackFrame(req.ID))
		}
		return hd.LastSeq, true
	}
}
