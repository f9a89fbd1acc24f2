package room_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/store"
)

const modelAnswer = "MODEL-ANSWER: goroutines are multiplexed onto threads by the scheduler"

type transcript struct {
	Events []struct {
		Seq   int64          `json:"seq"`
		Type  string         `json:"type"`
		Actor int64          `json:"actor"`
		Data  map[string]any `json:"data"`
	} `json:"events"`
}

// setup creates an interview with one planned question and one candidate
// through the API of the first instance.
func setup(t *testing.T, c *livetest.Cluster, candidates ...string) (staffToken string, created livetest.Created) {
	t.Helper()
	staffToken = c.Staff("ivy@example.com", store.RoleInterviewer)
	ids := c.Questions(bank.Question{Technology: "Go", Level: bank.Intermediate, Prompt: "How are goroutines scheduled?", Answer: modelAnswer, TimeLimitS: 300})
	var cands []map[string]string
	for _, n := range candidates {
		cands = append(cands, map[string]string{"name": n})
	}
	status := livetest.API(t, "POST", c.Instances[0].URL+"/api/v1/interviews", staffToken, map[string]any{
		"title": "Go mock", "questions": []map[string]any{{"question_id": ids[0], "time_limit_s": 120}}, "candidates": cands,
	}, &created)
	if status != 201 || len(created.Candidates) != len(candidates) {
		t.Fatalf("create interview: %d %+v", status, created)
	}
	return staffToken, created
}

func fetchTranscript(t *testing.T, c *livetest.Cluster, token string, id int64) transcript {
	t.Helper()
	var tr transcript
	if st := livetest.API(t, "GET", fmt.Sprintf("%s/api/v1/interviews/%d/events", c.Instances[0].URL, id), token, nil, &tr); st != 200 {
		t.Fatalf("transcript: %d", st)
	}
	return tr
}

func countType(tr transcript, typ string) int {
	n := 0
	for _, e := range tr.Events {
		if e.Type == typ {
			n++
		}
	}
	return n
}

// assertContiguous checks that a socket got durable events 1..n once each, in order.
func assertContiguous(t *testing.T, who string, seqs []int64, visible func(int64) bool, last int64) {
	t.Helper()
	var want []int64
	for s := int64(1); s <= last; s++ {
		if visible(s) {
			want = append(want, s)
		}
	}
	if fmt.Sprint(seqs) != fmt.Sprint(want) {
		t.Fatalf("%s got seqs %v, want %v", who, seqs, want)
	}
}

// flow is the story of one interview: push, type, expire, refuse.
func flow(t *testing.T, c *livetest.Cluster, interviewerOn, candidateOn *livetest.Instance) {
	staffTok, iv := setup(t, c, "Cora")
	cand := iv.Candidates[0]
	staff := livetest.Join(t, interviewerOn, iv.ID, staffTok, 0)
	cora := livetest.Join(t, candidateOn, iv.ID, cand.InviteToken, 0)

	staff.Ack("interview.start", nil)
	staff.Ack("question.push", map[string]any{"position": 1, "time_limit_s": 2})
	pushed := cora.WaitType("question.pushed")
	if pushed.Field("prompt") != "How are goroutines scheduled?" || pushed.Field("answer") != nil || strings.Contains(pushed.Raw, "MODEL-ANSWER") {
		t.Fatalf("candidate's question.pushed: %s", pushed.Raw)
	}
	if f := staff.WaitType("question.pushed"); f.Field("answer") != modelAnswer {
		t.Fatalf("interviewer's question.pushed lacks the model answer: %s", f.Raw)
	}
	started := cora.WaitType("timer.started")
	if started.Field("deadline") == nil || started.Field("server_now") == nil {
		t.Fatalf("timer.started without deadline and server_now: %s", started.Raw)
	}

	cora.Ack("answer.draft", map[string]any{"text": "They are multiplexed", "version": 1})
	cora.Ack("answer.draft", map[string]any{"text": "They are multiplexed onto OS threads", "version": 2})
	cora.WaitFor("answer.saved v2", func(f livetest.Frame) bool { return f.Type == "answer.saved" && f.Field("version") == 2.0 })
	staff.WaitFor("draft v2", func(f livetest.Frame) bool {
		return f.Type == "answer.draft" && f.Field("text") == "They are multiplexed onto OS threads" && f.Field("candidate_id") == float64(cand.ID)
	})

	cora.WaitType("timer.expired")
	staff.WaitType("timer.expired")
	if code := cora.ErrorCode("answer.submit", map[string]any{"text": "too late"}); code != "time_up" {
		t.Fatalf("late submit: %q, want time_up", code)
	}
	if code := cora.ErrorCode("answer.draft", map[string]any{"text": "too late", "version": 3}); code != "time_up" {
		t.Fatalf("late draft: %q, want time_up", code)
	}
	staff.Ack("chat.send", map[string]any{"text": "Thanks, that is time."})
	tr := fetchTranscript(t, c, staffTok, iv.ID)
	last := tr.Events[len(tr.Events)-1].Seq
	cora.WaitSeq(last)
	staff.WaitSeq(last)

	if n := countType(tr, "timer.expired"); n != 1 {
		t.Fatalf("%d timer.expired in the transcript, want exactly 1", n)
	}
	for i, e := range tr.Events {
		if e.Seq != int64(i+1) {
			t.Fatalf("transcript seqs not contiguous from 1: event %d has seq %d", i, e.Seq)
		}
	}
	if cora.Count("timer.expired") != 1 || staff.Count("timer.expired") != 1 {
		t.Fatalf("clients saw timer.expired %d and %d times", cora.Count("timer.expired"), staff.Count("timer.expired"))
	}
	assertContiguous(t, "interviewer", staff.Seqs(), func(int64) bool { return true }, last)
	assertContiguous(t, "candidate", cora.Seqs(), func(int64) bool { return true }, last)
	answers, err := c.Store.Answers(context.Background(), iv.ID, cand.ID)
	if err != nil || len(answers) != 1 || answers[0].Text != "They are multiplexed onto OS threads" || answers[0].Version != 2 {
		t.Fatalf("final answer %+v %v", answers, err)
	}
	for _, f := range cora.Frames() {
		if strings.Contains(f.Raw, "MODEL-ANSWER") {
			t.Fatalf("a candidate frame holds the model answer: %s", f.Raw)
		}
	}
}

func TestTwoInstancesFlow(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	flow(t, c, c.Instances[0], c.Instances[1])
}

func TestEmbeddedDefaultFlow(t *testing.T) {
	c := livetest.NewEmbedded(t, livetest.FastRooms)
	flow(t, c, c.Instances[0], c.Instances[0])
}

// TestExpiryWhenArmingInstanceDies: everyone is on A, which arms the timer;
// A dies before the deadline; B, serving nobody in that room, expires it
// from its sweeper, exactly once, and a client reconnecting to B sees it.
func TestExpiryWhenArmingInstanceDies(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok, iv := setup(t, c, "Cora")
	staff := livetest.Join(t, a, iv.ID, staffTok, 0)
	cora := livetest.Join(t, a, iv.ID, iv.Candidates[0].InviteToken, 0)
	staff.Ack("interview.start", nil)
	staff.Ack("question.push", map[string]any{"position": 1, "time_limit_s": 1})
	started := cora.WaitType("timer.started")
	a.Kill()
	if code := closeCode(t, cora.WaitClosed()); code != websocket.CloseGoingAway {
		t.Fatalf("a killed instance closed with %d, want 1001 (reconnect elsewhere)", code)
	}

	var tr transcript
	livetest.Eventually(t, "timer.expired in the transcript", func() error {
		tr = fetchTranscript(t, &livetest.Cluster{Instances: []*livetest.Instance{b}}, staffTok, iv.ID)
		if countType(tr, "timer.expired") != 1 {
			return fmt.Errorf("%d timer.expired", countType(tr, "timer.expired"))
		}
		return nil
	})
	again := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, started.Seq)
	exp := again.WaitType("timer.expired")
	if exp.Seq != started.Seq+1 {
		t.Fatalf("timer.expired has seq %d, want %d", exp.Seq, started.Seq+1)
	}
	if code := again.ErrorCode("answer.submit", map[string]any{"text": "late"}); code != "time_up" {
		t.Fatalf("submit after expiry: %q", code)
	}
	if n := countType(fetchTranscript(t, &livetest.Cluster{Instances: []*livetest.Instance{b}}, staffTok, iv.ID), "timer.expired"); n != 1 {
		t.Fatalf("%d expiries", n)
	}
}
