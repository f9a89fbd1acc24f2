package room

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/ace-interviews/ace/internal/bus"
	"github.com/ace-interviews/ace/internal/store"
)

// Room is one interview on one instance: its local members, its NATS
// subscription, and the state its delivered events have built. Its lock
// guards memory only: no database query or NATS call is made while it is
// held.
type Room struct {
	id  int64
	hub *Hub
	sub *nats.Subscription

	ready   chan struct{} // closed once open has finished
	openErr error         // set before ready is closed

	mu        sync.Mutex
	loading   bool                     // open has subscribed but not read the state yet
	early     []store.Event            // events that arrived while loading
	members   map[*Member]struct{}     // live members
	joining   map[*Member]*joinBuffer  // members reading their welcome and replay
	closed    bool                     //
	delivered int64                    // the last seq handed to local sockets
	pending   map[int64]store.Event    // events that arrived ahead of a gap
	gapTimer  *time.Timer              // set while a gap fetch is scheduled
	repairing sync.Mutex               // one repair at a time
	status    string                   // interview status as of delivered
	current   int                      // position on screen as of delivered
	pacing    string                   // pushed or self_paced
	limits    map[int]int              // self-paced: the plan's positions and time limits
	timers    map[timerKey]store.Timer // as of delivered
	armed     map[int64]*time.Timer    // local expiry timers by timer id
	submitted map[store.AnswerKey]bool // as of delivered: drafts no longer change these
	drafts    *draftThrottle           // interviewers' coalesced typing
	outbound  *publishThrottle         // local candidates' typing, as published
	// candidates counts the room's candidates, read at load and raised by
	// participant.added from any instance; draftEvery follows it.
	candidates atomic.Int64

	ops        chan *roomOp  // actions waiting for the room's writer
	stopWriter chan struct{} // closed when the room closes
	writerDone chan struct{}
	stopOnce   sync.Once
}

type timerKey struct {
	scope     string
	position  int
	candidate int64
}

func keyOf(t store.Timer) timerKey { return timerKey{t.Scope, t.Position, t.CandidateID} }

// joinBuffer holds what a joining member would have been sent while its
// welcome and replay were read, to be merged by seq when it goes live.
type joinBuffer struct {
	frames  []bufferedFrame
	lastSeq int64  // the last durable event delivered meanwhile, visible or not
	kicked  string // a kick that arrived meanwhile
}

type bufferedFrame struct {
	seq int64 // 0 for ephemeral frames
	b   []byte
}

func newRoom(h *Hub, id int64) *Room {
	return &Room{id: id, hub: h, ready: make(chan struct{}), loading: true,
		members: map[*Member]struct{}{}, joining: map[*Member]*joinBuffer{}, pending: map[int64]store.Event{},
		timers: map[timerKey]store.Timer{}, armed: map[int64]*time.Timer{}, submitted: map[store.AnswerKey]bool{},
		ops: make(chan *roomOp, maxBatch), stopWriter: make(chan struct{}), writerDone: make(chan struct{})}
}

// open subscribes first and reads the database second, holding no lock:
// events that arrive in between wait in early and are accepted by seq once
// the state is read (a repeat is dropped).
func (r *Room) open(ctx context.Context) {
	defer close(r.ready)
	r.openErr = r.load(ctx)
	if r.openErr != nil {
		if r.sub != nil {
			_ = r.sub.Unsubscribe()
		}
		r.mu.Lock()
		r.closed = true
		r.mu.Unlock()
		close(r.writerDone)
		return
	}
	r.hub.tasks.goRun("room writer", func() { defer close(r.writerDone); r.writeLoop() })
}

func (r *Room) load(ctx context.Context) error {
	h := r.hub
	sub, err := h.nc.Subscribe(bus.RoomSubject(r.id), h.safeMsg("room message", r.onMsg))
	if err != nil {
		return fmt.Errorf("room: subscribe: %w", err)
	}
	r.sub = sub
	if err := sub.SetPendingLimits(bus.PendingMsgs, bus.PendingBytes); err != nil {
		return fmt.Errorf("room: pending limits: %w", err)
	}
	// Make sure the server has the subscription before we read the last seq:
	// otherwise an event published in between would wait for the seq check.
	if err := h.nc.FlushTimeout(5 * time.Second); err != nil {
		return fmt.Errorf("room: flush subscription: %w", err)
	}
	iv, err := h.store.GetInterview(ctx, r.id)
	if err != nil {
		return err
	}
	ts, err := h.store.RoomTimers(ctx, r.id)
	if err != nil {
		return err
	}
	subs, err := h.store.SubmittedAnswers(ctx, r.id)
	if err != nil {
		return err
	}
	ps, err := h.store.Participants(ctx, r.id)
	if err != nil {
		return err
	}
	var limits map[int]int
	if iv.Pacing == store.PacingSelfPaced {
		// The plan of a self-paced exam is fixed once it can start.
		qs, err := h.store.PlannedQuestions(ctx, r.id)
		if err != nil {
			return err
		}
		limits = planLimits(qs)
	}
	for _, p := range ps {
		if p.Role == store.PartCandidate {
			r.candidates.Add(1)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.delivered, r.status, r.current = iv.LastSeq, iv.Status, iv.CurrentPosition
	r.pacing, r.limits = iv.Pacing, limits
	for _, t := range ts {
		r.setTimer(t)
	}
	for _, k := range subs {
		r.submitted[k] = true
	}
	r.drafts = newDraftThrottle(r, r.draftEvery)
	r.outbound = newPublishThrottle(h, r.id, r.draftEvery)
	r.loading = false
	for _, ev := range r.early {
		r.accept(ev)
	}
	r.early = nil
	return nil
}

// close stops the room; the hub has removed it from its map. It makes NATS
// calls, so no lock may be held by the caller.
func (r *Room) close() {
	if r.outbound != nil {
		r.outbound.stop()
	}
	if r.sub != nil {
		_ = r.sub.Unsubscribe()
	}
	r.stopOnce.Do(func() { close(r.stopWriter) })
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	for id, t := range r.armed {
		t.Stop()
		delete(r.armed, id)
	}
	if r.gapTimer != nil {
		r.gapTimer.Stop()
	}
	if r.drafts != nil {
		r.drafts.stop()
	}
}

func (r *Room) deliveredSeq() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.delivered
}

// add makes m a live member: it registers m as joining, reads the welcome's
// state and the events m missed since lastSeq from the database without any
// lock, and then, under the lock, sends the welcome, the replay and what was
// delivered meanwhile (merged by seq, no gap, no repeat). Many members
// reconnecting at once are welcomed in parallel. It returns false if the
// room closed meanwhile, and a *Error when m may not join.
func (r *Room) add(ctx context.Context, m *Member, lastSeq int64) (bool, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return false, nil
	}
	buf := &joinBuffer{}
	r.joining[m] = buf
	r.mu.Unlock()

	frames, stored, err := r.welcomeAndReplay(ctx, m, lastSeq)

	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.joining, m)
	switch {
	case err != nil:
		r.leftLocked()
		return false, err
	case buf.kicked != "":
		r.leftLocked()
		return false, errf("removed", "%s", buf.kicked)
	case r.closed:
		return false, nil
	}
	sent := stored
	for _, f := range buf.frames {
		switch {
		case f.seq == 0:
			frames = append(frames, f.b)
		case f.seq > sent:
			frames = append(frames, f.b)
			sent = f.seq
		}
	}
	m.room = r
	m.sent = max(sent, buf.lastSeq)
	m.enqueueReplay(frames)
	r.members[m] = struct{}{}
	r.announce(m, true)
	if m.id.Staff() {
		r.hub.publishEphemeral(r.id, ephemeral{Audience: store.AudienceStaff, Type: "presence.sync", Sync: true})
	}
	return true, nil
}

// welcomeAndReplay reads, without any lock, the welcome frame and the events
// after lastSeq up to the last seq stored when the welcome was read.
func (r *Room) welcomeAndReplay(ctx context.Context, m *Member, lastSeq int64) ([][]byte, int64, error) {
	snap, err := loadSnapshot(ctx, r.hub.store, r.id, m.id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, 0, errf("forbidden", "you are not a participant of this interview")
	}
	if err != nil {
		return nil, 0, err
	}
	if e := admit(m.id, snap, r.id); e != nil {
		return nil, 0, e
	}
	now := r.hub.now()
	w := welcomeFor(m.id, snap, now, r.draftEvery())
	frames := [][]byte{encodeFrame(frame{Type: "welcome", TS: ts(now), Data: mustJSON(w)})}
	stored := snap.iv.LastSeq
	// A client cannot have seen more than the database holds.
	for after := min(lastSeq, stored); after < stored; {
		evs, err := r.hub.store.EventsAfter(ctx, r.id, after, 500)
		if err != nil {
			return nil, 0, err
		}
		if len(evs) == 0 {
			break
		}
		for _, ev := range evs {
			if ev.Seq > stored {
				break
			}
			if b := newDelivered(ev).frameFor(m.id); b != nil {
				frames = append(frames, b)
			}
			after = ev.Seq
		}
	}
	return frames, stored, nil
}

// leave removes m; the last local member starts the room's dissolution.
func (r *Room) leave(m *Member) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.members, m)
	r.announce(m, false)
	r.leftLocked()
}

// leftLocked dissolves the room once nobody is in it or joining. Caller holds r.mu.
func (r *Room) leftLocked() {
	if len(r.members) == 0 && len(r.joining) == 0 {
		r.hub.dissolve(r)
	}
}

// announce publishes m's presence to the staff of every instance.
func (r *Room) announce(m *Member, online bool) {
	r.hub.publishEphemeral(r.id, ephemeral{Audience: store.AudienceStaff, Type: "presence.changed",
		Data: mustJSON(presenceData{ParticipantID: m.id.ParticipantID, Name: m.id.Name, Role: m.id.Role, Online: online})})
}

// onMsg is the NATS callback: every event and ephemeral frame of the room,
// from every instance, this one included.
func (r *Room) onMsg(msg *nats.Msg) {
	var env envelope
	if err := json.Unmarshal(msg.Data, &env); err != nil {
		r.hub.log.Error("bad room message", slog.Int64("interview_id", r.id), slog.Any("error", err))
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case env.Event != nil && r.loading:
		r.early = append(r.early, *env.Event)
	case env.Event != nil:
		r.acceptFrom(*env.Event, env.Armed && env.From != r.hub.id)
	case env.Eph == nil || r.loading:
	case env.Eph.Sync:
		for m := range r.members {
			r.announce(m, true)
		}
	case env.Eph.Type == "answer.draft" && env.Eph.DraftOf != nil:
		r.drafts.offer(env.Eph)
	default:
		if env.Eph.Kick != 0 {
			r.kickLocked(env.Eph.Kick, env.Eph.KickReason)
		}
		if env.Eph.Type == "participant.added" {
			r.countAdded(env.Eph.Data)
		}
		r.fanOut(env.Eph.Audience, encodeFrame(frame{Type: env.Eph.Type, TS: ts(env.Eph.TS), Data: env.Eph.Data}))
	}
}

// draftEvery is how often the room's candidates send their drafts, and how
// often their typing is passed on to the interviewers (draftInterval).
func (r *Room) draftEvery() time.Duration {
	return time.Duration(draftInterval(int(r.candidates.Load()))) * time.Millisecond
}

// countAdded counts a candidate added while the room is open, so a room
// filled by invites sent during the session slows its typing as one filled
// beforehand does.
func (r *Room) countAdded(data json.RawMessage) {
	var d addedData
	if err := json.Unmarshal(data, &d); err != nil {
		r.hub.log.Error("bad participant.added", slog.Int64("interview_id", r.id), slog.Any("error", err))
		return
	}
	if d.Role == store.PartCandidate {
		r.candidates.Add(1)
	}
}

// kickLocked closes a participant's sockets, joined or joining. Caller holds r.mu.
func (r *Room) kickLocked(participantID int64, reason string) {
	for m := range r.members {
		if m.id.ParticipantID == participantID {
			m.kick(closeRevoked, reason)
		}
	}
	for m, buf := range r.joining {
		if m.id.ParticipantID == participantID {
			buf.kicked = reason
		}
	}
}

// fanOut queues an ephemeral frame to every member of the audience, joining
// ones included. Caller holds r.mu.
func (r *Room) fanOut(audience string, b []byte) {
	for m := range r.members {
		if visibleTo(audience, m.id) {
			m.enqueue(b)
		}
	}
	for m, buf := range r.joining {
		if visibleTo(audience, m.id) {
			buf.frames = append(buf.frames, bufferedFrame{b: b})
		}
	}
}

// accept delivers ev in seq order: a repeat is dropped, an event ahead of
// a gap waits while the gap is fetched from the database. Caller holds r.mu.
func (r *Room) accept(ev store.Event) { r.acceptFrom(ev, false) }

// acceptFrom is accept, told whether another instance that serves the room
// published ev (backup): that instance expires ev's timers, so this one
// arms them as a backup, later. An event that waits behind a gap loses the
// mark and is armed on time: an extra attempt costs a transaction, a
// missing one a late expiry.
func (r *Room) acceptFrom(ev store.Event, backup bool) {
	if r.closed || ev.Seq <= r.delivered {
		return
	}
	if ev.Seq > r.delivered+1 {
		r.pending[ev.Seq] = ev
		if r.gapTimer == nil {
			r.gapTimer = time.AfterFunc(r.hub.cfg.GapWait, func() { r.hub.tasks.run("repair gap", r.repair) })
		}
		return
	}
	r.deliver(ev, backup)
	for {
		next, ok := r.pending[r.delivered+1]
		if !ok {
			break
		}
		delete(r.pending, next.Seq)
		r.deliver(next, false)
	}
	for seq := range r.pending {
		if seq <= r.delivered {
			delete(r.pending, seq)
		}
	}
}

// deliver applies ev to the room's state and queues it to each member that
// may see it. Caller holds r.mu.
func (r *Room) deliver(ev store.Event, backup bool) {
	r.delivered = ev.Seq
	r.apply(ev, backup)
	d := newDelivered(ev)
	for m := range r.members {
		if m.sent >= ev.Seq {
			continue
		}
		m.sent = ev.Seq
		if b := d.frameFor(m.id); b != nil {
			m.enqueue(b)
		}
	}
	for m, buf := range r.joining {
		buf.lastSeq = ev.Seq
		if b := d.frameFor(m.id); b != nil {
			buf.frames = append(buf.frames, bufferedFrame{seq: ev.Seq, b: b})
		}
	}
}

// repair fetches from the database what the room has not delivered yet.
func (r *Room) repair() {
	r.repairing.Lock()
	defer r.repairing.Unlock()
	r.mu.Lock()
	r.gapTimer = nil
	after, closed := r.delivered, r.closed
	r.mu.Unlock()
	if closed {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		evs, err := r.hub.store.EventsAfter(ctx, r.id, after, 500)
		if err != nil {
			r.hub.log.Error("repair gap", slog.Int64("interview_id", r.id), slog.Any("error", err))
			return
		}
		if len(evs) == 0 {
			return
		}
		r.mu.Lock()
		for _, ev := range evs {
			r.accept(ev)
		}
		after = r.delivered
		r.mu.Unlock()
		if len(evs) < 500 {
			return
		}
	}
}

// apply updates the room's state from a delivered event. Caller holds r.mu.
// An event that does not decode is logged and changes nothing; the room
// answers from the database where it decides something final (submits).
func (r *Room) apply(ev store.Event, backup bool) {
	fail := func(err error) {
		r.hub.log.Error("apply event", slog.Int64("interview_id", r.id), slog.Int64("seq", ev.Seq), slog.Any("error", err))
	}
	switch ev.Type {
	case "interview.started":
		r.status = store.StatusLive
	case "interview.ended":
		r.status = store.StatusEnded
		for k, t := range r.timers {
			t.State = store.TimerExpired
			r.timers[k] = t
			r.disarm(t.ID)
		}
	case "question.pushed":
		var d questionData
		if err := decodeEvent(ev.Type, ev.Data, &d); err != nil {
			fail(err)
			return
		}
		r.current = d.Position
		// Pushing a question again reopens its answers (store.RoomTx.PushQuestion).
		for k := range r.submitted {
			if k.Position == d.Position {
				delete(r.submitted, k)
			}
		}
	case "answer.submitted":
		var d submittedData
		if err := decodeEvent(ev.Type, ev.Data, &d); err != nil {
			fail(err)
			return
		}
		r.submitted[store.AnswerKey{CandidateID: d.CandidateID, Position: d.Position}] = true
	case "timer.started", "timer.paused", "timer.resumed", "timer.extended", "timer.expired":
		var d timerEvent
		if err := decodeEvent(ev.Type, ev.Data, &d); err != nil {
			fail(err)
			return
		}
		var late time.Duration
		if backup {
			late = r.hub.cfg.BackupDelay
		}
		r.armTimer(d.timer(r.id), late)
	}
}
