package review

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/ace-interviews/ace/internal/delta"
	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
)

// A replay is one candidate's timeline: the transcript events that
// candidate saw, their own signals, and their draft snapshots, merged in
// time order (DESIGN.md, "Transcript and resume"). Drafts travel as edits
// against the previous draft of the same question, so the payload grows
// with what was typed rather than with answer length × time.

// Kinds of replay items.
const (
	KindEvent = "event"
	KindDraft = "draft"
)

// Event is a transcript event as GET /api/v1/interviews/{id}/events gives it.
type Event struct {
	Seq   int64      `json:"seq"`
	Type  string     `json:"type"`
	TS    time.Time  `json:"ts"`
	Actor int64      `json:"actor"`
	Data  store.JSON `json:"data"`
}

// Item is one moment of a replay (contract: docs/protocol.md, "Replay").
type Item struct {
	At time.Time // to the millisecond: what a scrubber can tell apart

	Kind string
	// Event is the transcript event of a KindEvent item.
	Event *Event
	// A KindDraft item is the candidate's text of one question as the
	// server received it: the whole text (Keyframe) or an edit of the
	// previous draft item of the same position.
	Position int
	Version  int64
	Keyframe bool
	Text     string
	Edit     delta.Delta
}

// signals are the candidate's own staff-audience events a replay shows.
var signals = map[string]bool{"candidate.focus_lost": true, "candidate.focus_back": true, "candidate.pasted": true}

// Replay builds candidateID's timeline from the interview's transcript (in
// seq order) and the candidate's drafts (as store.CandidateDrafts returns
// them). Events pass the room's one visibility gate as that candidate: room
// events, their timers, their submissions, the chat they saw, questions
// without model answers; to these it adds the candidate's own focus and
// paste signals, which are the staff's events.
func Replay(candidateID int64, events []store.Event, drafts []store.Draft) []Item {
	who := room.Identity{ParticipantID: candidateID, Role: store.PartCandidate}
	staff := room.Identity{Role: store.PartInterviewer}
	evs := make([]Item, 0, len(events))
	for _, ev := range events {
		p, ok := room.Project(ev, who)
		if !ok && signals[ev.Type] && signalOf(ev) == candidateID {
			p, ok = room.Project(ev, staff)
		}
		if !ok {
			continue
		}
		evs = append(evs, Item{At: p.CreatedAt, Kind: KindEvent,
			Event: &Event{Seq: p.Seq, Type: p.Type, TS: p.CreatedAt, Actor: p.ActorID, Data: p.Data}})
	}
	// Seq order is commit order; times come from the database's clock, so
	// they agree but for a clock step. The contract is time order.
	slices.SortStableFunc(evs, func(a, b Item) int { return a.At.Compare(b.At) })
	ds := draftItems(drafts)
	items := make([]Item, 0, len(evs)+len(ds))
	i, j := 0, 0
	for i < len(evs) || j < len(ds) {
		// At the same instant the event comes first: a question is pushed
		// before anything is typed into it.
		if j == len(ds) || (i < len(evs) && !evs[i].At.After(ds[j].At)) {
			items = append(items, evs[i])
			i++
		} else {
			items = append(items, ds[j])
			j++
		}
	}
	return items
}

func signalOf(ev store.Event) int64 {
	var d struct {
		CandidateID int64 `json:"candidate_id"`
	}
	if json.Unmarshal(ev.Data, &d) != nil {
		return 0
	}
	return d.CandidateID
}

// draftItems orders drafts by the time they were received (ties in the
// order stored) and makes each an edit of the previous one of its
// position. Where that previous one is also the one stored before it, the
// stored edit is used as it is; otherwise (drafts of one answer saved by
// two instances out of time order, a stored keyframe) the edit is computed.
// An item is whole text when it is a position's first, or when the edit
// would be no smaller than the text.
func draftItems(drafts []store.Draft) []Item {
	storedBefore := make(map[int64]int64, len(drafts)) // draft id → id of the one stored before it, same position
	last := map[int]int64{}
	for _, d := range drafts {
		storedBefore[d.ID] = last[d.Position]
		last[d.Position] = d.ID
	}
	sorted := slices.Clone(drafts)
	slices.SortStableFunc(sorted, func(a, b store.Draft) int {
		return cmp.Or(a.ReceivedAt.Compare(b.ReceivedAt), cmp.Compare(a.ID, b.ID))
	})
	type prev struct {
		id   int64
		text string
	}
	before := map[int]prev{}
	out := make([]Item, len(sorted))
	for i, d := range sorted {
		it := Item{At: d.ReceivedAt, Kind: KindDraft, Position: d.Position, Version: d.Version}
		p, seen := before[d.Position]
		switch {
		case !seen:
			it.Keyframe = true
		case d.Edit != nil && storedBefore[d.ID] == p.id:
			it.Edit = *d.Edit
		default:
			it.Edit = delta.Diff(p.text, d.Text)
			it.Keyframe = len(it.Edit.Insert) >= len(d.Text) && d.Text != ""
		}
		if it.Keyframe {
			it.Text, it.Edit = d.Text, delta.Delta{}
		}
		before[d.Position] = prev{d.ID, d.Text}
		out[i] = it
	}
	return out
}

// LoadReplay reads what a candidate's replay is made of and builds it. The
// caller has checked that candidateID is a candidate of the interview.
func LoadReplay(ctx context.Context, st *store.Store, interviewID, candidateID int64) ([]Item, error) {
	events, err := st.AllEvents(ctx, interviewID)
	if err != nil {
		return nil, fmt.Errorf("review: replay: %w", err)
	}
	drafts, err := st.CandidateDrafts(ctx, interviewID, candidateID)
	if err != nil {
		return nil, fmt.Errorf("review: replay: %w", err)
	}
	return Replay(candidateID, events, drafts), nil
}
