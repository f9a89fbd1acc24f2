package room

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// Which side may send each message type.
const (
	staffOnly     = "staff"
	candidateOnly = "candidate"
	anyone        = "anyone"
)

type handlerFunc func(r *Room, ctx context.Context, m *Member, req Request) *Error

var handlers = map[string]struct {
	who string
	fn  handlerFunc
}{
	"interview.start":      {staffOnly, (*Room).startInterview},
	"interview.end":        {staffOnly, (*Room).endInterview},
	"question.push":        {staffOnly, (*Room).pushQuestion},
	"timer.pause":          {staffOnly, (*Room).pauseTimer},
	"timer.resume":         {staffOnly, (*Room).resumeTimer},
	"timer.extend":         {staffOnly, (*Room).extendTimer},
	"note.save":            {staffOnly, (*Room).saveNote},
	"candidate.end":        {staffOnly, (*Room).endCandidate},
	"candidate.extra_time": {staffOnly, (*Room).setExtraTime},
	"question.open":        {candidateOnly, (*Room).openQuestion},
	"answer.draft":         {candidateOnly, (*Room).draft},
	"answer.submit":        {candidateOnly, (*Room).submit},
	"signal":               {candidateOnly, (*Room).signal},
	"chat.send":            {anyone, (*Room).chat},
}

// handle authorises and runs one request, then answers it: exactly one
// ack or error for a request that carries an id.
func (r *Room) handle(ctx context.Context, m *Member, req Request) {
	err := r.run(ctx, m, req)
	switch {
	case err != nil:
		m.enqueue(errorFrame(req.ID, err))
	case req.ID != "":
		m.enqueue(ackFrame(req.ID))
	}
}

func (r *Room) run(ctx context.Context, m *Member, req Request) (e *Error) {
	defer func() {
		if p := recover(); p != nil {
			r.hub.log.Error("panic in room action", slog.String("type", req.Type), slog.Any("panic", p))
			e = errInternal
		}
	}()
	h, ok := handlers[req.Type]
	if !ok {
		if req.Type == "hello" {
			return errf("bad_request", "hello is only the first message")
		}
		return errf("unknown_type", "unknown message type %q", req.Type)
	}
	switch {
	case h.who == staffOnly && !m.id.Staff():
		return errf("forbidden", "only interviewers may send %s", req.Type)
	case h.who == candidateOnly && m.id.Staff():
		return errf("forbidden", "only candidates may send %s", req.Type)
	}
	return h.fn(r, ctx, m, req)
}

// errInternal is what a client sees of a failure that is the server's: the
// cause is logged, never sent. It is temporary: the client may retry.
var errInternal = errf("internal", "the server could not do this; try again")

// clientError maps an action's error to what the client sees: a refusal
// (*Error) as it is, anything else logged with its cause and sent as internal.
func (r *Room) clientError(what string, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	r.hub.log.Error("room action", slog.String("action", what), slog.Int64("interview_id", r.id), slog.Any("error", err))
	return errInternal
}

// commit runs fn in the room's transaction and publishes what it appended.
// Actions go through the room's writer, which commits whatever has queued
// meanwhile in one transaction. fn returns a *Error to refuse, any other
// error for a failure.
func (r *Room) commit(ctx context.Context, what string, fn func(rt *store.RoomTx) error) *Error {
	op := &roomOp{what: what, fn: fn, done: make(chan *Error, 1)}
	gone := errf("unavailable", "the room closed on this server; reconnect and try again")
	select {
	case r.ops <- op:
	case <-r.stopWriter:
		return gone
	case <-ctx.Done():
		return gone
	}
	select {
	case e := <-op.done:
		return e
	case <-r.writerDone:
		select {
		case e := <-op.done:
			return e
		default:
			return gone
		}
	}
}

// roomOp is one queued action and where its outcome goes.
type roomOp struct {
	what string
	fn   func(rt *store.RoomTx) error
	done chan *Error
}

// maxBatch caps how many actions share one transaction.
const maxBatch = 128

// writeLoop is the room's one writer on this instance: it takes every
// action queued so far and commits them together, so the interview's seq
// row is locked once per batch rather than once per action.
func (r *Room) writeLoop() {
	for {
		var batch []*roomOp
		select {
		case op := <-r.ops:
			batch = append(batch, op)
		case <-r.stopWriter:
			// Answer what is still queued; commit sees writerDone for the rest.
			for {
				select {
				case op := <-r.ops:
					op.done <- errf("unavailable", "the room closed on this server; reconnect and try again")
				default:
					return
				}
			}
		}
	more:
		for len(batch) < maxBatch {
			select {
			case op := <-r.ops:
				batch = append(batch, op)
			default:
				break more
			}
		}
		r.commitBatch(batch)
	}
}

func (r *Room) commitBatch(batch []*roomOp) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fns := make([]func(rt *store.RoomTx) error, len(batch))
	for i, op := range batch {
		fns[i] = op.fn
	}
	fns[0] = func(rt *store.RoomTx) error {
		r.hub.noteDBClock(rt.Now)
		return batch[0].fn(rt)
	}
	errs, evs, err := r.hub.store.InRoomBatch(ctx, r.id, fns)
	if err != nil {
		e := r.clientError("commit batch", err)
		for _, op := range batch {
			op.done <- e
		}
		return
	}
	// Publish before answering, so an acknowledged action's events are on
	// their way to every instance.
	r.hub.publish(evs)
	for i, op := range batch {
		var e *Error
		if errs[i] != nil {
			e = r.clientError(op.what, errs[i])
		}
		op.done <- e
	}
}

// liveInterview reads the interview in the room's transaction and refuses
// what an ended one no longer takes.
func liveInterview(ctx context.Context, rt *store.RoomTx) (store.Interview, error) {
	iv, err := rt.Interview(ctx)
	if err != nil {
		return iv, err
	}
	if iv.Status == store.StatusEnded {
		return iv, errf("interview_ended", "the interview has ended")
	}
	return iv, nil
}
