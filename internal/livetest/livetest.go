// Package livetest runs Ace instances in one test process, on a real
// PostgreSQL (or SQLite) and a real NATS server, and drives them with real
// WebSocket clients: the harness of the live-room tests.
package livetest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
	natsserver "github.com/nats-io/nats-server/v2/server"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/bus"
	"github.com/ace-interviews/ace/internal/config"
	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/server"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// Instance is one Ace server under test: one assembled in this process by
// server.New, exactly as `ace serve` assembles it, or (Remote) a server
// running elsewhere, of which the tests know only the URL.
type Instance struct {
	URL        string
	MetricsURL string // /metrics on the instance's own metrics listener, as --metrics-addr serves it
	Store      *store.Store
	Bus        *bus.Bus
	Hub        *room.Hub
	srv        *server.Instance
	remote     bool      // another process's server: nothing here to stop
	killOnce   sync.Once // Kill may be called from a test's goroutine and again by its cleanup
}

// Remote is a server running in another process, for the helpers that only
// need its URL (Dial, Join, API).
func Remote(url string) *Instance { return &Instance{URL: url, remote: true} }

// Cluster is several instances on one database and one NATS server.
type Cluster struct {
	t         testing.TB
	Instances []*Instance
	dsn       string
	ns        *natsserver.Server
	Store     *store.Store // a handle of the test's own on the shared database
	dbOnce    sync.Once
	db        *sql.DB // for QueryInt
}

// FastRooms are room settings that make tests quick.
var FastRooms = room.Config{SweepEvery: 100 * time.Millisecond, CheckEvery: 200 * time.Millisecond, GapWait: 50 * time.Millisecond,
	DraftFlush: 50 * time.Millisecond, UnsubscribeDelay: 200 * time.Millisecond}

// NATS starts a nats-server on a random local port for the test.
func NATS(t testing.TB) *natsserver.Server {
	t.Helper()
	ns, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: -1, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	t.Cleanup(ns.Shutdown)
	return ns
}

// NewCluster starts n instances on a fresh PostgreSQL database and a NATS
// server on a random port.
func NewCluster(t testing.TB, n int, rc room.Config) *Cluster {
	t.Helper()
	ns := NATS(t)
	c := &Cluster{t: t, dsn: storetest.NewPostgresDatabase(t), ns: ns}
	s, err := store.OpenPostgres(context.Background(), c.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.Store = s
	for range n {
		cfg := config.Default()
		cfg.DatabaseURL = c.dsn
		cfg.NATSURL = ns.ClientURL()
		c.Instances = append(c.Instances, c.start(cfg, rc))
	}
	return c
}

// NewEmbedded starts one instance on the embedded defaults: SQLite in a
// temporary directory and NATS in-process.
func NewEmbedded(t testing.TB, rc room.Config) *Cluster {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	c := &Cluster{t: t}
	in := c.start(cfg, rc)
	// The instance's own handle: SQLite has one writer connection per handle.
	c.Store = in.Store
	c.Instances = append(c.Instances, in)
	return c
}

// start assembles an instance through server.New, as `ace serve` does, on a
// random local port.
func (c *Cluster) start(cfg config.Config, rc room.Config) *Instance {
	t := c.t
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		w := &testWriter{t: t}
		// Registered before the instance's own cleanup, so it runs after it.
		t.Cleanup(w.stop)
		log = slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	cfg.Addr = "127.0.0.1:0"
	cfg.MetricsAddr = "127.0.0.1:0" // as --metrics-addr serves it
	srv, err := server.New(context.Background(), cfg, log, server.WithRooms(rc))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := srv.Serve(); err != nil && !errors.Is(err, server.ErrClosed) {
			t.Errorf("serve %s: %v", srv.URL, err)
		}
	}()
	in := &Instance{URL: srv.URL, MetricsURL: srv.MetricsURL, Store: srv.Store, Bus: srv.Bus, Hub: srv.Hub, srv: srv}
	t.Cleanup(func() { in.Kill() })
	return in
}

// testWriter sends an instance's log to its test's log while the test
// runs. A goroutine of the instance may still log after the test's last
// cleanup (Kill does not wait for every socket); t.Log then would race with
// the test's end, so the writer drops what comes after stop.
type testWriter struct {
	t    testing.TB
	mu   sync.Mutex
	over bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.over {
		w.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.over = true
}

// Kill stops an instance abruptly as far as the others can tell: NATS goes
// first, so nothing more is published; its sockets are told 1001 and not
// waited for; its timers never fire. Queued drafts are still written (the
// store closes last): internal/crashtest SIGKILLs a real process for the case
// where they are not.
//
// A second call waits for the first to finish: the test's cleanup then does
// not return, and the test end, while the instance is still logging to it.
func (in *Instance) Kill() {
	if in.remote {
		return
	}
	in.killOnce.Do(func() {
		in.Bus.Conn.Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_ = in.srv.Close(ctx)
	})
}

// Staff creates a staff account and returns its API token.
func (c *Cluster) Staff(email, role string) string {
	c.t.Helper()
	ctx := context.Background()
	u, err := c.Store.CreateUser(ctx, email, strings.Split(email, "@")[0], role, "not-a-login-hash")
	if err != nil {
		c.t.Fatal(err)
	}
	token, hash := auth.NewToken()
	if err := c.Store.CreateAPIToken(ctx, u.ID, hash); err != nil {
		c.t.Fatal(err)
	}
	return token
}

// QueryInt runs a query that returns one integer (a count, say) on the
// cluster's PostgreSQL database, for checks the API has no reader for.
func (c *Cluster) QueryInt(query string, args ...any) int64 {
	c.t.Helper()
	if c.dsn == "" {
		c.t.Fatal("QueryInt needs a PostgreSQL cluster (NewCluster)")
	}
	c.dbOnce.Do(func() {
		db, err := sql.Open("postgres", c.dsn)
		if err != nil {
			c.t.Fatal(err)
		}
		c.t.Cleanup(func() { db.Close() })
		c.db = db
	})
	var n int64
	if err := c.db.QueryRow(query, args...).Scan(&n); err != nil {
		c.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// Questions seeds the bank and returns the ids in order.
func (c *Cluster) Questions(qs ...bank.Question) []int64 {
	c.t.Helper()
	if _, err := c.Store.ImportQuestions(context.Background(), qs); err != nil {
		c.t.Fatal(err)
	}
	var ids []int64
	for _, q := range qs {
		got, _, err := c.Store.ListQuestions(context.Background(), store.QuestionFilter{Technology: q.Technology, Limit: 100})
		if err != nil {
			c.t.Fatal(err)
		}
		for _, g := range got {
			if g.Prompt == q.Prompt {
				ids = append(ids, g.ID)
			}
		}
	}
	return ids
}

// Created is the answer to POST /api/v1/interviews.
type Created struct {
	ID         int64  `json:"id"`
	ConsoleURL string `json:"console_url"`
	Candidates []struct {
		ID          int64  `json:"id"`
		Name        string `json:"name"`
		InviteURL   string `json:"invite_url"`
		InviteToken string `json:"invite_token"`
	} `json:"candidates"`
}

// API sends a JSON request with a bearer token and decodes the answer into out.
func API(t testing.TB, method, url, token string, body any, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, url, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, url, b, err)
		}
	}
	return res.StatusCode
}

// Frame is a server frame as a client sees it.
type Frame struct {
	Type string          `json:"type"`
	ID   string          `json:"id"`
	Seq  int64           `json:"seq"`
	TS   string          `json:"ts"`
	Data json.RawMessage `json:"data"`
	Raw  string          `json:"-"`
}

// Field decodes one field of the frame's data.
func (f Frame) Field(name string) any {
	var m map[string]any
	_ = json.Unmarshal(f.Data, &m)
	return m[name]
}

// Client is a WebSocket client that records every frame it receives.
type Client struct {
	t      testing.TB
	Conn   *websocket.Conn
	mu     sync.Mutex
	frames []Frame
	closed error
	signal chan struct{}
	nextID int
}

// Dial opens /ws/interviews/{id} on an instance with a bearer token.
func Dial(t testing.TB, in *Instance, interviewID int64, token string, header ...string) (*Client, *http.Response, error) {
	t.Helper()
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	url := "ws" + strings.TrimPrefix(in.URL, "http") + fmt.Sprintf("/ws/interviews/%d", interviewID)
	conn, res, err := websocket.DefaultDialer.Dial(url, h)
	if err != nil {
		return nil, res, err
	}
	c := &Client{t: t, Conn: conn, signal: make(chan struct{}, 1)}
	go c.readLoop()
	t.Cleanup(func() { conn.Close() })
	return c, res, nil
}

// Join dials and says hello with lastSeq, and waits for the welcome.
func Join(t testing.TB, in *Instance, interviewID int64, token string, lastSeq int64) *Client {
	t.Helper()
	c, res, err := Dial(t, in, interviewID, token)
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, status)
	}
	c.Send("hello", "", map[string]any{"last_seq": lastSeq})
	c.WaitType("welcome")
	return c
}

func (c *Client) readLoop() {
	for {
		_, b, err := c.Conn.ReadMessage()
		c.mu.Lock()
		if err != nil {
			c.closed = err
			c.mu.Unlock()
			c.notify()
			return
		}
		var f Frame
		if json.Unmarshal(b, &f) == nil {
			f.Raw = string(b)
			c.frames = append(c.frames, f)
		}
		c.mu.Unlock()
		c.notify()
	}
}

func (c *Client) notify() {
	select {
	case c.signal <- struct{}{}:
	default:
	}
}

// Send writes one client frame.
func (c *Client) Send(typ, id string, data any) {
	c.t.Helper()
	m := map[string]any{"type": typ}
	if id != "" {
		m["id"] = id
	}
	if data != nil {
		m["data"] = data
	}
	b, _ := json.Marshal(m)
	c.SendRaw(b)
}

// SendRaw writes bytes as one text frame.
func (c *Client) SendRaw(b []byte) {
	c.t.Helper()
	if err := c.Conn.WriteMessage(websocket.TextMessage, b); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// Request sends a frame with a fresh id and returns the ack or error for it.
func (c *Client) Request(typ string, data any) Frame {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := fmt.Sprintf("r%d", c.nextID)
	c.mu.Unlock()
	c.Send(typ, id, data)
	return c.WaitFor(typ+" answer", func(f Frame) bool { return (f.Type == "ack" || f.Type == "error") && f.ID == id })
}

// Ack sends a request and fails the test unless it is acknowledged.
func (c *Client) Ack(typ string, data any) {
	c.t.Helper()
	if f := c.Request(typ, data); f.Type != "ack" {
		c.t.Fatalf("%s: %s", typ, f.Raw)
	}
}

// ErrorCode sends a request and returns the error code it gets ("" for an ack).
func (c *Client) ErrorCode(typ string, data any) string {
	c.t.Helper()
	f := c.Request(typ, data)
	if f.Type == "ack" {
		return ""
	}
	var e struct{ Code string }
	_ = json.Unmarshal(f.Data, &e)
	return e.Code
}

// Deadline is how long a test waits for something asynchronous.
const Deadline = 15 * time.Second

// WaitFor polls the received frames until one matches, with a deadline.
func (c *Client) WaitFor(what string, match func(Frame) bool) Frame {
	c.t.Helper()
	end := time.Now().Add(Deadline)
	for {
		c.mu.Lock()
		for _, f := range c.frames {
			if match(f) {
				c.mu.Unlock()
				return f
			}
		}
		closed := c.closed
		c.mu.Unlock()
		if closed != nil {
			c.t.Fatalf("waiting for %s: connection closed: %v", what, closed)
		}
		left := time.Until(end)
		if left <= 0 {
			c.t.Fatalf("no %s within %s; got:\n%s", what, Deadline, c.Dump())
		}
		select {
		case <-c.signal:
		case <-time.After(left):
		}
	}
}

// WaitType waits for the first frame of a type.
func (c *Client) WaitType(typ string) Frame {
	c.t.Helper()
	return c.WaitFor(typ, func(f Frame) bool { return f.Type == typ })
}

// WaitSeq waits until a durable event with seq >= n has arrived.
func (c *Client) WaitSeq(n int64) {
	c.t.Helper()
	c.WaitFor(fmt.Sprintf("seq %d", n), func(f Frame) bool { return f.Seq >= n })
}

// WaitClosed waits for the server to close the connection and returns the error.
func (c *Client) WaitClosed() error {
	c.t.Helper()
	end := time.Now().Add(Deadline)
	for {
		c.mu.Lock()
		closed := c.closed
		c.mu.Unlock()
		if closed != nil {
			return closed
		}
		if time.Now().After(end) {
			c.t.Fatal("the connection was not closed")
		}
		select {
		case <-c.signal:
		case <-time.After(time.Until(end)):
		}
	}
}

// Frames returns a copy of what has arrived.
func (c *Client) Frames() []Frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Frame(nil), c.frames...)
}

// Seqs returns the seqs of the durable events received, in arrival order.
func (c *Client) Seqs() []int64 {
	var out []int64
	for _, f := range c.Frames() {
		if f.Seq != 0 {
			out = append(out, f.Seq)
		}
	}
	return out
}

// Count returns how many frames of a type arrived.
func (c *Client) Count(typ string) int {
	n := 0
	for _, f := range c.Frames() {
		if f.Type == typ {
			n++
		}
	}
	return n
}

// Dump renders the received frames for a failure message.
func (c *Client) Dump() string {
	var sb strings.Builder
	for _, f := range c.Frames() {
		raw := f.Raw
		if len(raw) > 300 {
			raw = raw[:300] + "…"
		}
		sb.WriteString(raw + "\n")
	}
	return sb.String()
}

// Eventually polls cond until it returns nil, failing after the deadline.
func Eventually(t testing.TB, what string, cond func() error) {
	t.Helper()
	end := time.Now().Add(Deadline)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
