package bus

import "strconv"

// Subjects: one per room, which an instance subscribes to while it has
// members there, and one for orders that concern every instance.
const (
	roomSubjectPrefix = "ace.room."
	// ControlSubject carries what concerns an account rather than a room
	// (close a staff member's sockets after a role change).
	ControlSubject = "ace.hub.control"
)

// RoomSubject is the subject of one interview's room.
func RoomSubject(interviewID int64) string {
	return roomSubjectPrefix + strconv.FormatInt(interviewID, 10)
}

// Pending limits of a room subscription: beyond them NATS drops messages
// for that subscription (and says so through the error handler), and the
// room's seq check fetches dropped durable events from the database. A room
// of 200 typists sends a few hundred messages a second.
const (
	PendingMsgs  = 64 << 10
	PendingBytes = 256 << 20
)
