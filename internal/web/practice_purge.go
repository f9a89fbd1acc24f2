package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// PurgePractice deletes, every interval until ctx ends, the practice
// attempts their takers have not opened for retention (with all their
// rows; self-ratings stay, detached, for the bank's signal) and the
// practice counters of windows that are over. Every instance runs it; the
// deletes are idempotent, so two at once do no harm.
func PurgePractice(ctx context.Context, s *store.Store, log *slog.Logger, retention, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		purgePracticeOnce(ctx, s, log, retention)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func purgePracticeOnce(ctx context.Context, s *store.Store, log *slog.Logger, retention time.Duration) {
	now := time.Now()
	n, err := s.PurgePractice(ctx, now.Add(-retention), now.Add(-practiceWindow))
	switch {
	case err != nil && ctx.Err() == nil:
		log.Warn("purge practice attempts", slog.Any("error", err))
	case n > 0:
		log.Info("purged abandoned practice attempts", slog.Int("attempts", n), slog.Duration("retention", retention))
	}
}
