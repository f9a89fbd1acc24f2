package room_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/store"
)

func interview(t *testing.T, c *livetest.Cluster, candidates int) (string, livetest.Created) {
	t.Helper()
	tok := c.Staff("ivy@example.com", store.RoleInterviewer)
	ids := c.Questions(bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "What is a slice?", Answer: "A view of an array.", TimeLimitS: 60})
	var cands []map[string]string
	for i := range candidates {
		cands = append(cands, map[string]string{"name": fmt.Sprintf("Cand %d", i)})
	}
	var created livetest.Created
	if st := livetest.API(t, "POST", c.Instances[0].URL+"/api/v1/interviews", tok, map[string]any{
		"title": "t", "questions": []map[string]any{{"question_id": ids[0]}}, "candidates": cands}, &created); st != 201 {
		t.Fatalf("create: %d", st)
	}
	return tok, created
}

func TestPanicInHandlerKeepsServing(t *testing.T) {
	c := livetest.NewEmbedded(t, livetest.FastRooms)
	tok, iv := interview(t, c, 1)
	staff := livetest.Join(t, c.Instances[0], iv.ID, tok, 0)
	if code := staff.ErrorCode("test.panic", nil); code != "internal" {
		t.Fatalf("panicking handler answered %q, want internal", code)
	}
	staff.Ack("chat.send", map[string]any{"text": "still here"})
	other := livetest.Join(t, c.Instances[0], iv.ID, iv.Candidates[0].InviteToken, 0)
	other.WaitType("chat.message")
}

// TestSlowClientIsDisconnected: a socket that stops reading is closed with
// 4008 once its queue fills, and the room goes on for everyone else.
func TestSlowClientIsDisconnected(t *testing.T) {
	cfg := livetest.FastRooms
	cfg.SendQueueBytes = 256 << 10
	c := livetest.NewEmbedded(t, cfg)
	in := c.Instances[0]
	// Drafts of one answer replace each other in a slow queue (the latest
	// text is what counts), so eight candidates type at once to fill it.
	tok, iv := interview(t, c, 8)
	url := "ws" + strings.TrimPrefix(in.URL, "http") + fmt.Sprintf("/ws/interviews/%d", iv.ID)
	// A tiny kernel receive buffer: the server's writes back up quickly once we stop reading.
	dialer := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		// Set before connecting, which also turns off receive-buffer autotuning.
		d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			return rc.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		}}
		return d.DialContext(ctx, network, addr)
	}}
	slow, _, err := dialer.Dial(url, http.Header{"Authorization": {"Bearer " + tok}})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	if err := slow.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","data":{"last_seq":0}}`)); err != nil {
		t.Fatal(err)
	}
	staff := livetest.Join(t, in, iv.ID, tok, 0)
	var cands []*livetest.Client
	for _, c := range iv.Candidates {
		cands = append(cands, livetest.Join(t, in, iv.ID, c.InviteToken, 0))
	}
	cand := cands[0]
	staff.Ack("interview.start", nil)
	staff.Ack("question.push", map[string]any{"position": 1, "time_limit_s": 600})
	// Only the slow socket listens during the flood: a reading interviewer
	// on a saturated machine can lag past the same small bound and be
	// closed too. Another joins afterwards to show the room goes on.
	_ = staff.Conn.Close()
	big := strings.Repeat("x", 40000)
	// Drafts of 40 KB reach every interviewer; the slow one never reads.
	livetest.Eventually(t, "the slow socket is closed", func() error {
		for i := range 3 {
			for _, c := range cands {
				if f := c.Request("answer.draft", map[string]any{"text": big, "version": time.Now().UnixNano() + int64(i)}); f.Type != "ack" {
					t.Logf("draft: %s", f.Raw)
				}
			}
		}
		if in.Hub.Connections() == len(cands) {
			return nil
		}
		return fmt.Errorf("%d connections", in.Hub.Connections())
	})
	// The closing frame carries the reason once we read what was sent.
	_ = slow.SetReadDeadline(time.Now().Add(livetest.Deadline))
	var closeErr error
	for closeErr == nil {
		_, _, closeErr = slow.ReadMessage()
	}
	if ce, ok := closeErr.(*websocket.CloseError); !ok || ce.Code != 4008 {
		t.Fatalf("slow client closed with %v, want close 4008", closeErr)
	}
	staff = livetest.Join(t, in, iv.ID, tok, 0)
	staff.Ack("chat.send", map[string]any{"text": "the room goes on"})
	cand.WaitFor("chat", func(f livetest.Frame) bool { return f.Type == "chat.message" })
}

// TestRoomUnsubscribesWhenEmpty: an instance keeps a room's subscription
// only while it has members there.
func TestRoomUnsubscribesWhenEmpty(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	tok, iv := interview(t, c, 1)
	a, b := c.Instances[0], c.Instances[1]
	staff := livetest.Join(t, a, iv.ID, tok, 0)
	cand := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	if a.Hub.Rooms() != 1 || b.Hub.Rooms() != 1 {
		t.Fatalf("rooms: a=%d b=%d", a.Hub.Rooms(), b.Hub.Rooms())
	}
	cand.Conn.Close()
	livetest.Eventually(t, "b drops the room", func() error {
		if n := b.Hub.Rooms(); n != 0 {
			return fmt.Errorf("b has %d rooms", n)
		}
		return nil
	})
	if a.Hub.Rooms() != 1 {
		t.Fatal("a dropped a room that still has a member")
	}
	staff.Ack("chat.send", map[string]any{"text": "anyone?"})
	back := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	back.WaitType("chat.message")
}

// TestShutdownClosesWith1001: a stopping instance tells clients to reconnect.
func TestShutdownClosesWith1001(t *testing.T) {
	c := livetest.NewEmbedded(t, livetest.FastRooms)
	tok, iv := interview(t, c, 0)
	staff := livetest.Join(t, c.Instances[0], iv.ID, tok, 0)
	go c.Instances[0].Kill()
	err := staff.WaitClosed()
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != 1001 {
		t.Fatalf("closed with %v, want 1001", err)
	}
}
