package room_test

// Helpers shared by the order, resume, timer, authz and bad-input tests.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/store"
)

// event is one transcript entry as GET /api/v1/interviews/{id}/events shows it.
type event struct {
	Seq   int64           `json:"seq"`
	Type  string          `json:"type"`
	Actor int64           `json:"actor"`
	Data  json.RawMessage `json:"data"`
}

func (e event) field(name string) any {
	var m map[string]any
	_ = json.Unmarshal(e.Data, &m)
	return m[name]
}

// events fetches the whole transcript through the REST API of in.
func events(t testing.TB, in *livetest.Instance, token string, id int64) []event {
	t.Helper()
	var out struct {
		Events []event `json:"events"`
	}
	if st := livetest.API(t, "GET", fmt.Sprintf("%s/api/v1/interviews/%d/events?limit=5000", in.URL, id), token, nil, &out); st != 200 {
		t.Fatalf("transcript of %d: status %d", id, st)
	}
	for i, e := range out.Events {
		if e.Seq != int64(i+1) {
			t.Fatalf("transcript not contiguous from 1: event %d has seq %d", i, e.Seq)
		}
	}
	return out.Events
}

func lastOf(evs []event) int64 {
	if len(evs) == 0 {
		return 0
	}
	return evs[len(evs)-1].Seq
}

// candidateSees is the test's own statement of who sees what (DESIGN.md,
// "Transcript and resume"), written from each event's type and data rather
// than from the server's audience column: a candidate sees room-wide events
// and their own, never the staff-only signals nor another candidate's work.
func candidateSees(e event, cand int64) bool {
	own := func(field string) bool { return e.field(field) == float64(cand) }
	switch {
	case strings.HasPrefix(e.Type, "candidate."):
		return false // focus and paste signals are for the staff
	case e.Type == "answer.submitted":
		return own("candidate_id")
	case e.Type == "chat.message":
		return e.field("role") == store.PartInterviewer || own("from")
	case strings.HasPrefix(e.Type, "timer."):
		return e.field("candidate_id") == nil || own("candidate_id")
	}
	return true
}

// visibleSeqs lists the seqs in evs after `after` that pass see.
func visibleSeqs(evs []event, after int64, see func(event) bool) []int64 {
	out := []int64{}
	for _, e := range evs {
		if e.Seq > after && see(e) {
			out = append(out, e.Seq)
		}
	}
	return out
}

func all(event) bool { return true }

// seqsAfter returns the durable seqs a client received after its welcome.
func seqsAfter(c *livetest.Client, after int64) []int64 {
	out := []int64{}
	for _, s := range c.Seqs() {
		if s > after {
			out = append(out, s)
		}
	}
	return out
}

// waitVisible waits until c has every event of evs it may see.
func waitVisible(t *testing.T, c *livetest.Client, evs []event, see func(event) bool) {
	t.Helper()
	want := visibleSeqs(evs, 0, see)
	if len(want) > 0 {
		c.WaitSeq(want[len(want)-1])
	}
}

// assertSeqs checks that got is exactly want: in order, no gap, no repeat.
func assertSeqs(t *testing.T, who string, got, want []int64) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s got seqs %v, want %v", who, got, want)
	}
}

// seedQuestions puts three questions in the bank and returns their ids.
func seedQuestions(t *testing.T, c *livetest.Cluster) []int64 {
	t.Helper()
	ids := c.Questions(
		bank.Question{Technology: "Go", Level: bank.Intermediate, Prompt: "How are goroutines scheduled?", Answer: modelAnswer, TimeLimitS: 300},
		bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "What is a slice?", Answer: "MODEL-ANSWER-2: a view of an array", TimeLimitS: 300},
		bank.Question{Technology: "Go", Level: bank.Advanced, Prompt: "What does the race detector find?", Answer: "MODEL-ANSWER-3: unsynchronised accesses", TimeLimitS: 300},
	)
	if len(ids) != 3 {
		t.Fatalf("seeded %d questions", len(ids))
	}
	return ids
}

// createInterview posts an interview as token and fails unless it is created.
func createInterview(t *testing.T, in *livetest.Instance, token string, body map[string]any) livetest.Created {
	t.Helper()
	var created livetest.Created
	if st := livetest.API(t, "POST", in.URL+"/api/v1/interviews", token, body, &created); st != 201 {
		t.Fatalf("create interview: status %d %+v", st, created)
	}
	return created
}

// names builds the candidates of a create request.
func names(ns ...string) []map[string]any {
	out := []map[string]any{}
	for _, n := range ns {
		out = append(out, map[string]any{"name": n})
	}
	return out
}

// refused dials and expects the upgrade to be refused; it returns the
// status and the JSON error code of the answer.
func refused(t *testing.T, in *livetest.Instance, id int64, token string, header ...string) (int, string) {
	t.Helper()
	c, res, err := livetest.Dial(t, in, id, token, header...)
	if err == nil {
		c.Conn.Close()
		t.Fatalf("upgrade of interview %d was accepted", id)
	}
	if res == nil {
		t.Fatalf("dial %d: no HTTP answer: %v", id, err)
	}
	return res.StatusCode, errorCode(t, res)
}

// errorCode reads {"error":{"code"}} from a response.
func errorCode(t *testing.T, res *http.Response) string {
	t.Helper()
	b, _ := io.ReadAll(res.Body)
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("status %d: body %q is not a JSON error: %v", res.StatusCode, b, err)
	}
	return e.Error.Code
}

// closeCode is the code of the close frame that ended a connection. An end
// without a close frame fails the test — a reset, a timeout, or an EOF,
// which the client library reports as a CloseError with 1006, a code never
// sent on the wire: a connection that merely dropped must never pass for
// one closed with a reason.
func closeCode(t testing.TB, err error) int {
	t.Helper()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code == websocket.CloseAbnormalClosure {
		t.Fatalf("the connection ended without a close frame: %v", err)
	}
	return ce.Code
}

// timerData is the data of a timer.* event and of a welcome's timers.
type timerData struct {
	TimerID     int64  `json:"timer_id"`
	Scope       string `json:"scope"`
	Position    int    `json:"position"`
	CandidateID int64  `json:"candidate_id"`
	State       string `json:"state"`
	DurationMS  int64  `json:"duration_ms"`
	Deadline    string `json:"deadline"`
	DeadlineMS  int64  `json:"deadline_ms"`
	RemainingMS int64  `json:"remaining_ms"`
	ServerNow   string `json:"server_now"`
	AddedMS     int64  `json:"added_ms"`
	ExtraMS     int64  `json:"extra_ms"`
}

func decodeTimer(t *testing.T, raw json.RawMessage) timerData {
	t.Helper()
	var d timerData
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("timer data %s: %v", raw, err)
	}
	return d
}

// serverNowMS is the event's server_now in Unix milliseconds.
func (d timerData) serverNowMS(t *testing.T) int64 {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, d.ServerNow)
	if err != nil {
		t.Fatalf("server_now %q: %v", d.ServerNow, err)
	}
	return ts.UnixMilli()
}

// frameAfter waits for the first frame at index >= from that matches.
func frameAfter(t *testing.T, c *livetest.Client, from int, what string, match func(livetest.Frame) bool) livetest.Frame {
	t.Helper()
	var got livetest.Frame
	livetest.Eventually(t, what, func() error {
		fs := c.Frames()
		for _, f := range fs[min(from, len(fs)):] {
			if match(f) {
				got = f
				return nil
			}
		}
		return fmt.Errorf("not among %d frames after %d:\n%s", len(fs)-from, from, c.Dump())
	})
	return got
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
