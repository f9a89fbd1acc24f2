package loadtest_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/loadtest"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// TestTinyLoad runs 2 rooms × 2 candidates, one push of a 1 s timer, across
// two in-process instances on PostgreSQL and NATS.
func TestTinyLoad(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	token := c.Staff("load@example.com", store.RoleInterviewer)
	ids := c.Questions(bank.Question{Technology: "Go", Level: bank.Intermediate, Prompt: "What is a goroutine?", Answer: "A lightweight thread.", TimeLimitS: 60})
	cfg := loadtest.Config{
		URLs:         []string{c.Instances[0].URL, c.Instances[1].URL},
		Token:        token,
		Rooms:        2,
		Candidates:   2,
		DraftRate:    5,
		ChatRate:     2,
		TimerS:       1,
		Pushes:       1,
		Duration:     3 * time.Second,
		Idle:         20,
		QuestionID:   ids[0],
		ServerPID:    os.Getpid(), // the instances run in this process
		MetricsURL:   c.Instances[0].MetricsURL,
		NATSURL:      "nats://127.0.0.1:4222",
		DatabaseURL:  storetest.PostgresURL(),
		FloorSamples: 100,
		// Sampled through the 3 s of pushing: about 150 of each.
		LoadedFloorRate: 50,
		Grace:           3 * time.Second,
	}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := loadtest.Run(ctx, cfg, &out)
	if testing.Verbose() || t.Failed() {
		os.Stdout.Write(out.Bytes())
	}
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if n := rep.ExpiryFailures(); n != 0 {
		t.Fatalf("%d missed or duplicate expiries\n%s", n, out.String())
	}
	// 2 rooms × 1 push: 2 timers; each seen expire by 1 interviewer + 2 candidates.
	if rep.Timers != 2 || rep.ExpiryDeliveries != 6 || rep.TranscriptExpiredOnce != 2 {
		t.Fatalf("timers %d, deliveries %d, transcript once %d\n%s", rep.Timers, rep.ExpiryDeliveries, rep.TranscriptExpiredOnce, out.String())
	}
	if rep.PushRecv.N != 4 || rep.PushDeliveries != 4 {
		t.Fatalf("push→receive samples %d, deliveries %d, want 4\n%s", rep.PushRecv.N, rep.PushDeliveries, out.String())
	}
	for name, s := range map[string]loadtest.Summary{"push→receive": rep.PushRecv, "expiry lateness": rep.ExpiryLate,
		"draft→interviewer": rep.DraftToStaff, "chat ack": rep.ChatAck, "NATS floor": rep.Floors.NATS, "PG floor": rep.Floors.Commit(),
		"NATS floor under the load": rep.Floors.Loaded.NATS, "PG floor under the load": rep.Floors.Loaded.PG} {
		if s.N == 0 || math.IsNaN(s.P99) || s.P99 < 0 {
			t.Errorf("%s was not measured: %+v", name, s)
		}
	}
	if rep.ExpiryLate.P99 > 2000 {
		t.Errorf("expiry lateness p99 %.1f ms", rep.ExpiryLate.P99)
	}
	if rep.Disconnects != 0 || rep.SeqGaps != 0 || rep.SeqRepeats != 0 {
		t.Errorf("disconnects %d, seq gaps %d, repeats %d", rep.Disconnects, rep.SeqGaps, rep.SeqRepeats)
	}
	if rep.Idle == nil || rep.Idle.Opened != 20 || rep.Idle.After.RSS == 0 || rep.Idle.After.ProcRSS == 0 {
		t.Errorf("idle: %+v", rep.Idle)
	}
	if rep.Floors.Loaded.Error != "" {
		t.Errorf("loaded floors: %s", rep.Floors.Loaded.Error)
	}
	for _, want := range []string{"push→receive", "Floors", "Floors under the load", "the floor under the load", "EXPIRY CHECK: PASS", "per conn"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// TestTinySelfPacedLoad: 2 self-paced rooms × 2 candidates, each candidate
// opening 2 questions of 1 s in turn, across two instances.
func TestTinySelfPacedLoad(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	token := c.Staff("load@example.com", store.RoleInterviewer)
	ids := c.Questions(bank.Question{Technology: "Go", Level: bank.Intermediate, Prompt: "What is a channel?", Answer: "A typed conduit.", TimeLimitS: 60})
	cfg := loadtest.Config{
		URLs: []string{c.Instances[0].URL, c.Instances[1].URL}, Token: token, Rooms: 2, Candidates: 2, DraftRate: 5,
		TimerS: 1, Pushes: 2, Pacing: "self_paced", Duration: 10 * time.Second, QuestionID: ids[0],
		NATSURL: "nats://127.0.0.1:4222", DatabaseURL: storetest.PostgresURL(), FloorSamples: 50, Grace: 3 * time.Second,
	}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := loadtest.Run(ctx, cfg, &out)
	if testing.Verbose() || t.Failed() {
		os.Stdout.Write(out.Bytes())
	}
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	// 2 rooms × 2 candidates × 2 questions: 8 personal timers, each expiring
	// once for its candidate and once for the interviewer.
	if n := rep.ExpiryFailures(); n != 0 || rep.Timers != 8 || rep.ExpiryDeliveries != 16 || rep.TranscriptExpiredOnce != 8 || rep.TimersNeverStarted != 0 {
		t.Fatalf("failures %d, timers %d, deliveries %d, transcript once %d, never started %d\n%s",
			n, rep.Timers, rep.ExpiryDeliveries, rep.TranscriptExpiredOnce, rep.TimersNeverStarted, out.String())
	}
	if rep.PushRecv.N != 8 || rep.PushAck.N != 8 || rep.DraftSaved.N == 0 {
		t.Fatalf("open→timer samples %d, open acks %d, saves %d\n%s", rep.PushRecv.N, rep.PushAck.N, rep.DraftSaved.N, out.String())
	}
	if rep.Disconnects != 0 || rep.SeqGaps != 0 || rep.SeqRepeats != 0 || len(rep.Errors) != 0 {
		t.Errorf("disconnects %d, seq gaps %d, repeats %d, errors %v", rep.Disconnects, rep.SeqGaps, rep.SeqRepeats, rep.Errors)
	}
	if !strings.Contains(out.String(), "self-paced") {
		t.Error("the report does not say the exam was self-paced")
	}
}
