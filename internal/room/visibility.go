package room

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ace-interviews/ace/internal/store"
)

// Identity is who a connection is: a participant of the interview.
type Identity struct {
	ParticipantID int64
	Role          string // store.PartInterviewer or store.PartCandidate
	Name          string
	// UserID is a staff member's account, so a role change or a disabled
	// account reaches their sockets (KickUser); 0 for candidates.
	UserID int64
	// TokenHash is the invite a candidate connected with: membership is
	// decided again against the stored hash when the socket joins the room.
	TokenHash string
}

// Staff reports whether the identity is on the interviewing side.
func (id Identity) Staff() bool { return id.Role == store.PartInterviewer }

// Ephemeral audiences beyond the durable ones: "only:c<id>" reaches one
// candidate and nobody else (answer.saved).
const audienceOnlyPrefix = "only:"

// visibleTo is the one rule of who may see an event: staff see everything;
// a candidate sees room-wide events and their own ("c<id>"), nothing else.
// Live delivery, replay and the REST transcript all go through it.
func visibleTo(audience string, id Identity) bool {
	if rest, ok := strings.CutPrefix(audience, audienceOnlyPrefix); ok {
		return !id.Staff() && rest == store.CandidateAudience(id.ParticipantID)
	}
	if id.Staff() {
		return true
	}
	return audience == store.AudienceAll || audience == store.CandidateAudience(id.ParticipantID)
}

// candidateFields are removed from an event's data before a candidate sees
// it: the model answer of a pushed question.
var candidateFields = map[string][]string{
	"question.pushed": {"answer"},
}

// projectData returns the data a member of the given side receives.
func projectData(typ string, data json.RawMessage, staff bool) json.RawMessage {
	drop := candidateFields[typ]
	if staff || len(drop) == 0 {
		return data
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return json.RawMessage(`{}`)
	}
	for _, k := range drop {
		delete(m, k)
	}
	return mustJSON(m)
}

// Project returns ev as id may see it, and false when id may not see it at
// all. The REST transcript uses it; live delivery caches the same result
// per event (see delivered).
func Project(ev store.Event, id Identity) (store.Event, bool) {
	if !visibleTo(ev.Audience, id) {
		return ev, false
	}
	ev.Data = store.JSON(projectData(ev.Type, json.RawMessage(ev.Data), id.Staff()))
	return ev, true
}

// delivered is an event ready for sockets, serialised once per side rather
// than once per member.
type delivered struct {
	ev        store.Event
	staff     []byte
	candidate []byte // nil until a candidate needs it
}

func newDelivered(ev store.Event) *delivered {
	return &delivered{ev: ev, staff: encodeFrame(frame{Type: ev.Type, Seq: ev.Seq, TS: ts(ev.CreatedAt), Data: json.RawMessage(ev.Data)})}
}

// frameFor returns the bytes id receives, or nil when id may not see the event.
func (d *delivered) frameFor(id Identity) []byte {
	if !visibleTo(d.ev.Audience, id) {
		return nil
	}
	if id.Staff() {
		return d.staff
	}
	if d.candidate == nil {
		d.candidate = encodeFrame(frame{Type: d.ev.Type, Seq: d.ev.Seq, TS: ts(d.ev.CreatedAt), Data: projectData(d.ev.Type, json.RawMessage(d.ev.Data), false)})
	}
	return d.candidate
}

func audienceOnly(candidateID int64) string {
	return audienceOnlyPrefix + "c" + strconv.FormatInt(candidateID, 10)
}
