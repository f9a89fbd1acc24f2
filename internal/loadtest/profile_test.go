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

// BenchmarkProfileLoad runs a bigger load against two in-process instances
// with the production room settings, for a CPU profile of the servers and
// the clients in one process. A benchmark, so plain go test compiles it and
// never runs it (nor reports it skipped):
//
//	go test -run '^$' -bench ProfileLoad -benchtime 1x -cpuprofile cpu.out ./internal/loadtest
//
// ACE_LOADTEST_ROOMS, _CANDIDATES, _DRAFTS (per second), _CHAT, _TIMER,
// _PUSHES, _IDLE tune it; ACE_LOADTEST_HEAP=file writes a heap profile
// while the idle connections are open.
func BenchmarkProfileLoad(b *testing.B) {
	c := livetest.NewCluster(b, 2, room.Config{})
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
				b.Error(err)
				return
			}
			defer f.Close()
			if err := pprof.WriteHeapProfile(f); err != nil {
				b.Error(err)
			}
		}
	}
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		rep, err := loadtest.Run(ctx, cfg, os.Stdout)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		if n := rep.ExpiryFailures(); n != 0 {
			b.Fatalf("%d missed or duplicate expiries", n)
		}
	}
}
