package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fasthttp/websocket"
)

// StormConfig is a reconnect storm: one room's candidates all drop at once
// (as after a deploy) while the room goes on, then all reconnect at once and
// must each be resumed with exactly the durable events they missed.
type StormConfig struct {
	URLs       []string // the interviewer on URLs[0], the candidates spread over all
	Token      string
	Candidates int // at most 200
	Missed     int // durable events the interviewer sends while the candidates are away
	QuestionID int64
}

// StormReport is what the storm measured.
type StormReport struct {
	Candidates int
	Missed     int
	// Upgraded is reconnect (dial) → the WebSocket upgraded; Welcome is
	// reconnect → welcome; CaughtUp is reconnect → the last missed event
	// received, per candidate; All is reconnect → every candidate caught up.
	Upgraded, Welcome, CaughtUp Summary
	All                         time.Duration
	Exact                       int // candidates resumed with exactly the missed seqs, in order
	Wrong                       []string
}

// stormClient is a bare candidate socket recording durable seqs.
type stormClient struct {
	conn     *websocket.Conn
	wmu      sync.Mutex
	mu       sync.Mutex
	seqs     []int64
	welcome  time.Time
	last     time.Time
	me       int64
	question bool // a question is on screen
	errs     int
	closed   chan struct{}
	upgraded time.Time // when the dial returned
}

func (c *stormClient) write(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.conn.WriteMessage(websocket.TextMessage, b)
}

func (c *stormClient) errors() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.errs
}

// waitQuestion waits until a question is on screen and returns the
// candidate's participant id.
func (c *stormClient) waitQuestion(ctx context.Context) (string, error) {
	ok := waitFor(ctx, 10*time.Minute, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.question
	})
	if !ok {
		return "", fmt.Errorf("no question was pushed")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprint(c.me), nil
}

func stormDial(ctx context.Context, base string, interviewID int64, token string, lastSeq int64) (*stormClient, error) {
	d := websocket.Dialer{HandshakeTimeout: 20 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024}
	u := "ws" + strings.TrimPrefix(base, "http") + fmt.Sprintf("/ws/interviews/%d", interviewID)
	conn, res, err := d.DialContext(ctx, u, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		if res != nil {
			return nil, fmt.Errorf("dial: %w (HTTP %d)", err, res.StatusCode)
		}
		return nil, fmt.Errorf("dial: %w", err)
	}
	c := &stormClient{conn: conn, closed: make(chan struct{}), upgraded: time.Now()}
	go func() {
		defer close(c.closed)
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				return
			}
			var f inFrame
			if json.Unmarshal(b, &f) != nil {
				continue
			}
			now := time.Now()
			c.mu.Lock()
			switch {
			case f.Type == "welcome":
				c.welcome = now
				var w struct {
					ParticipantID int64           `json:"participant_id"`
					Question      json.RawMessage `json:"question"`
				}
				if json.Unmarshal(f.Data, &w) == nil {
					c.me = w.ParticipantID
					c.question = len(w.Question) > 0 && string(w.Question) != "null"
				}
			case f.Type == "error":
				c.errs++
			case f.Seq > 0:
				if f.Type == "question.pushed" {
					c.question = true
				}
				c.seqs = append(c.seqs, f.Seq)
				c.last = now
			}
			c.mu.Unlock()
		}
	}()
	hello := fmt.Sprintf(`{"type":"hello","data":{"last_seq":%d}}`, lastSeq)
	if err := c.write([]byte(hello)); err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

func (c *stormClient) snapshot() ([]int64, time.Time, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]int64(nil), c.seqs...), c.welcome, c.last
}

func (c *stormClient) close() {
	_ = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	select {
	case <-c.closed:
	case <-time.After(2 * time.Second):
	}
	c.conn.Close()
}

// waitFor polls cond every 5 ms until it holds or the deadline passes.
func waitFor(ctx context.Context, d time.Duration, cond func() bool) bool {
	end := time.Now().Add(d)
	for !cond() {
		if time.Now().After(end) || ctx.Err() != nil {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

// Storm runs a reconnect storm and reports how long the candidates took to
// be whole again and whether each got exactly what it missed.
func Storm(ctx context.Context, cfg StormConfig, out io.Writer) (StormReport, error) {
	rep := StormReport{Candidates: cfg.Candidates, Missed: cfg.Missed}
	if len(cfg.URLs) == 0 || cfg.Token == "" || cfg.Candidates < 1 || cfg.Candidates > 200 || cfg.Missed < 1 {
		return rep, fmt.Errorf("loadtest storm: need --url, --token, 1-200 --candidates and --missed >= 1")
	}
	for i, u := range cfg.URLs {
		cfg.URLs[i] = strings.TrimRight(u, "/")
	}
	qid := cfg.QuestionID
	if qid == 0 {
		var err error
		if qid, err = pickQuestion(ctx, cfg.URLs[0], cfg.Token); err != nil {
			return rep, err
		}
	}
	iv, err := createInterview(ctx, cfg.URLs[0], cfg.Token, "reconnect storm", qid, 1, 3600, cfg.Candidates)
	if err != nil {
		return rep, err
	}
	staff, err := stormDial(ctx, cfg.URLs[0], iv.ID, cfg.Token, 0)
	if err != nil {
		return rep, err
	}
	defer staff.close()
	send := func(id string, typ string, data any) error {
		b, _ := json.Marshal(map[string]any{"type": typ, "id": id, "data": data})
		return staff.write(b)
	}
	base := func(i int) string { return cfg.URLs[(i+1)%len(cfg.URLs)] }
	cands := make([]*stormClient, cfg.Candidates)
	for i, c := range iv.Candidates {
		if cands[i], err = stormDial(ctx, base(i), iv.ID, c.InviteToken, 0); err != nil {
			return rep, fmt.Errorf("candidate %d: %w", i, err)
		}
	}
	_ = send("start", "interview.start", map[string]any{})
	_ = send("push", "question.push", map[string]any{"position": 1})
	// Everyone has seen the push (and the timer): that is their last_seq.
	lastOf := func(c *stormClient) int64 {
		seqs, _, _ := c.snapshot()
		if len(seqs) == 0 {
			return 0
		}
		return seqs[len(seqs)-1]
	}
	if !waitFor(ctx, 20*time.Second, func() bool {
		for _, c := range cands {
			if lastOf(c) < 3 { // interview.started, question.pushed, timer.started
				return false
			}
		}
		return true
	}) {
		return rep, fmt.Errorf("loadtest storm: candidates did not receive the push")
	}
	last := make([]int64, len(cands))
	for i, c := range cands {
		last[i] = lastOf(c)
		c.close()
	}
	// The room goes on without them: chat is durable and reaches everyone.
	staffBefore := lastOf(staff)
	for i := range cfg.Missed {
		if err := send(fmt.Sprintf("m%d", i), "chat.send", map[string]any{"text": fmt.Sprintf("while you were away %d", i)}); err != nil {
			return rep, err
		}
		if (i+1)%25 == 0 {
			time.Sleep(time.Second) // the server's rate limit: 30 messages/s per socket
		}
	}
	want := staffBefore + int64(cfg.Missed)
	if !waitFor(ctx, 60*time.Second, func() bool { return lastOf(staff) >= want }) {
		return rep, fmt.Errorf("loadtest storm: the interviewer's chat was not all stored")
	}
	fmt.Fprintf(out, "storm: %d candidates away while %d events were stored; reconnecting all at once\n", cfg.Candidates, cfg.Missed)

	t0 := time.Now()
	again := make([]*stormClient, len(cands))
	var wg sync.WaitGroup
	errs := make([]error, len(cands))
	for i, c := range iv.Candidates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			again[i], errs[i] = stormDial(ctx, base(i), iv.ID, c.InviteToken, last[i])
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return rep, fmt.Errorf("reconnect %d: %w", i, err)
		}
	}
	caughtUp := func(i int) bool {
		seqs, _, _ := again[i].snapshot()
		return len(seqs) > 0 && seqs[len(seqs)-1] >= want
	}
	waitFor(ctx, 60*time.Second, func() bool {
		for i := range again {
			if !caughtUp(i) {
				return false
			}
		}
		return true
	})
	rep.All = time.Since(t0)
	var upgraded, welcome, done recorder
	for i, c := range again {
		upgraded.add(ms(c.upgraded.Sub(t0)))
		seqs, w, l := c.snapshot()
		if !w.IsZero() {
			welcome.add(ms(w.Sub(t0)))
		}
		if caughtUp(i) {
			done.add(ms(l.Sub(t0)))
		}
		exact := len(seqs) == cfg.Missed
		for k, s := range seqs {
			if s != last[i]+int64(k)+1 {
				exact = false
			}
		}
		if exact {
			rep.Exact++
		} else if len(rep.Wrong) < 5 {
			rep.Wrong = append(rep.Wrong, fmt.Sprintf("candidate %d (last_seq %d): got %d seqs %v…", i, last[i], len(seqs), seqs[:min(len(seqs), 5)]))
		}
		c.close()
	}
	rep.Upgraded, rep.Welcome, rep.CaughtUp = upgraded.summary(), welcome.summary(), done.summary()
	return rep, nil
}

// Print writes the storm's report.
func (r StormReport) Print(w io.Writer) {
	fmt.Fprintf(w, "\n=== reconnect storm ===\n%d candidates reconnecting at once, %d durable events missed each\n", r.Candidates, r.Missed)
	fmt.Fprintf(w, "reconnect → upgraded, ms:  p50 %.1f  p99 %.1f  max %.1f (n %d)\n", r.Upgraded.P50, r.Upgraded.P99, r.Upgraded.Max, r.Upgraded.N)
	fmt.Fprintf(w, "reconnect → welcome, ms:   p50 %.1f  p99 %.1f  max %.1f (n %d)\n", r.Welcome.P50, r.Welcome.P99, r.Welcome.Max, r.Welcome.N)
	fmt.Fprintf(w, "reconnect → caught up, ms: p50 %.1f  p99 %.1f  max %.1f (n %d)\n", r.CaughtUp.P50, r.CaughtUp.P99, r.CaughtUp.Max, r.CaughtUp.N)
	fmt.Fprintf(w, "all %d caught up in %s\n", r.Candidates, r.All.Round(time.Millisecond))
	fmt.Fprintf(w, "resumed with exactly the missed events, in order: %d of %d\n", r.Exact, r.Candidates)
	for _, s := range r.Wrong {
		fmt.Fprintf(w, "  WRONG: %s\n", s)
	}
}
