package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
)

// serve runs `ace serve` in-process on a free port with flags and returns
// its URL; it stops when the test ends.
func serve(t *testing.T, flags []string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	args := append(append([]string{"ace", "serve"}, flags...), "--addr", "127.0.0.1:0", "--log-level", "error")
	go func() {
		done <- newApp(strings.NewReader(""), pw).Run(ctx, args)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case l := <-lines:
		base, ok := strings.CutPrefix(l, "Ace is running at ")
		if !ok {
			t.Fatalf("first line %q", l)
		}
		return strings.TrimSuffix(base, "/")
	case <-time.After(30 * time.Second):
		t.Fatal("serve printed nothing within 30 s")
		return ""
	}
}

// TestCommandsCloseSocketsOfARunningServer: `ace user disable` and `ace
// token revoke` run in another process than the server, with no hub; the
// server still closes the account's open sockets within seconds.
func TestCommandsCloseSocketsOfARunningServer(t *testing.T) {
	for name, tg := range targets(t) {
		t.Run(name, func(t *testing.T) {
			cmd := func(stdin string, args ...string) string {
				t.Helper()
				out, err := run(t, stdin, append(append([]string{args[0], args[1]}, tg.flags...), args[2:]...)...)
				if err != nil {
					t.Fatalf("%v: %v\n%s", args, err, out)
				}
				return out
			}
			cmd("long enough password\n", "user", "add", "--email", "ivy@example.com", "--name", "Ivy", "--role", "interviewer")
			cmd("long enough password\n", "user", "add", "--email", "ada@example.com", "--name", "Ada", "--role", "admin")
			ivy := lastWord(cmd("", "token", "create", "--email", "ivy@example.com"))
			ada := lastWord(cmd("", "token", "create", "--email", "ada@example.com"))
			base := serve(t, tg.flags)

			req, _ := http.NewRequest("POST", base+"/api/v1/interviews", strings.NewReader(`{"title":"Screen"}`))
			req.Header.Set("Authorization", "Bearer "+ivy)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var iv struct{ ID int64 }
			_ = json.NewDecoder(res.Body).Decode(&iv)
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("create interview: %d", res.StatusCode)
			}

			t.Run("user disable", func(t *testing.T) {
				ws := dialRoom(t, base, iv.ID, ivy)
				cmd("", "user", "disable", "--email", "ivy@example.com")
				if code := closeCode(t, ws); code != 4003 {
					t.Fatalf("closed with %d, want 4003", code)
				}
				cmd("", "user", "enable", "--email", "ivy@example.com")
			})
			t.Run("token revoke", func(t *testing.T) {
				ws := dialRoom(t, base, iv.ID, ada)
				cmd("", "token", "revoke", "--email", "ada@example.com", "--all")
				if code := closeCode(t, ws); code != 4003 {
					t.Fatalf("closed with %d, want 4003", code)
				}
			})
		})
	}
}

// dialRoom opens an interview's room with a bearer token and waits for welcome.
func dialRoom(t *testing.T, base string, id int64, token string) *websocket.Conn {
	t.Helper()
	conn, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+fmt.Sprintf("/ws/interviews/%d", id),
		http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, res)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.WriteJSON(map[string]any{"type": "hello", "data": map[string]any{"last_seq": 0}}); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, b, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("before welcome: %v", err)
		}
		var f struct{ Type string }
		_ = json.Unmarshal(b, &f)
		if f.Type == "welcome" {
			return conn
		}
	}
}

// closeCode waits (at most 10 s) for the server to close the socket.
func closeCode(t *testing.T, conn *websocket.Conn) int {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if !errors.As(err, &ce) {
				t.Fatalf("the socket was not closed by the server: %v", err)
			}
			return ce.Code
		}
	}
}
