package room

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/ace-interviews/ace/internal/store"
)

// Request data of chat.send, note.save and signal.
type (
	chatData struct {
		Text string `json:"text"`
	}
	noteData struct {
		CandidateID int64  `json:"candidate_id"`
		Position    int    `json:"position"`
		Text        string `json:"text"`
	}
	signalData struct {
		Kind  string `json:"kind"`
		Chars int    `json:"chars"`
	}
)

func (r *Room) chat(ctx context.Context, m *Member, req Request) *Error {
	var d chatData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	text := strings.TrimSpace(d.Text)
	if text == "" || utf8.RuneCountInString(text) > 2000 || !utf8.ValidString(text) {
		return errf("bad_request", "a chat message holds 1 to 2000 characters")
	}
	// A candidate's message reaches the staff only, never other candidates.
	audience := store.AudienceAll
	if !m.id.Staff() {
		audience = store.CandidateAudience(m.id.ParticipantID)
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
		if _, err := liveInterview(ctx, rt); err != nil {
			return err
		}
		return rt.Append("chat.message", m.id.ParticipantID, audience, chatMessage{From: m.id.ParticipantID, Name: m.id.Name, Role: m.id.Role, Text: text})
	})
}

func (r *Room) saveNote(ctx context.Context, m *Member, req Request) *Error {
	var d noteData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if utf8.RuneCountInString(d.Text) > 20000 || !utf8.ValidString(d.Text) {
		return errf("bad_request", "a note holds at most 20000 characters")
	}
	if d.Position < 0 {
		return errf("bad_request", "position must not be negative")
	}
	// A missing candidate_id is bad input, not an unknown candidate 0
	// (docs/protocol.md: bad or missing fields get bad_request).
	if d.CandidateID <= 0 {
		return errf("bad_request", "note.save needs a candidate_id")
	}
	p, err := r.hub.store.ParticipantByID(ctx, d.CandidateID)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && (p.InterviewID != r.id || p.Role != store.PartCandidate)):
		return errf("not_found", "no candidate %d in this interview", d.CandidateID)
	case err != nil:
		return r.clientError(req.Type, err)
	}
	if err := r.hub.store.SaveNote(ctx, r.id, m.id.ParticipantID, d.CandidateID, d.Position, d.Text); err != nil {
		return r.clientError(req.Type, err)
	}
	r.hub.publishEphemeral(r.id, ephemeral{Audience: store.AudienceStaff, Type: "note.saved",
		Data: mustJSON(noteEvent{AuthorID: m.id.ParticipantID, CandidateID: d.CandidateID, Position: d.Position, Text: d.Text})})
	return nil
}

var signalTypes = map[string]string{
	"focus_lost": "candidate.focus_lost",
	"focus_back": "candidate.focus_back",
	"paste":      "candidate.pasted",
}

func (r *Room) signal(ctx context.Context, m *Member, req Request) *Error {
	var d signalData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	typ, ok := signalTypes[d.Kind]
	if !ok {
		return errf("bad_request", "kind must be focus_lost, focus_back or paste")
	}
	if d.Chars < 0 || (d.Kind != "paste" && d.Chars != 0) {
		return errf("bad_request", "chars is a non-negative count, for paste only")
	}
	r.mu.Lock()
	pos := r.current
	r.mu.Unlock()
	ev := signalEvent{CandidateID: m.id.ParticipantID, Position: pos}
	if d.Kind == "paste" {
		ev.Chars = &d.Chars
	}
	return r.commit(ctx, req.Type, func(rt *store.RoomTx) error {
		if _, err := liveInterview(ctx, rt); err != nil {
			return err
		}
		return rt.Append(typ, m.id.ParticipantID, store.AudienceStaff, ev)
	})
}
