package room_test

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/livetest"
)

// The hub keeps each socket after the upgrade handler has returned, and
// fasthttp no longer closes it (KeepHijackedConns): these tests check that
// every way a socket ends closes its TCP connection, untracks it and ends
// its reader goroutine, and that the identity read from the upgrade's
// Locals before the handler returned is the socket's.

// TestSocketEndsWhenClientDrops: a client that goes without a close frame
// leaves no socket behind; the others in the room are untouched.
func TestSocketEndsWhenClientDrops(t *testing.T) {
	c := livetest.NewEmbedded(t, livetest.FastRooms)
	in := c.Instances[0]
	tok, iv := interview(t, c, 2)
	staff := livetest.Join(t, in, iv.ID, tok, 0)
	wantWelcome(t, staff, "interviewer", "")
	cands := make([]*livetest.Client, 2)
	for i, cd := range iv.Candidates {
		cands[i] = livetest.Join(t, in, iv.ID, cd.InviteToken, 0)
		wantWelcome(t, cands[i], "candidate", cd.Name)
	}
	wantConnections(t, in, 3)
	_ = cands[0].Conn.UnderlyingConn().Close()
	wantConnections(t, in, 2)
	livetest.Eventually(t, "the dropped socket's reader gone", func() error {
		if n := readers(); n != 2 {
			return fmt.Errorf("%d goroutines in room.(*Hub).read, want 2", n)
		}
		return nil
	})
	staff.Ack("chat.send", map[string]any{"text": "still here"})
	cands[1].WaitType("chat.message")
}

// TestSocketClosedOnRevoke: a revoked candidate's socket gets 4001 and then
// its TCP connection is closed by the server.
func TestSocketClosedOnRevoke(t *testing.T) {
	c := livetest.NewEmbedded(t, livetest.FastRooms)
	in := c.Instances[0]
	tok, iv := interview(t, c, 1)
	staff := livetest.Join(t, in, iv.ID, tok, 0)
	cand := livetest.Join(t, in, iv.ID, iv.Candidates[0].InviteToken, 0)
	wantConnections(t, in, 2)
	revoke(t, in, tok, iv.ID, iv.Candidates[0].ID)
	wantCloseCode(t, cand, 4001)
	wantTCPClosed(t, cand)
	wantConnections(t, in, 1)
	staff.Ack("chat.send", map[string]any{"text": "still here"})
}

// TestSocketClosedWhenRefusedAtHello: a socket refused before it joined
// (its invite revoked between the upgrade and hello) is closed too.
func TestSocketClosedWhenRefusedAtHello(t *testing.T) {
	c := livetest.NewEmbedded(t, livetest.FastRooms)
	in := c.Instances[0]
	tok, iv := interview(t, c, 1)
	cl, _, err := livetest.Dial(t, in, iv.ID, iv.Candidates[0].InviteToken)
	if err != nil {
		t.Fatal(err)
	}
	wantConnections(t, in, 1)
	revoke(t, in, tok, iv.ID, iv.Candidates[0].ID)
	cl.Send("hello", "", map[string]any{"last_seq": 0})
	wantCloseCode(t, cl, 4001)
	wantTCPClosed(t, cl)
	wantConnections(t, in, 0)
}

// TestShutdownClosesEverySocket: on shutdown a joined socket and one that
// has not said hello yet are both told 1001 and closed, and no reader
// goroutine is left.
func TestShutdownClosesEverySocket(t *testing.T) {
	c := livetest.NewEmbedded(t, livetest.FastRooms)
	in := c.Instances[0]
	tok, iv := interview(t, c, 1)
	staff := livetest.Join(t, in, iv.ID, tok, 0)
	quiet, _, err := livetest.Dial(t, in, iv.ID, iv.Candidates[0].InviteToken)
	if err != nil {
		t.Fatal(err)
	}
	wantConnections(t, in, 2)
	in.Kill()
	for _, cl := range []*livetest.Client{staff, quiet} {
		wantCloseCode(t, cl, websocket.CloseGoingAway)
		wantTCPClosed(t, cl)
	}
	wantConnections(t, in, 0)
	livetest.Eventually(t, "no socket reader goroutine left", func() error {
		if n := readers(); n > 0 {
			return fmt.Errorf("%d goroutines in room.(*Hub).read", n)
		}
		return nil
	})
}

func revoke(t *testing.T, in *livetest.Instance, tok string, interviewID, candidateID int64) {
	t.Helper()
	if st := livetest.API(t, "DELETE", fmt.Sprintf("%s/api/v1/interviews/%d/candidates/%d/invite", in.URL, interviewID, candidateID), tok, nil, nil); st != 204 {
		t.Fatalf("revoke: %d", st)
	}
}

func wantWelcome(t *testing.T, cl *livetest.Client, role, name string) {
	t.Helper()
	w := cl.WaitType("welcome")
	if w.Field("role") != role || (name != "" && w.Field("name") != name) || w.Field("participant_id") == nil {
		t.Fatalf("welcome %s, want role %s name %q", w.Raw, role, name)
	}
}

func wantConnections(t *testing.T, in *livetest.Instance, n int) {
	t.Helper()
	livetest.Eventually(t, fmt.Sprintf("%d connections", n), func() error {
		if got := in.Hub.Connections(); got != n {
			return fmt.Errorf("%d connections", got)
		}
		return nil
	})
}

func wantCloseCode(t *testing.T, cl *livetest.Client, code int) {
	t.Helper()
	var ce *websocket.CloseError
	if err := cl.WaitClosed(); !errors.As(err, &ce) || ce.Code != code {
		t.Fatalf("closed with %v, want close %d", err, code)
	}
}

// wantTCPClosed reads the raw connection after the close frame: the server
// must end it (EOF or a reset), not leave it open.
func wantTCPClosed(t *testing.T, cl *livetest.Client) {
	t.Helper()
	nc := cl.Conn.UnderlyingConn()
	_ = nc.SetReadDeadline(time.Now().Add(livetest.Deadline))
	buf := make([]byte, 256)
	for {
		_, err := nc.Read(buf)
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatal("the server left the TCP connection open")
		}
		return
	}
}

// readers counts the goroutines serving a joined socket, in every hub of
// the test binary.
func readers() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "room.(*Hub).read(")
		}
		buf = make([]byte, 2*len(buf))
	}
}
