package room

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/nats-io/nats.go"

	"github.com/ace-interviews/ace/internal/bus"
	"github.com/ace-interviews/ace/internal/store"
)

type control struct {
	KickUser int64 `json:"kick_user,omitempty"`
}

// KickUser closes every socket (a staff member's sockets may sit in any room
// on any instance, some not yet past hello) of a staff account on every instance (4003):
// after a role change or a disabled account, the client reconnects and the
// upgrade decides again who it is.
func (h *Hub) KickUser(userID int64) {
	b, _ := json.Marshal(control{KickUser: userID})
	if err := h.nc.Publish(bus.ControlSubject, b); err != nil {
		h.log.Error("publish kick", slog.Int64("user_id", userID), slog.Any("error", err))
	}
}

func (h *Hub) onControl(msg *nats.Msg) {
	var c control
	if err := json.Unmarshal(msg.Data, &c); err != nil {
		h.log.Warn("bad control message", slog.Any("error", err))
		return
	}
	if c.KickUser == 0 {
		return
	}
	h.connMu.Lock()
	defer h.connMu.Unlock()
	for m := range h.conns {
		if m.id.UserID == c.KickUser {
			m.kick(closeAccessChanged, "your access changed; reconnect")
		}
	}
}

// KickParticipant closes one participant's sockets in a room on every
// instance (4001), and tells the interviewers. Sockets not yet in the room
// need no message: the room admits them against the stored participant,
// which the caller changed before calling.
func (h *Hub) KickParticipant(interviewID, participantID int64, reason string) {
	h.publishEphemeral(interviewID, ephemeral{Audience: store.AudienceStaff, Type: "participant.removed",
		Kick: participantID, KickReason: reason, Data: mustJSON(participantRef{ParticipantID: participantID})})
}

// Revoke disconnects a candidate whose invite was revoked or re-issued.
func (h *Hub) Revoke(interviewID, candidateID int64) {
	h.publishEphemeral(interviewID, ephemeral{Audience: store.AudienceStaff, Type: "candidate.revoked",
		Kick: candidateID, KickReason: "your invite was revoked", Data: mustJSON(candidateRef{CandidateID: candidateID})})
}

// ParticipantAdded tells the interviewers on every instance that a
// candidate was added during the session, with their extra time, so
// consoles show their pane and deadline without asking the API.
func (h *Hub) ParticipantAdded(interviewID int64, p store.Participant) {
	h.publishEphemeral(interviewID, ephemeral{Audience: store.AudienceStaff, Type: "participant.added",
		Data: mustJSON(addedData{ParticipantID: p.ID, Name: p.Name, Role: p.Role, ExtraTimePct: p.ExtraTimePct, ExtraTimeS: p.ExtraTimeS})})
}

// ApplyExtraTime gives a candidate added to a live interview their
// accommodation on the timers already running: personal copies of the
// room's exam timer (and, pushed, of the question on screen), longer by
// their extra time, as when the accommodation is changed live. Before the
// interview starts there is nothing to do: starting applies it.
func (h *Hub) ApplyExtraTime(ctx context.Context, interviewID int64, p store.Participant) error {
	if p.ExtraTimePct == 0 && p.ExtraTimeS == 0 {
		return nil
	}
	return h.systemAction(ctx, interviewID, func(rt *store.RoomTx) error {
		iv, err := rt.Interview(ctx)
		if err != nil || iv.Status != store.StatusLive {
			return err
		}
		return moveForExtraTime(ctx, rt, iv, extraTimeData{CandidateID: p.ID, ExtraTimePct: p.ExtraTimePct, ExtraTimeS: p.ExtraTimeS}, 0)
	})
}
