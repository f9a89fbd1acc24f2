package loadtest_test

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/loadtest"
	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// TestProfileLoad runs a bigger load against two in-process instances with
// the production room settings, for a CPU profile of the servers and the
// clients in one process:
//
//	ACE_LOADTEST_PROFILE=1 go test -run ProfileLoad -cpuprofile cpu.out ./internal/loadtest
//
// ACE_LOADTEST_ROOMS, _CANDIDATES, _DRAFTS (per second), _CHAT, _TIMER,
// _PUSHES, _IDLE tune it; ACE_LOADTEST_HEAP=file writes a heap profile
// while the idle connections are open.
func TestProfileLoad(t *testing.T) {
	if os.Getenv("ACE_LOADTEST_PROFILE") == "" {
		t.Skip("set ACE_LOADTEST_PROFILE=1 to run")
	}
	c := livetest.NewCluster(t, 2, room.Config{})
	token := c.Staff("load@example.com", store.RoleInterviewer)
	ids := c.Questions(bank.Question{Technology: "Go", Level: bank.Intermediate, Prompt: "What is a goroutine?", Answer: "A lightweight thread.", TimeLimitS: 60})
	cfg := loadtest.Config{
		URLs:        []string{c.Instances[0].URL, c.Instances[1].URL},
		Token:       token,
		Rooms:       envInt("ACE_LOADTEST_ROOMS", 200),
		Candidates:  envInt("ACE_LOADTEST_CANDIDATES", 1),
		DraftRate:   float64(envInt("ACE_LOADTEST_DRAFTS", 5)),
		ChatRate:    float64(envInt("ACE_LOADTEST_CHAT", 0)),
		TimerS:      envInt("ACE_LOADTEST_TIMER", 10),
		Pushes:      envInt("ACE_LOADTEST_PUSHES", 2),
		Idle:        envInt("ACE_LOADTEST_IDLE", 0),
		ServerPID:   os.Getpid(),
		MetricsURL:  c.Instances[0].MetricsURL,
		QuestionID:  ids[0],
		NATSURL:     "nats://127.0.0.1:4222",
		DatabaseURL: storetest.PostgresURL(),
	}
	if path := os.Getenv("ACE_LOADTEST_HEAP"); path != "" {
		// A heap profile while the idle connections are open: what one
		// connection costs, by allocation site.
		cfg.OnIdle = func() {
			runtime.GC()
			f, err := os.Create(path)
			if err != nil {
				t.Error(err)
				return
			}
			defer f.Close()
			if err := pprof.WriteHeapProfile(f); err != nil {
				t.Error(err)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rep, err := loadtest.Run(ctx, cfg, os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	if n := rep.ExpiryFailures(); n != 0 {
		t.Fatalf("%d missed or duplicate expiries", n)
	}
}
