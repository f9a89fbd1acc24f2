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
			w.flush(batch, stop)
			return
		}
		if len(batch) > 0 {
			w.flush(batch, stop)
			batch = nil
		}
	}
}

// draftRetries are the waits before each new try of a failed write.
var draftRetries = []time.Duration{100 * time.Millisecond, 400 * time.Millisecond, 1500 * time.Millisecond}

// flush stores a batch, retrying a failed write a few times; then it tells
// each candidate either answer.saved or answer.save_failed, so no editor is
// left on "Saving…": after a failure the client sends its text again.
func (w *draftWriter) flush(batch []pendingDraft, stop <-chan struct{}) {
	if len(batch) == 0 {
		return
	}
	ds := make([]store.Draft, len(batch))
	for i, p := range batch {
		ds[i] = p.d
	}
	err := w.save(ds)
	for i := 0; err != nil && i < len(draftRetries); i++ {
		w.h.log.Warn("save drafts; retrying", slog.Int("drafts", len(ds)), slog.Int("attempt", i+1), slog.Any("error", err))
		select {
		case <-time.After(draftRetries[i]):
		case <-stop:
		}
		err = w.save(ds)
	}
	typ := "answer.saved"
	if err != nil {
		w.h.log.Error("save drafts", slog.Int("drafts", len(ds)), slog.Any("error", err))
		typ = "answer.save_failed"
	}
	now := time.Now()
	for _, p := range batch {
		p.m.enqueue(encodeFrame(frame{Type: typ, TS: ts(now), Data: mustJSON(savedData{Position: p.d.Position, Version: p.d.Version})}))
	}
}

func (w *draftWriter) save(ds []store.Draft) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return w.h.store.SaveDrafts(ctx, ds)
}
