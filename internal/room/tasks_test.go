package room

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// A panic in background work is logged with its task's name and stack and
// taken down with nothing; close waits for running work and refuses new.
func TestTasksRecoverAndDrain(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), nil))
	ts := newTasks(log)
	ts.run("boom", func() { panic("kaboom") })
	release := make(chan struct{})
	finished := make(chan struct{})
	ts.goRun("slow", func() { <-release; close(finished) })
	closed := make(chan struct{})
	go func() { ts.close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("close returned while a task was running")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-closed
	<-finished
	ran := false
	ts.run("late", func() { ran = true })
	if ran {
		t.Fatal("a task ran after close")
	}
	mu.Lock()
	defer mu.Unlock()
	if out := buf.String(); !strings.Contains(out, "task=boom") || !strings.Contains(out, "kaboom") || !strings.Contains(out, "stack=") {
		t.Fatalf("the panic was not logged with its task and stack:\n%s", out)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
