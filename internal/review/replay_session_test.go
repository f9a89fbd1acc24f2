package review_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/delta"
	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/store"
)

// replayItem is an item of GET .../replay as an outside client decodes it.
type replayItem struct {
	At    time.Time `json:"at"`
	Kind  string    `json:"kind"`
	Event *struct {
		Seq   int64           `json:"seq"`
		Type  string          `json:"type"`
		TS    time.Time       `json:"ts"`
		Actor int64           `json:"actor"`
		Data  json.RawMessage `json:"data"`
	} `json:"event"`
	Position int     `json:"position"`
	Version  int64   `json:"version"`
	Text     *string `json:"text"`
	Offset   *int    `json:"offset"`
	Delete   *int    `json:"delete"`
	Insert   *string `json:"insert"`
}

func (it replayItem) field(name string) any {
	var m map[string]any
	_ = json.Unmarshal(it.Event.Data, &m)
	return m[name]
}

// sentDraft is a draft a candidate sent and saw answer.saved for.
type sentDraft struct {
	position int
	version  int64
	text     string
}

// typer sends a candidate's drafts in bursts, as the page does, and waits
// for each to be saved.
type typer struct {
	t    *testing.T
	c    *livetest.Client
	v    int64
	sent []sentDraft
}

func (ty *typer) burst(position int, texts ...string) {
	ty.t.Helper()
	var vs []int64
	for _, text := range texts {
		ty.v++
		ty.c.Ack("answer.draft", map[string]any{"text": text, "version": ty.v, "position": position})
		ty.sent = append(ty.sent, sentDraft{position, ty.v, text})
		vs = append(vs, ty.v)
	}
	for _, v := range vs {
		ty.c.WaitFor(fmt.Sprintf("answer.saved v%d", v), func(f livetest.Frame) bool {
			return f.Type == "answer.saved" && f.Field("version") == float64(v) && f.Field("position") == float64(position)
		})
	}
}

// TestReplayOfARecordedSession records a session over the WebSocket
// protocol across two instances — pushes, drafts (by both instances, the
// candidate moving from one to the other), a pause, a resume, an extension,
// an expiry, chat, paste and focus signals, a second candidate — and reads
// one candidate's replay: applied in order, it yields exactly every stored
// snapshot at its time, and it holds what that candidate saw and did and
// nothing of the other candidate's.
func TestReplayOfARecordedSession(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok := c.Staff("ivy@example.com", store.RoleInterviewer)
	reviewerTok := c.Staff("rita@example.com", store.RoleReviewer)
	qids := c.Questions(
		bank.Question{Technology: "Go", Level: bank.Intermediate, Prompt: "Replay one: channels?", Answer: "MODEL-ANSWER-one", TimeLimitS: 300},
		bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "Replay two: maps?", Answer: "MODEL-ANSWER-two", TimeLimitS: 60},
	)
	var iv livetest.Created
	if st := livetest.API(t, "POST", a.URL+"/api/v1/interviews", staffTok, map[string]any{
		"title":      "Replay",
		"questions":  []map[string]any{{"question_id": qids[0], "time_limit_s": 120}, {"question_id": qids[1], "time_limit_s": 60}},
		"candidates": []map[string]any{{"name": "Cora"}, {"name": "Dan"}},
	}, &iv); st != 201 {
		t.Fatalf("create: %d", st)
	}
	cora, dan := iv.Candidates[0], iv.Candidates[1]

	staff := livetest.Join(t, a, iv.ID, staffTok, 0)
	coraB := livetest.Join(t, b, iv.ID, cora.InviteToken, 0)
	danA := livetest.Join(t, a, iv.ID, dan.InviteToken, 0)
	staff.Ack("interview.start", nil)
	staff.Ack("question.push", map[string]any{"position": 1})
	coraB.WaitType("timer.started")
	danA.WaitType("timer.started")

	ty := &typer{t: t, c: coraB}
	ty.burst(1, "A chan", "A channel", "A channel is")
	ty.burst(1, "A channel is a typed conduit")
	coraB.Ack("signal", map[string]any{"kind": "paste", "chars": 14})
	ty.burst(1, "A channel is a typed conduit; sends block", "A channel is a typed conduit; sends block until received")
	coraB.Ack("signal", map[string]any{"kind": "focus_lost"})
	coraB.Ack("signal", map[string]any{"kind": "focus_back"})
	staff.Ack("chat.send", map[string]any{"text": "Take your time, Cora and Dan."})
	coraB.Ack("chat.send", map[string]any{"text": "Cora asks: buffered too?"})
	danA.Ack("chat.send", map[string]any{"text": "DAN-SECRET-CHAT"})
	danA.Ack("answer.draft", map[string]any{"text": "DAN-SECRET-DRAFT", "version": 1})
	danA.Ack("signal", map[string]any{"kind": "paste", "chars": 999})
	staff.Ack("timer.pause", nil)
	coraB.WaitType("timer.paused")
	// Editing in the middle and deleting, while the timer is paused.
	ty.burst(1, "A channel is a typed conduit; a send blocks until received", "A channel is a typed conduit; a send blocks until received 🙂")
	staff.Ack("timer.resume", nil)
	staff.Ack("timer.extend", map[string]any{"seconds": 30})
	coraB.WaitType("timer.extended")

	// Cora moves to instance A: her next drafts are stored by A.
	last := coraB.Seqs()
	coraB.Conn.Close()
	coraA := livetest.Join(t, a, iv.ID, cora.InviteToken, last[len(last)-1])
	ty.c = coraA
	ty.burst(1, "A channel is a typed conduit; a send blocks until received 🙂 (unbuffered)", "Ä channel")
	ty.burst(1, "Ä channel is a typed conduit.")
	coraA.Ack("answer.submit", map[string]any{"text": "Ä channel is a typed conduit.", "position": 1})
	danA.Ack("answer.submit", map[string]any{"text": "DAN-SECRET-SUBMIT"})

	// Question two runs out.
	staff.Ack("question.push", map[string]any{"position": 2, "time_limit_s": 1})
	coraA.WaitFor("the second timer", func(f livetest.Frame) bool { return f.Type == "timer.started" && f.Field("position") == 2.0 })
	ty.burst(2, "m", "maps", "maps are hash tables")
	coraA.WaitType("timer.expired")
	if code := coraA.ErrorCode("answer.draft", map[string]any{"text": "too late", "version": ty.v + 1, "position": 2}); code != "time_up" {
		t.Fatalf("late draft: %q", code)
	}
	staff.Ack("interview.end", nil)
	coraA.WaitType("interview.ended")

	var out struct {
		Items []replayItem `json:"items"`
	}
	path := fmt.Sprintf("/api/v1/interviews/%d/candidates/%d/replay", iv.ID, cora.ID)
	if st := livetest.API(t, "GET", b.URL+path, reviewerTok, nil, &out); st != 200 {
		t.Fatalf("replay: %d", st)
	}
	items := out.Items
	// Browsers ask for gzip, and get it: the same JSON, compressed.
	req, _ := http.NewRequest("GET", b.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+reviewerTok)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("replay not compressed: %q %v", res.Header.Get("Content-Encoding"), err)
	}
	unzipped, err := io.ReadAll(zr)
	res.Body.Close()
	var again struct {
		Items []replayItem `json:"items"`
	}
	if err != nil || json.Unmarshal(unzipped, &again) != nil || len(again.Items) != len(items) {
		t.Fatalf("compressed replay: %d items, %v", len(again.Items), err)
	}

	// In time order, applied as the contract says.
	texts := map[int]string{}
	type state struct {
		at   time.Time
		text string
	}
	history := map[int][]state{} // by position, what the replay shows from each draft item on
	got := map[[2]int64]string{}
	for i, it := range items {
		if i > 0 && it.At.Before(items[i-1].At) {
			t.Fatalf("item %d goes back in time: %v after %v", i, it.At, items[i-1].At)
		}
		switch it.Kind {
		case "event":
			if it.Event == nil || it.Event.Seq == 0 {
				t.Fatalf("event item without an event: %+v", it)
			}
		case "draft":
			switch {
			case it.Text != nil:
				if it.Offset != nil || it.Delete != nil || it.Insert != nil {
					t.Fatalf("a keyframe with a delta: %+v", it)
				}
				texts[it.Position] = *it.Text
			case it.Offset != nil && it.Delete != nil && it.Insert != nil:
				prev, ok := texts[it.Position]
				if !ok {
					t.Fatalf("item %d: a delta before any text of position %d", i, it.Position)
				}
				next, err := delta.Delta{Offset: *it.Offset, Delete: *it.Delete, Insert: *it.Insert}.Apply(prev)
				if err != nil {
					t.Fatalf("item %d: %v", i, err)
				}
				texts[it.Position] = next
			default:
				t.Fatalf("item %d is neither keyframe nor delta: %+v", i, it)
			}
			history[it.Position] = append(history[it.Position], state{it.At, texts[it.Position]})
			got[[2]int64{int64(it.Position), it.Version}] = texts[it.Position]
		default:
			t.Fatalf("item %d: kind %q", i, it.Kind)
		}
	}

	// Every draft Cora sent and saw saved is there, with exactly its text,
	// and nothing else is.
	if len(got) != len(ty.sent) {
		t.Fatalf("%d drafts in the replay, %d sent", len(got), len(ty.sent))
	}
	for _, s := range ty.sent {
		if g, ok := got[[2]int64{int64(s.position), s.version}]; !ok || g != s.text {
			t.Fatalf("draft q%d v%d: replay gives %q, want %q", s.position, s.version, g, s.text)
		}
	}
	// At the time of every stored snapshot, the replay shows its text.
	for pos := 1; pos <= 2; pos++ {
		stored, err := c.Store.DraftHistory(context.Background(), iv.ID, cora.ID, pos)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) == 0 {
			t.Fatalf("no stored drafts of question %d", pos)
		}
		for _, d := range stored {
			h := history[pos]
			i := slices.IndexFunc(h, func(s state) bool { return s.at.After(d.ReceivedAt) })
			if i == -1 {
				i = len(h)
			}
			if i == 0 || h[i-1].text != d.Text {
				t.Fatalf("at %v (q%d v%d) the replay does not show %q", d.ReceivedAt, pos, d.Version, d.Text)
			}
		}
	}

	// What Cora saw and did is there.
	count := map[string]int{}
	for _, it := range items {
		if it.Kind != "event" {
			continue
		}
		count[it.Event.Type]++
		switch it.Event.Type {
		case "candidate.pasted", "candidate.focus_lost", "candidate.focus_back", "answer.submitted":
			if it.field("candidate_id") != float64(cora.ID) {
				t.Fatalf("another candidate's %s: %s", it.Event.Type, it.Event.Data)
			}
		}
	}
	for typ, n := range map[string]int{
		"interview.started": 1, "question.pushed": 2, "timer.started": 2, "timer.paused": 1, "timer.resumed": 1,
		"timer.extended": 1, "timer.expired": 1, "chat.message": 2, "candidate.pasted": 1, "candidate.focus_lost": 1,
		"candidate.focus_back": 1, "answer.submitted": 1, "interview.ended": 1,
	} {
		if count[typ] != n {
			t.Errorf("%d %s in the replay, want %d", count[typ], typ, n)
		}
	}
	// And nothing of Dan's, nor the model answers.
	raw, _ := json.Marshal(items)
	for _, leak := range []string{"DAN-SECRET", "MODEL-ANSWER", `"chars":999`} {
		if strings.Contains(string(raw), leak) {
			t.Fatalf("Cora's replay holds %q", leak)
		}
	}

	// Dan's replay is his own.
	var dans struct {
		Items []replayItem `json:"items"`
	}
	if st := livetest.API(t, "GET", a.URL+fmt.Sprintf("/api/v1/interviews/%d/candidates/%d/replay", iv.ID, dan.ID), staffTok, nil, &dans); st != 200 {
		t.Fatalf("dan's replay: %d", st)
	}
	raw, _ = json.Marshal(dans.Items)
	if !strings.Contains(string(raw), "DAN-SECRET-DRAFT") || strings.Contains(string(raw), "Cora asks") || strings.Contains(string(raw), "typed conduit") {
		t.Fatalf("dan's replay: %s", raw)
	}
}
