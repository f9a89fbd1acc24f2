package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fasthttp/websocket"
)

// inFrame is a server frame.
type inFrame struct {
	Type string          `json:"type"`
	ID   string          `json:"id"`
	Seq  int64           `json:"seq"`
	TS   string          `json:"ts"`
	Data json.RawMessage `json:"data"`
}

// client is one WebSocket connection of the load test.
type client struct {
	run   *runner
	room  *roomRun // nil for idle connections
	staff bool
	conn  *websocket.Conn
	wmu   sync.Mutex // one writer at a time (concurrent writes panic)

	participantID int64
	welcome       chan struct{}
	welcomed      atomic.Bool
	closing       atomic.Bool
	gone          atomic.Bool // the connection ended without us closing it
	done          chan struct{}

	mu        sync.Mutex
	lastSeq   int64
	pushed    map[int]int         // position → question.pushed frames received
	expired   map[int64]int       // timer id → timer.expired frames received
	deadlines map[int]int64       // position → deadline_ms of its running question timer
	current   int                 // position on screen
	version   int64               // the last draft version sent
	draftT0   map[int64]time.Time // version → when the draft was sent (for answer.saved)
	reqT0     map[string]time.Time
	nextReq   int
	openT0    map[int]time.Time // self-paced: position → when question.open was sent
	ownExp    chan int          // self-paced: positions whose own question timer expired
}

func newClient(r *runner, room *roomRun, staff bool) *client {
	return &client{run: r, room: room, staff: staff, welcome: make(chan struct{}), done: make(chan struct{}),
		pushed: map[int]int{}, expired: map[int64]int{}, deadlines: map[int]int64{}, draftT0: map[int64]time.Time{}, reqT0: map[string]time.Time{},
		openT0: map[int]time.Time{}, ownExp: make(chan int, 128)}
}

// dial connects to base's room interviewID with a bearer token, says hello
// and waits for the welcome.
func (c *client) dial(ctx context.Context, base string, interviewID int64, token string, bufSize int) error {
	d := websocket.Dialer{HandshakeTimeout: 20 * time.Second, ReadBufferSize: bufSize, WriteBufferSize: bufSize}
	u := "ws" + strings.TrimPrefix(base, "http") + fmt.Sprintf("/ws/interviews/%d", interviewID)
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	conn, res, err := d.DialContext(ctx, u, h)
	if err != nil {
		if res != nil {
			return fmt.Errorf("dial %s: %w (HTTP %d)", u, err, res.StatusCode)
		}
		return fmt.Errorf("dial %s: %w", u, err)
	}
	c.conn = conn
	go c.readLoop()
	if err := c.write([]byte(`{"type":"hello","data":{"last_seq":0}}`)); err != nil {
		conn.Close()
		return err
	}
	t := time.NewTimer(20 * time.Second)
	defer t.Stop()
	select {
	case <-c.welcome:
		return nil
	case <-c.done:
		return fmt.Errorf("dial %s: closed before the welcome", u)
	case <-t.C:
		c.close()
		return fmt.Errorf("dial %s: no welcome within 20s", u)
	case <-ctx.Done():
		c.close()
		return ctx.Err()
	}
}

func (c *client) write(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.conn.WriteMessage(websocket.TextMessage, b)
}

// send writes a client frame; a request with an id has its send time kept.
func (c *client) send(typ, id string, data any) error {
	m := map[string]any{"type": typ, "data": data}
	if id != "" {
		m["id"] = id
		c.mu.Lock()
		c.reqT0[id] = time.Now()
		c.mu.Unlock()
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := c.write(b); err != nil {
		c.run.countError("write failed")
		return err
	}
	return nil
}

// close ends the connection with a normal close frame.
func (c *client) close() {
	if c.conn == nil || !c.closing.CompareAndSwap(false, true) {
		return
	}
	c.wmu.Lock()
	_ = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	c.wmu.Unlock()
	select {
	case <-c.done:
	case <-time.After(2 * time.Second):
	}
	c.conn.Close()
}

func (c *client) readLoop() {
	defer close(c.done)
	for {
		_, b, err := c.conn.ReadMessage()
		if err != nil {
			if !c.closing.Load() {
				c.gone.Store(true)
				reason := "connection lost"
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					reason = fmt.Sprintf("closed by server %d %s", ce.Code, ce.Text)
				}
				c.run.disconnects.Add(1)
				c.run.countError("disconnect: " + reason)
			}
			return
		}
		at := time.Now()
		var f inFrame
		if err := json.Unmarshal(b, &f); err != nil {
			c.run.countError("undecodable frame")
			continue
		}
		c.handle(f, at)
	}
}

func (c *client) handle(f inFrame, at time.Time) {
	r := c.run
	if f.Seq > 0 {
		c.mu.Lock()
		switch {
		case f.Seq <= c.lastSeq:
			r.seqRepeats.Add(1)
		case c.staff && f.Seq != c.lastSeq+1:
			// Staff see every durable event: a jump is a gap.
			r.seqGaps.Add(1)
		}
		if f.Seq > c.lastSeq {
			c.lastSeq = f.Seq
		}
		c.mu.Unlock()
		if c.staff && c.room != nil {
			c.room.durable.Add(1)
			r.durableAtStaff.Add(1)
			r.lastDurable.Store(at.UnixNano())
		}
	}
	switch f.Type {
	case "welcome":
		var d struct {
			ParticipantID int64 `json:"participant_id"`
		}
		_ = json.Unmarshal(f.Data, &d)
		c.participantID = d.ParticipantID
		if c.welcomed.CompareAndSwap(false, true) {
			close(c.welcome)
		}
	case "ack":
		c.onAnswer(f.ID, "", at)
	case "error":
		var e struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal(f.Data, &e)
		c.onAnswer(f.ID, e.Code, at)
	case "question.pushed":
		if c.room == nil {
			return
		}
		var d struct {
			Position int `json:"position"`
		}
		_ = json.Unmarshal(f.Data, &d)
		c.mu.Lock()
		c.pushed[d.Position]++
		first := c.pushed[d.Position] == 1
		c.current = d.Position
		c.mu.Unlock()
		if !c.staff && first {
			r.pushedRecv.Add(1)
			if t0, ok := c.room.pushTime(d.Position); ok {
				r.pushRecv.add(ms(at.Sub(t0)))
			}
		}
	case "timer.started", "timer.resumed", "timer.extended":
		if c.room == nil {
			return
		}
		var d struct {
			TimerID     int64  `json:"timer_id"`
			Scope       string `json:"scope"`
			Position    int    `json:"position"`
			DeadlineMS  int64  `json:"deadline_ms"`
			CandidateID int64  `json:"candidate_id"`
		}
		_ = json.Unmarshal(f.Data, &d)
		if d.Scope != "question" {
			return
		}
		c.room.timerStarted(d.TimerID, d.Position, d.DeadlineMS, d.CandidateID)
		if c.staff && d.CandidateID != 0 {
			return // another candidate's own timer: not this console's deadline
		}
		c.mu.Lock()
		c.deadlines[d.Position] = d.DeadlineMS
		t0, opened := c.openT0[d.Position]
		delete(c.openT0, d.Position)
		c.mu.Unlock()
		if opened && f.Type == "timer.started" {
			// Self-paced: the candidate's open reached the database and came back.
			r.pushedRecv.Add(1)
			r.pushRecv.add(ms(at.Sub(t0)))
		}
	case "timer.expired":
		if c.room == nil {
			return
		}
		var d struct {
			TimerID     int64 `json:"timer_id"`
			Position    int   `json:"position"`
			CandidateID int64 `json:"candidate_id"`
		}
		_ = json.Unmarshal(f.Data, &d)
		if !c.staff && d.CandidateID != 0 && d.CandidateID == c.participantID {
			select {
			case c.ownExp <- d.Position:
			default:
			}
		}
		c.mu.Lock()
		c.expired[d.TimerID]++
		n := c.expired[d.TimerID]
		c.mu.Unlock()
		r.expiredRecv.Add(1)
		if deadline, ok := c.room.deadline(d.TimerID); ok && n == 1 {
			r.expiryLate.add(float64(at.UnixMicro()-deadline*1000) / 1000)
			if c.staff {
				// The event's ts is when the winning instance's expiry
				// transaction began: the server-side part of the lateness.
				if ts, err := time.Parse(time.RFC3339Nano, f.TS); err == nil {
					r.expiryCommitLate.add(float64(ts.UnixMicro()-deadline*1000) / 1000)
				}
			}
		}
		if c.staff && n == 1 {
			c.room.signal(d.Position)
		}
	case "answer.draft":
		if c.room == nil || !c.staff {
			return
		}
		var d struct {
			CandidateID int64 `json:"candidate_id"`
			Version     int64 `json:"version"`
		}
		_ = json.Unmarshal(f.Data, &d)
		r.draftsRecv.Add(1)
		if t0, ok := c.room.takeDraft(d.CandidateID, d.Version); ok {
			r.draftToStaff.add(ms(at.Sub(t0)))
		}
	case "answer.saved":
		var d struct {
			Version int64 `json:"version"`
		}
		_ = json.Unmarshal(f.Data, &d)
		r.draftsSaved.Add(1)
		c.mu.Lock()
		t0, ok := c.draftT0[d.Version]
		delete(c.draftT0, d.Version)
		c.mu.Unlock()
		if ok {
			r.draftSaved.add(ms(at.Sub(t0)))
		}
	case "chat.message":
		if c.room == nil || !c.staff {
			return
		}
		var d struct {
			Text string `json:"text"`
		}
		_ = json.Unmarshal(f.Data, &d)
		r.chatRecv.Add(1)
		if t0, ok := c.room.takeChat(d.Text); ok {
			r.chatToStaff.add(ms(at.Sub(t0)))
		}
	}
}

// onAnswer handles the ack (code "") or error of a request. Requests are
// named by their id's first letter: s(tart), p(ush), c(hat); errors with no
// id answer drafts, which are sent without one.
func (c *client) onAnswer(id, code string, at time.Time) {
	r := c.run
	if code != "" {
		switch {
		case id == "" && (code == "time_up" || code == "not_current"):
			// A draft that reached the server after the deadline: the race
			// every client has at the deadline, refused as the design says.
			r.draftsRefused.Add(1)
		default:
			r.countError("error frame: " + code)
		}
	}
	if id == "" {
		return
	}
	c.mu.Lock()
	t0, ok := c.reqT0[id]
	delete(c.reqT0, id)
	c.mu.Unlock()
	switch id[0] {
	case 's':
		if c.room != nil {
			c.room.started(code)
		}
	case 'p':
		if code == "" {
			r.pushesAcked.Add(1)
			if ok {
				r.pushAck.add(ms(at.Sub(t0)))
			}
		} else if c.room != nil {
			var pos int
			fmt.Sscanf(id, "p%d", &pos)
			c.room.pushFailed(pos)
		}
	case 'o':
		// question.open (self-paced): counted as the push it replaces.
		if code == "" {
			r.pushesAcked.Add(1)
			if ok {
				r.pushAck.add(ms(at.Sub(t0)))
			}
		}
	case 'c':
		if code != "" {
			r.chatFailed.Add(1)
		}
		if code == "" {
			r.chatAcked.Add(1)
			r.lastChatAck.Store(at.UnixNano())
			if ok {
				r.chatAck.add(ms(at.Sub(t0)))
			}
		}
	}
}

// draftText is the answer a candidate types, one slice of it per draft.
var draftText = strings.Repeat("A goroutine is multiplexed onto OS threads by the Go scheduler; ", 40)

// typeDrafts sends answer.draft at rate per second while the current
// question's timer runs, stopping 100 ms short of the deadline.
func (c *client) typeDrafts(ctx context.Context, rate float64, phase float64) {
	every := time.Duration(float64(time.Second) / rate)
	select {
	case <-ctx.Done():
		return
	case <-time.After(time.Duration(phase * float64(every))):
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if c.gone.Load() {
			return
		}
		c.mu.Lock()
		pos := c.current
		deadline := c.deadlines[pos]
		now := time.Now()
		typing := pos > 0 && deadline > 0 && now.UnixMilli() < deadline-100
		var v int64
		if typing {
			c.version++
			v = c.version
			c.draftT0[v] = now
		}
		c.mu.Unlock()
		if typing {
			n := min(len(draftText), 20+int(v)*7)
			c.room.putDraft(c.participantID, v, now)
			c.run.draftsSent.Add(1)
			_ = c.send("answer.draft", "", map[string]any{"text": draftText[:n], "version": v, "position": pos})
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// chat sends chat.send at rate per second: each is one durable event.
func (c *client) chat(ctx context.Context, rate float64, phase float64) {
	every := time.Duration(float64(time.Second) / rate)
	select {
	case <-ctx.Done():
		return
	case <-time.After(time.Duration(phase * float64(every))):
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for n := 1; ; n++ {
		if c.gone.Load() {
			return
		}
		text := fmt.Sprintf("load %d #%d", c.participantID, n)
		now := time.Now()
		c.room.putChat(text, now)
		c.run.chatSent.Add(1)
		_ = c.send("chat.send", fmt.Sprintf("c%d", n), map[string]any{"text": text})
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
