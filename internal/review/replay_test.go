package review

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/delta"
	"github.com/ace-interviews/ace/internal/store"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func ev(seq int64, ms int, typ, audience string, data any) store.Event {
	b, _ := json.Marshal(data)
	return store.Event{InterviewID: 1, Seq: seq, Type: typ, Audience: audience, Data: b, CreatedAt: at(ms)}
}

// applied walks the items as a client would and returns, for each draft
// item, the text it gives.
func applied(t *testing.T, items []Item) []string {
	t.Helper()
	texts := map[int]string{}
	var out []string
	for _, it := range items {
		if it.Kind != KindDraft {
			continue
		}
		if it.Keyframe {
			texts[it.Position] = it.Text
		} else {
			cur, ok := texts[it.Position]
			if !ok {
				t.Fatalf("a delta before any keyframe of position %d", it.Position)
			}
			next, err := it.Edit.Apply(cur)
			if err != nil {
				t.Fatalf("%+v on %q: %v", it, cur, err)
			}
			texts[it.Position] = next
		}
		out = append(out, texts[it.Position])
	}
	return out
}

func TestReplayFiltersThroughTheGate(t *testing.T) {
	const cora, dan, ivy = 11, 12, 2
	events := []store.Event{
		ev(1, 0, "interview.started", store.AudienceAll, map[string]any{"status": "live"}),
		ev(2, 10, "question.pushed", store.AudienceAll, map[string]any{"position": 1, "prompt": "Why?", "answer": "MODEL", "question_id": 5}),
		ev(3, 10, "timer.started", store.AudienceAll, map[string]any{"timer_id": 1, "scope": "question", "position": 1}),
		ev(4, 20, "timer.started", store.CandidateAudience(dan), map[string]any{"timer_id": 2, "scope": "exam", "candidate_id": dan}),
		ev(5, 30, "chat.message", store.AudienceAll, map[string]any{"from": ivy, "text": "hello all"}),
		ev(6, 40, "chat.message", store.CandidateAudience(dan), map[string]any{"from": dan, "text": "dan's question"}),
		ev(7, 50, "chat.message", store.CandidateAudience(cora), map[string]any{"from": cora, "text": "cora's question"}),
		ev(8, 60, "candidate.pasted", store.AudienceStaff, map[string]any{"candidate_id": cora, "position": 1, "chars": 12}),
		ev(9, 70, "candidate.focus_lost", store.AudienceStaff, map[string]any{"candidate_id": dan, "position": 1}),
		ev(10, 80, "candidate.focus_lost", store.AudienceStaff, map[string]any{"candidate_id": cora, "position": 1}),
		ev(11, 90, "candidate.focus_back", store.AudienceStaff, map[string]any{"candidate_id": cora, "position": 1}),
		ev(12, 100, "answer.submitted", store.CandidateAudience(dan), map[string]any{"candidate_id": dan, "text": "DAN'S ANSWER"}),
		ev(13, 110, "answer.submitted", store.CandidateAudience(cora), map[string]any{"candidate_id": cora, "text": "cora's answer"}),
		ev(14, 120, "scorecard.submitted", store.AudienceStaff, map[string]any{"candidate_id": cora}),
		ev(15, 130, "timer.expired", store.AudienceAll, map[string]any{"timer_id": 1}),
	}
	items := Replay(cora, events, nil)
	var got []string
	for _, it := range items {
		got = append(got, fmt.Sprint(it.Event.Seq))
	}
	if want := "1 2 3 5 7 8 10 11 13 15"; strings.Join(got, " ") != want {
		t.Fatalf("cora's replay has events %s, want %s", strings.Join(got, " "), want)
	}
	b, _ := json.Marshal(items)
	for _, leak := range []string{"MODEL", "question_id", "dan's", "DAN'S"} {
		if strings.Contains(string(b), leak) {
			t.Fatalf("cora's replay holds %q: %s", leak, b)
		}
	}
}

func TestReplayDraftsApplyToEverySnapshot(t *testing.T) {
	texts := []string{"", "f", "fu", "func", "func main", "func mäin()", "func mäin() {}", "", "🙂", "🙂 ok"}
	var drafts []store.Draft
	for i, text := range texts {
		drafts = append(drafts, store.Draft{ID: int64(i + 1), Position: 1 + i%2, Version: int64(i + 1), Text: text, ReceivedAt: at(100 * i)})
	}
	// Stored edits as the store reads them back (one chosen wrongly would
	// show: the test compares every text).
	last := map[int]string{}
	for i := range drafts {
		if prev, ok := last[drafts[i].Position]; ok && i%3 != 0 {
			e := delta.Diff(prev, drafts[i].Text)
			drafts[i].Edit = &e
		}
		last[drafts[i].Position] = drafts[i].Text
	}
	items := Replay(1, []store.Event{ev(1, 0, "interview.started", store.AudienceAll, nil), ev(2, 250, "chat.message", store.AudienceAll, map[string]any{"text": "hi"})}, drafts)
	if items[0].Kind != KindEvent || items[1].Kind != KindDraft || items[4].Kind != KindEvent || items[4].At != at(250) {
		t.Fatalf("not merged in time order: %+v", items[:5])
	}
	for i := 1; i < len(items); i++ {
		if items[i].At.Before(items[i-1].At) {
			t.Fatalf("item %d goes back in time", i)
		}
	}
	got := applied(t, items)
	var want []string
	want = append(want, texts...)
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Fatalf("applied\n%q\nwant\n%q", got, want)
	}
}

// TestReplayDraftsStoredOutOfTimeOrder: two instances may store drafts of
// one answer in another order than they were received; the replay is in
// time order and its edits are computed against the right text.
func TestReplayDraftsStoredOutOfTimeOrder(t *testing.T) {
	texts := []string{"a", "ab", "abc", "abcd", "abcde"}
	received := []int{0, 300, 100, 400, 200} // by id
	var drafts []store.Draft
	last := ""
	for i, text := range texts {
		d := store.Draft{ID: int64(i + 1), Position: 1, Version: int64(i + 1), Text: text, ReceivedAt: at(received[i])}
		if i > 0 {
			e := delta.Diff(last, text)
			d.Edit = &e
		}
		last = text
		drafts = append(drafts, d)
	}
	items := Replay(1, nil, drafts)
	got := applied(t, items)
	if want := `["a" "abc" "abcde" "ab" "abcd"]`; fmt.Sprintf("%q", got) != want {
		t.Fatalf("applied %q, want %s", got, want)
	}
}

func TestReplayJSON(t *testing.T) {
	items := Replay(1, []store.Event{ev(3, 0, "chat.message", store.AudienceAll, map[string]any{"text": "hi"})},
		[]store.Draft{
			{ID: 1, Position: 2, Version: 7, Text: "héllo", ReceivedAt: at(10)},
			{ID: 2, Position: 2, Version: 8, Text: "héllo!", ReceivedAt: at(20), Edit: &delta.Delta{Offset: 5, Insert: "!"}},
			{ID: 3, Position: 2, Version: 9, Text: "héllo", ReceivedAt: at(30), Edit: &delta.Delta{Offset: 5, Delete: 1}},
		})
	b, err := json.Marshal(map[string]any{"items": items})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"items":[` +
		`{"at":"2026-03-01T10:00:00Z","kind":"event","event":{"seq":3,"type":"chat.message","ts":"2026-03-01T10:00:00Z","actor":0,"data":{"text":"hi"}}},` +
		`{"at":"2026-03-01T10:00:00.01Z","kind":"draft","position":2,"version":7,"text":"héllo"},` +
		`{"at":"2026-03-01T10:00:00.02Z","kind":"draft","position":2,"version":8,"offset":5,"delete":0,"insert":"!"},` +
		`{"at":"2026-03-01T10:00:00.03Z","kind":"draft","position":2,"version":9,"offset":5,"delete":1,"insert":""}]}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}
