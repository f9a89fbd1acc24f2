package room

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"

	"github.com/nats-io/nats.go"
)

// tasks tracks the hub's background work (room writers, expiry timers, gap
// repairs, draft flushes): each recovers from a panic and logs it, and
// shutdown waits for those running. Work started after shutdown is skipped.
type tasks struct {
	log    *slog.Logger
	mu     sync.Mutex
	n      int
	closed bool
	idle   *sync.Cond
}

func newTasks(log *slog.Logger) *tasks {
	t := &tasks{log: log}
	t.idle = sync.NewCond(&t.mu)
	return t
}

// run runs fn now, on the calling goroutine (a timer's), tracked.
func (t *tasks) run(name string, fn func()) {
	if t.begin() {
		t.do(name, fn)
	}
}

// goRun runs fn on a new goroutine, tracked from now on.
func (t *tasks) goRun(name string, fn func()) {
	if t.begin() {
		go t.do(name, fn)
	}
}

// begin counts a task unless the hub is shutting down.
func (t *tasks) begin() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.n++
	return true
}

// do runs a counted task, recovering from a panic, and counts it done.
func (t *tasks) do(name string, fn func()) {
	defer func() {
		t.mu.Lock()
		if t.n--; t.n == 0 {
			t.idle.Broadcast()
		}
		t.mu.Unlock()
	}()
	defer t.recover(name)
	fn()
}

// recover logs a panic with its stack instead of taking the process down.
func (t *tasks) recover(name string) {
	if p := recover(); p != nil {
		t.log.Error("panic in background task", slog.String("task", name), slog.String("panic", fmt.Sprint(p)), slog.String("stack", string(debug.Stack())))
	}
}

// close refuses new work and waits for what is running.
func (t *tasks) close() {
	t.mu.Lock()
	t.closed = true
	for t.n > 0 {
		t.idle.Wait()
	}
	t.mu.Unlock()
}

// safeMsg wraps a NATS callback: a panic there would kill the process.
func (h *Hub) safeMsg(name string, fn nats.MsgHandler) nats.MsgHandler {
	return func(msg *nats.Msg) {
		defer h.tasks.recover(name)
		fn(msg)
	}
}
