package review

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/delta"
	"github.com/ace-interviews/ace/internal/store"
)

// The contract's shapes, written by encoding/json: what the hand-written
// encoder must match byte for byte.
type (
	refEvent struct {
		At    time.Time `json:"at"`
		Kind  string    `json:"kind"`
		Event *Event    `json:"event"`
	}
	refKeyframe struct {
		At       time.Time `json:"at"`
		Kind     string    `json:"kind"`
		Position int       `json:"position"`
		Version  int64     `json:"version"`
		Text     string    `json:"text"`
	}
	refDelta struct {
		At       time.Time `json:"at"`
		Kind     string    `json:"kind"`
		Position int       `json:"position"`
		Version  int64     `json:"version"`
		Offset   int       `json:"offset"`
		Delete   int       `json:"delete"`
		Insert   string    `json:"insert"`
	}
)

func reference(it Item) any {
	switch {
	case it.Kind == KindEvent:
		return refEvent{it.At, it.Kind, it.Event}
	case it.Keyframe:
		return refKeyframe{it.At, it.Kind, it.Position, it.Version, it.Text}
	default:
		return refDelta{it.At, it.Kind, it.Position, it.Version, it.Edit.Offset, it.Edit.Delete, it.Edit.Insert}
	}
}

var awkward = []string{"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnl\ncr\rbs\bff\f",
	"\x00\x01\x1f\x7f", "line\u2028sep\u2029", "é日本🙂", "bad \xff utf8 \xe2\x82", "\ufffd"}

func TestReplayJSONMatchesEncodingJSON(t *testing.T) {
	var items []Item
	for i, s := range awkward {
		at := time.Date(2026, 3, 1, 10, 0, i, i*1_000_123, time.FixedZone("x", 3600))
		items = append(items,
			Item{At: at, Kind: KindEvent, Event: &Event{Seq: int64(i + 1), Type: "chat.message", TS: at.UTC(), Actor: -3, Data: store.JSON(`{"text":` + string(must(json.Marshal(s))) + `}`)}},
			Item{At: at, Kind: KindDraft, Position: i, Version: 1 << 42, Keyframe: true, Text: s},
			Item{At: at, Kind: KindDraft, Position: i, Version: int64(i), Edit: delta.Delta{Offset: i, Delete: 2 * i, Insert: s}},
		)
	}
	items = append(items, Item{At: time.Unix(0, 0).UTC(), Kind: KindEvent, Event: &Event{Type: "x"}})
	var refs []any
	for _, it := range items {
		refs = append(refs, reference(it))
	}
	want := must(json.Marshal(map[string]any{"items": refs}))
	if got := MarshalReplay(items); string(got) != string(want) {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	for i, it := range items {
		got, _ := it.MarshalJSON()
		if w := must(json.Marshal(refs[i])); string(got) != string(w) {
			t.Fatalf("item %d: %s, want %s", i, got, w)
		}
	}
	if got := MarshalReplay(nil); string(got) != `{"items":[]}` {
		t.Fatalf("no items: %s", got)
	}
}

func FuzzJSONString(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := must(json.Marshal(s))
		if got := appendString(nil, s); string(got) != string(want) {
			t.Fatalf("%q: %s, want %s", s, got, want)
		}
	})
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
