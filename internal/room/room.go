package room

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/ace-interviews/ace/internal/store"
)

// Room is one interview on one instance: its local members, its NATS
// subscription, and the state its delivered events have built.
type Room struct {
	id  int64
	hub *Hub
	sub *nats.Subscription

	mu        sync.Mutex
	members   map[*Member]struct{}
	closed    bool
	delivered int64                    // the last seq handed to local sockets
	pending   map[int64]store.Event    // events that arrived ahead of a gap
	gapTimer  *time.Timer              // set while a gap fetch is scheduled
	repairing sync.Mutex               // one repair at a time
	status    string                   // interview status as of delivered
	current   int                      // position on screen as of delivered
	timers    map[timerKey]store.Timer // as of delivered
	armed     map[int64]*time.Timer    // local expiry timers by timer id
	submitted map[store.AnswerKey]bool // as of delivered: drafts no longer change these

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

// openRoom subscribes first and reads the database second: an event that
// lands in between arrives twice and the second copy is dropped by seq.
func (h *Hub) openRoom(ctx context.Context, id int64) (*Room, error) {
	r := &Room{id: id, hub: h, members: map[*Member]struct{}{}, pending: map[int64]store.Event{},
		timers: map[timerKey]store.Timer{}, armed: map[int64]*time.Timer{}, submitted: map[store.AnswerKey]bool{},
		ops: make(chan *roomOp, maxBatch), stopWriter: make(chan struct{}), writerDone: make(chan struct{})}
	r.mu.Lock()
	defer r.mu.Unlock()
	sub, err := h.nc.Subscribe(Subject(id), r.onMsg)
	if err != nil {
		return nil, fmt.Errorf("room: subscribe: %w", err)
	}
	r.sub = sub
	// Make sure the server has the subscription before we read the last seq:
	// otherwise an event published in between would wait for the seq check.
	if err := h.nc.FlushTimeout(5 * time.Second); err != nil {
		_ = sub.Unsubscribe()
		return nil, fmt.Errorf("room: flush subscription: %w", err)
	}
	iv, err := h.store.GetInterview(ctx, id)
	if err != nil {
		_ = sub.Unsubscribe()
		return nil, err
	}
	ts, err := h.store.RoomTimers(ctx, id)
	if err != nil {
		_ = sub.Unsubscribe()
		return nil, err
	}
	subs, err := h.store.SubmittedAnswers(ctx, id)
	if err != nil {
		_ = sub.Unsubscribe()
		return nil, err
	}
	r.delivered, r.status, r.current = iv.LastSeq, iv.Status, iv.CurrentPosition
	for _, t := range ts {
		r.setTimer(t)
	}
	for _, k := range subs {
		r.submitted[k] = true
	}
	go func() { defer close(r.writerDone); r.writeLoop() }()
	return r, nil
}

func (r *Room) close() {
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
}

func (r *Room) deliveredSeq() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.delivered
}

// add sends m its welcome and what it missed since lastSeq, then makes it a
// live member; all under the room lock, so no event slips between replay
// and live delivery. It returns false if the room is closing.
func (r *Room) add(ctx context.Context, m *Member, lastSeq int64) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false, nil
	}
	iv, err := r.hub.store.GetInterview(ctx, r.id)
	if err != nil {
		return false, err
	}
	if err := r.admit(ctx, m, iv); err != nil {
		return false, err
	}
	m.room = r
	welcome, stored, err := r.welcome(ctx, m, iv)
	if err != nil {
		return false, err
	}
	frames := [][]byte{welcome}
	// A client cannot have seen more than the database holds; but it may
	// have seen more than this instance has delivered (another instance got
	// there first): those events must not reach it again when they arrive
	// here, so its socket counts as having been sent them. (Clamping to
	// r.delivered, as before, sent them a second time.)
	lastSeq = min(lastSeq, stored)
	for after := lastSeq; after < r.delivered; {
		evs, err := r.hub.store.EventsAfter(ctx, r.id, after, 500)
		if err != nil {
			return false, err
		}
		if len(evs) == 0 {
			break
		}
		for _, ev := range evs {
			if ev.Seq > r.delivered {
				break
			}
			if b := newDelivered(ev).frameFor(m.id); b != nil {
				frames = append(frames, b)
			}
			after = ev.Seq
		}
	}
	m.enqueueReplay(frames)
	m.sent = max(r.delivered, lastSeq)
	r.members[m] = struct{}{}
	r.announce(m, true)
	if m.id.Staff() {
		r.hub.publishEphemeral(r.id, ephemeral{Audience: store.AudienceStaff, Type: "presence.sync", Sync: true})
	}
	return true, nil
}

// admit decides membership as the socket joins, under the room lock and
// against the stored participant: the upgrade's check is not enough, since a
// socket may wait before hello. A revocation or re-issue is committed before
// its kick is published, so a joining socket either sees it here or is a
// member by the time the kick arrives. Refusals are *Error.
func (r *Room) admit(ctx context.Context, m *Member, iv store.Interview) error {
	p, err := r.hub.store.ParticipantByID(ctx, m.id.ParticipantID)
	if errors.Is(err, store.ErrNotFound) {
		return errf("forbidden", "you are not a participant of this interview")
	}
	if err != nil {
		return err
	}
	candidate := !m.id.Staff()
	switch {
	case p.InterviewID != r.id || p.Role != m.id.Role:
		return errf("forbidden", "you are not a participant of this interview")
	case p.RevokedAt != nil && candidate:
		return errf("revoked", "this invite was revoked")
	case p.RevokedAt != nil:
		return errf("removed", "you were removed from this interview")
	case candidate && (p.TokenHash == nil || *p.TokenHash != m.id.TokenHash):
		return errf("bad_token", "this invite link was replaced by a newer one")
	case candidate && iv.Status == store.StatusEnded:
		return errf("invite_expired", "the interview has ended; the invite no longer opens the room")
	}
	return nil
}

// leave removes m; the last local member starts the room's dissolution.
func (r *Room) leave(m *Member) {
	r.mu.Lock()
	delete(r.members, m)
	empty := len(r.members) == 0
	r.announce(m, false)
	r.mu.Unlock()
	if empty {
		r.hub.dissolve(r)
	}
}

// announce publishes m's presence to the staff of every instance.
func (r *Room) announce(m *Member, online bool) {
	r.hub.publishEphemeral(r.id, ephemeral{Audience: store.AudienceStaff, Type: "presence.changed",
		Data: mustJSON(map[string]any{"participant_id": m.id.ParticipantID, "name": m.id.Name, "role": m.id.Role, "online": online})})
}

// onMsg is the NATS callback: every event and ephemeral frame of the room,
// from every instance, this one included.
func (r *Room) onMsg(msg *nats.Msg) {
	var env envelope
	if err := json.Unmarshal(msg.Data, &env); err != nil {
		r.hub.log.Warn("bad room message", slog.Int64("interview_id", r.id), slog.Any("error", err))
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case env.Event != nil:
		r.accept(*env.Event)
	case env.Eph != nil && env.Eph.Sync:
		for m := range r.members {
			r.announce(m, true)
		}
	case env.Eph != nil:
		if env.Eph.Kick != 0 {
			for m := range r.members {
				if m.id.ParticipantID == env.Eph.Kick {
					m.kick(closeRevoked, env.Eph.KickReason)
				}
			}
		}
		b := encodeFrame(frame{Type: env.Eph.Type, TS: ts(env.Eph.TS), Data: env.Eph.Data})
		for m := range r.members {
			if visibleTo(env.Eph.Audience, m.id) {
				m.enqueue(b)
			}
		}
	}
}

// accept delivers ev in seq order: a repeat is dropped, an event ahead of
// a gap waits while the gap is fetched from the database. Caller holds r.mu.
func (r *Room) accept(ev store.Event) {
	if r.closed || ev.Seq <= r.delivered {
		return
	}
	if ev.Seq > r.delivered+1 {
		r.pending[ev.Seq] = ev
		if r.gapTimer == nil {
			r.gapTimer = time.AfterFunc(r.hub.cfg.GapWait, r.repair)
		}
		return
	}
	r.deliver(ev)
	for {
		next, ok := r.pending[r.delivered+1]
		if !ok {
			break
		}
		delete(r.pending, next.Seq)
		r.deliver(next)
	}
	for seq := range r.pending {
		if seq <= r.delivered {
			delete(r.pending, seq)
		}
	}
}

// deliver applies ev to the room's state and queues it to each member that
// may see it. Caller holds r.mu.
func (r *Room) deliver(ev store.Event) {
	r.delivered = ev.Seq
	r.apply(ev)
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
			r.hub.log.Warn("repair gap", slog.Int64("interview_id", r.id), slog.Any("error", err))
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
func (r *Room) apply(ev store.Event) {
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
		var d struct {
			Position int `json:"position"`
		}
		_ = json.Unmarshal(ev.Data, &d)
		r.current = d.Position
		// Pushing a question again reopens its answers (store.ReopenAnswers).
		for k := range r.submitted {
			if k.Position == d.Position {
				delete(r.submitted, k)
			}
		}
	case "answer.submitted":
		var d struct {
			CandidateID int64 `json:"candidate_id"`
			Position    int   `json:"position"`
		}
		_ = json.Unmarshal(ev.Data, &d)
		r.submitted[store.AnswerKey{CandidateID: d.CandidateID, Position: d.Position}] = true
	case "timer.started", "timer.paused", "timer.resumed", "timer.extended", "timer.expired":
		var d timerEvent
		if err := json.Unmarshal(ev.Data, &d); err == nil {
			r.setTimer(d.timer(r.id))
		}
	}
}

// setTimer records a timer's state and arms or disarms its local expiry.
// Caller holds r.mu.
func (r *Room) setTimer(t store.Timer) {
	r.timers[keyOf(t)] = t
	if t.State != store.TimerRunning {
		r.disarm(t.ID)
		return
	}
	r.disarm(t.ID)
	wait := time.Until(time.UnixMilli(t.DeadlineMS))
	r.armed[t.ID] = time.AfterFunc(max(wait, 0), func() { r.hub.expire(t) })
}

func (r *Room) disarm(id int64) {
	if a, ok := r.armed[id]; ok {
		a.Stop()
		delete(r.armed, id)
	}
}

// welcome is the first frame after hello: who you are and the room as it
// stands, drawn from the database, and the last seq stored. Caller holds r.mu.
func (r *Room) welcome(ctx context.Context, m *Member, iv store.Interview) ([]byte, int64, error) {
	st := r.hub.store
	qs, err := st.PlannedQuestions(ctx, r.id)
	if err != nil {
		return nil, 0, err
	}
	tms, err := st.RoomTimers(ctx, r.id)
	if err != nil {
		return nil, 0, err
	}
	now := r.hub.now()
	data := map[string]any{
		"role":           m.id.Role,
		"participant_id": m.id.ParticipantID,
		"name":           m.id.Name,
		"interview": map[string]any{"id": iv.ID, "title": iv.Title, "status": iv.Status,
			"exam_time_limit_s": iv.ExamTimeLimitS, "current_position": iv.CurrentPosition},
		"last_seq":   iv.LastSeq,
		"server_now": ts(now),
	}
	var question any
	pushed := []map[string]any{}
	for _, q := range qs {
		if q.PushedAt == nil && !m.id.Staff() {
			continue
		}
		v := questionData(q, m.id.Staff())
		if q.Position == iv.CurrentPosition {
			question = v
		}
		pushed = append(pushed, v)
	}
	data["question"] = question
	if m.id.Staff() {
		data["questions"] = pushed
		ps, err := st.Participants(ctx, r.id)
		if err != nil {
			return nil, 0, err
		}
		people := make([]map[string]any, 0, len(ps))
		for _, p := range ps {
			people = append(people, map[string]any{"id": p.ID, "name": p.Name, "role": p.Role, "revoked": p.RevokedAt != nil})
		}
		data["participants"] = people
	} else {
		data["questions"] = pushed
		as, err := st.Answers(ctx, r.id, m.id.ParticipantID)
		if err != nil {
			return nil, 0, err
		}
		answers := make([]map[string]any, 0, len(as))
		for _, a := range as {
			answers = append(answers, map[string]any{"position": a.Position, "text": a.Text, "version": a.Version, "submitted": a.Submitted == 1})
		}
		data["answers"] = answers
	}
	timers := []timerEvent{}
	for _, t := range tms {
		if t.CandidateID != 0 && !m.id.Staff() && t.CandidateID != m.id.ParticipantID {
			continue
		}
		timers = append(timers, timerData(t, now))
	}
	data["timers"] = timers
	return encodeFrame(frame{Type: "welcome", TS: ts(now), Data: mustJSON(data)}), iv.LastSeq, nil
}

// questionData is a planned question as a frame shows it; candidates never
// get the model answer.
func questionData(q store.PlannedQuestion, staff bool) map[string]any {
	v := map[string]any{"position": q.Position, "technology": q.Technology, "level": q.Level, "prompt": q.Prompt, "time_limit_s": q.TimeLimitS}
	if staff {
		v["answer"] = q.Answer
		v["question_id"] = q.QuestionID
	}
	return v
}
