package web

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
)

// kickUser closes a staff user's sockets on every instance after their
// access changed; the client reconnects and the upgrade decides again.
func (h *handler) kickUser(userID int64) {
	if h.Hub != nil {
		h.Hub.KickUser(userID)
	}
}

// RelayKicks closes the sockets of users whose access the ace command
// changed (ace user disable, ace token revoke): the command has no hub, so
// it leaves a request in the database and one instance claims it here, every
// interval, until ctx ends.
func RelayKicks(ctx context.Context, s *store.Store, hub *room.Hub, log *slog.Logger, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ids, err := s.ClaimKicks(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("claim kicks", slog.Any("error", err))
			}
			continue
		}
		slices.Sort(ids)
		for _, id := range slices.Compact(ids) {
			log.Info("closing sockets after an access change", slog.Int64("user_id", id))
			hub.KickUser(id)
		}
	}
}
