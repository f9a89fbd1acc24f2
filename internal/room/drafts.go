package room

import (
	"context"
	"log/slog"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// pendingDraft is a draft waiting to be written, with the socket to tell.
type pendingDraft struct {
	d store.Draft
	m *Member
}

// draftWriter writes drafts in batches, many rows per statement and at most
// DraftFlush after they arrive, and acknowledges each with answer.saved only
// once it is stored.
type draftWriter struct {
	h  *Hub
	in chan pendingDraft
}

func newDraftWriter(h *Hub) *draftWriter {
	return &draftWriter{h: h, in: make(chan pendingDraft, 8192)}
}

// add queues a draft; false when the queue is full (the client retries).
func (w *draftWriter) add(p pendingDraft) bool {
	select {
	case w.in <- p:
		return true
	default:
		return false
	}
}

func (w *draftWriter) run(stop <-chan struct{}) {
	t := time.NewTicker(w.h.cfg.DraftFlush)
	defer t.Stop()
	var batch []pendingDraft
	for {
		select {
		case p := <-w.in:
			batch = append(batch, p)
			if len(batch) < 2000 {
				continue
			}
		case <-t.C:
		case <-stop:
			for {
				select {
				case p := <-w.in:
					batch = append(batch, p)
					continue
				default:
				}
				break
			}
			w.flush(batch)
			return
		}
		if len(batch) > 0 {
			w.flush(batch)
			batch = nil
		}
	}
}

func (w *draftWriter) flush(batch []pendingDraft) {
	if len(batch) == 0 {
		return
	}
	ds := make([]store.Draft, len(batch))
	for i, p := range batch {
		ds[i] = p.d
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.h.store.SaveDrafts(ctx, ds); err != nil {
		// Not acknowledged: the clients keep the text and resend it.
		w.h.log.Error("save drafts", slog.Int("drafts", len(ds)), slog.Any("error", err))
		return
	}
	for _, p := range batch {
		p.m.enqueue(encodeFrame(frame{Type: "answer.saved", TS: ts(time.Now()),
			Data: mustJSON(map[string]any{"position": p.d.Position, "version": p.d.Version})}))
	}
}
