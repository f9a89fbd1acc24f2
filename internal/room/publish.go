package room

import "github.com/ace-interviews/ace/internal/store"

// PublishEvents sends events stored outside the room's writer (REST actions) to every instance serving the room.
func (h *Hub) PublishEvents(evs []store.Event) { h.publish(evs) }
