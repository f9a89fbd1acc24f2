package room

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/ace-interviews/ace/internal/bus"
	"github.com/ace-interviews/ace/internal/store"
)

// Config tunes an instance's rooms. Zero fields take the defaults.
type Config struct {
	SweepEvery       time.Duration // how often the expiry sweeper looks for due timers
	CheckEvery       time.Duration // how often live rooms compare their last seq with the database
	GapWait          time.Duration // how long an event ahead of a gap waits before the gap is fetched
	DraftFlush       time.Duration // at most this long between a draft's arrival and its write
	UnsubscribeDelay time.Duration // a room with no local member keeps its subscription this long
	SendQueueBytes   int           // bytes queued for an interviewer's socket before it counts as slow
	// BackupDelay is how long after a deadline an instance tries to expire
	// a timer that another instance serving the room armed: long enough for
	// that instance's timer.expired to arrive and disarm it first, so the
	// attempt is rarely made; short enough that a dead instance's timers
	// are late by little (and the sweeper is there after it).
	BackupDelay time.Duration
}

// queueFor sizes a socket's queue in bytes: an interviewer receives every
// candidate's typing, a candidate little more than their own acks.
func (c *Config) queueFor(id Identity) int {
	if id.Staff() {
		return c.SendQueueBytes
	}
	return max(256<<10, c.SendQueueBytes/8)
}

func (c *Config) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.SweepEvery, 500*time.Millisecond)
	set(&c.CheckEvery, time.Second)
	set(&c.GapWait, 100*time.Millisecond)
	set(&c.DraftFlush, 250*time.Millisecond)
	set(&c.UnsubscribeDelay, 2*time.Second)
	set(&c.BackupDelay, 100*time.Millisecond)
	if c.SendQueueBytes <= 0 {
		c.SendQueueBytes = 8 << 20
	}
}

// envelope is what travels on a room's subject: a durable event, or an
// ephemeral frame for an audience.
type envelope struct {
	Event *store.Event `json:"event,omitempty"`
	Eph   *ephemeral   `json:"eph,omitempty"`
	// From is the publishing instance; Armed says it serves the event's room,
	// so it arms the event's timers itself and the others arm theirs as a
	// backup, later (Room.setTimer): a timer's expiry then costs one
	// transaction, not one per instance racing for it.
	From  string `json:"from,omitempty"`
	Armed bool   `json:"armed,omitempty"`
}

type ephemeral struct {
	Audience string          `json:"audience"`
	Type     string          `json:"type"`
	Data     json.RawMessage `json:"data"`
	TS       time.Time       `json:"ts"`
	// Sync asks every instance to re-announce the presence of its members.
	Sync bool `json:"sync,omitempty"`
	// Kick disconnects a participant's sockets on every instance, saying why.
	Kick       int64  `json:"kick,omitempty"`
	KickReason string `json:"kick_reason,omitempty"`
	// DraftOf names the answer an answer.draft is of, so instances coalesce
	// drafts without decoding their text.
	DraftOf *store.AnswerKey `json:"draft_of,omitempty"`
}

// Hub is one instance's set of live rooms.
type Hub struct {
	store  *store.Store
	nc     *nats.Conn
	log    *slog.Logger
	cfg    Config
	drafts *draftWriter
	tasks  *tasks

	// dbOffset is the database's clock minus ours, in ms, as last seen by a
	// room transaction: drafts are judged against deadlines set on that clock.
	dbOffset atomic.Int64
	// expiryAttempts counts the transactions that tried to expire a timer.
	expiryAttempts atomic.Int64

	// Publish sends to NATS; tests replace it to reorder or drop publishes.
	Publish func(subject string, data []byte) error

	id    string // this instance, as envelopes name it
	mu    sync.Mutex
	rooms map[int64]*Room

	connMu         sync.Mutex
	conns          map[*Member]struct{}
	perParticipant map[int64]int // sockets per participant on this instance
	closing        bool
	connsWG        sync.WaitGroup
	control        *nats.Subscription

	stop     chan struct{}
	loopsWG  sync.WaitGroup
	stopOnce sync.Once
}

// NewHub starts an instance's room engine: the sweeper, the seq checker and
// the draft writer.
func NewHub(st *store.Store, nc *nats.Conn, log *slog.Logger, cfg Config) (*Hub, error) {
	cfg.defaults()
	h := &Hub{store: st, nc: nc, log: log, cfg: cfg, tasks: newTasks(log), id: rand.Text(), rooms: map[int64]*Room{}, conns: map[*Member]struct{}{},
		perParticipant: map[int64]int{}, stop: make(chan struct{})}
	h.Publish = nc.Publish
	sub, err := nc.Subscribe(bus.ControlSubject, h.safeMsg("control message", h.onControl))
	if err != nil {
		return nil, fmt.Errorf("room: subscribe %s: %w", bus.ControlSubject, err)
	}
	h.control = sub
	h.drafts = newDraftWriter(h)
	for name, loop := range map[string]func(){"sweeper": h.sweepLoop, "seq check": h.checkLoop, "pinger": h.pingLoop,
		"draft writer": func() { h.drafts.run(h.stop) }} {
		h.loopsWG.Add(1)
		go func() {
			defer h.loopsWG.Done()
			h.forever(name, loop)
		}()
	}
	return h, nil
}

// forever runs a loop until the hub stops, restarting it after a panic.
func (h *Hub) forever(name string, loop func()) {
	for {
		h.tasks.run(name, loop)
		select {
		case <-h.stop:
			return
		default:
			time.Sleep(100 * time.Millisecond) // a loop only returns early by panicking
		}
	}
}

// now is the database's clock as best known here.
func (h *Hub) now() time.Time {
	return time.Now().Add(time.Duration(h.dbOffset.Load()) * time.Millisecond)
}

// noteDBClock records the database's clock read by a room transaction.
func (h *Hub) noteDBClock(db time.Time) {
	h.dbOffset.Store(time.Until(db).Milliseconds())
}

// MaxSocketsPerCandidate caps one invite's sockets on one instance: a few
// tabs, not a flood of silent sockets held open on one token.
const MaxSocketsPerCandidate = 5

// track registers a socket from its upgrade on, before hello, so shutdown
// and KickUser reach it; it refuses a candidate's socket over the cap.
func (h *Hub) track(m *Member) *Error {
	h.connMu.Lock()
	defer h.connMu.Unlock()
	if h.closing {
		return errShuttingDown
	}
	if !m.id.Staff() && h.perParticipant[m.id.ParticipantID] >= MaxSocketsPerCandidate {
		return errf("too_many_connections", "this invite is already open in %d tabs; close one and reconnect", MaxSocketsPerCandidate)
	}
	h.perParticipant[m.id.ParticipantID]++
	h.conns[m] = struct{}{}
	h.connsWG.Add(1)
	return nil
}

// untrack forgets a socket that is ending (no more pings or kicks, its
// invite's slot free); end counts it done in connsWG once it is closed.
func (h *Hub) untrack(m *Member) {
	h.connMu.Lock()
	delete(h.conns, m)
	if h.perParticipant[m.id.ParticipantID]--; h.perParticipant[m.id.ParticipantID] <= 0 {
		delete(h.perParticipant, m.id.ParticipantID)
	}
	h.connMu.Unlock()
}

// Close tells every client to reconnect elsewhere (close 1001), waits for
// the connections to end or ctx, then flushes queued drafts, waits for the
// background work and stops.
func (h *Hub) Close(ctx context.Context) {
	h.connMu.Lock()
	h.closing = true
	for m := range h.conns {
		m.kick(1001, "server shutting down; reconnect")
	}
	h.connMu.Unlock()
	done := make(chan struct{})
	go func() { h.connsWG.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	h.stopOnce.Do(func() { close(h.stop) })
	if h.control != nil {
		_ = h.control.Unsubscribe()
	}
	h.loopsWG.Wait()
	h.mu.Lock()
	rooms := h.rooms
	h.rooms = map[int64]*Room{}
	h.mu.Unlock()
	for _, r := range rooms {
		r.close()
	}
	h.tasks.close()
}

// Rooms returns how many rooms this instance is subscribed to.
func (h *Hub) Rooms() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.rooms)
}

// Connections returns how many sockets this instance serves.
func (h *Hub) Connections() int {
	h.connMu.Lock()
	defer h.connMu.Unlock()
	return len(h.conns)
}

// publish sends committed events to every instance serving the room,
// this one included: all deliver from the subscription, in seq order.
func (h *Hub) publish(evs []store.Event) {
	for i := range evs {
		b, err := json.Marshal(envelope{Event: &evs[i], From: h.id, Armed: h.serves(evs[i].InterviewID)})
		if err == nil {
			err = h.Publish(bus.RoomSubject(evs[i].InterviewID), b)
		}
		if err != nil {
			// The event is stored; the seq check delivers it within a second.
			h.log.Error("publish event", slog.Int64("interview_id", evs[i].InterviewID), slog.Int64("seq", evs[i].Seq), slog.Any("error", err))
		}
	}
}

// serves reports whether this instance has the room open (or opening),
// and so arms its timers.
func (h *Hub) serves(interviewID int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[interviewID] != nil
}

func (h *Hub) publishEphemeral(interviewID int64, e ephemeral) {
	if e.TS.IsZero() {
		e.TS = h.now()
	}
	b, err := json.Marshal(envelope{Eph: &e})
	if err == nil {
		err = h.Publish(bus.RoomSubject(interviewID), b)
	}
	if err != nil {
		h.log.Warn("publish ephemeral", slog.Int64("interview_id", interviewID), slog.String("type", e.Type), slog.Any("error", err))
	}
}

// join adds m to its room on this instance, opening the room on its first
// local member. The hub's lock guards only the map: the room is opened
// (subscribe, flush, reads) outside it, and others joining meanwhile wait
// for that room alone.
func (h *Hub) join(ctx context.Context, interviewID int64, m *Member, lastSeq int64) (*Room, error) {
	for {
		h.mu.Lock()
		r := h.rooms[interviewID]
		opener := r == nil
		if opener {
			r = newRoom(h, interviewID)
			h.rooms[interviewID] = r
		}
		h.mu.Unlock()
		if opener {
			r.open(ctx)
		}
		select {
		case <-r.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if r.openErr != nil {
			h.mu.Lock()
			if h.rooms[interviewID] == r {
				delete(h.rooms, interviewID)
			}
			h.mu.Unlock()
			return nil, r.openErr
		}
		ok, err := r.add(ctx, m, lastSeq)
		if err != nil {
			return nil, err
		}
		if ok {
			return r, nil
		}
		// The room was dissolving as we came; take a fresh one.
	}
}

// dissolve removes an empty room after the delay, unless someone joined.
func (h *Hub) dissolve(r *Room) {
	time.AfterFunc(h.cfg.UnsubscribeDelay, func() {
		h.tasks.run("dissolve room", func() {
			h.mu.Lock()
			r.mu.Lock()
			empty := len(r.members) == 0 && len(r.joining) == 0 && !r.closed
			if empty {
				r.closed = true
			}
			r.mu.Unlock()
			gone := empty && h.rooms[r.id] == r
			if gone {
				delete(h.rooms, r.id)
			}
			h.mu.Unlock()
			if gone {
				r.close() // unsubscribes: outside the hub's lock
			}
		})
	})
}

// liveRooms returns this instance's rooms that are open.
func (h *Hub) liveRooms() []*Room {
	h.mu.Lock()
	defer h.mu.Unlock()
	rs := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		select {
		case <-r.ready:
			if r.openErr == nil {
				rs = append(rs, r)
			}
		default:
		}
	}
	return rs
}

// pingLoop pings every socket once per pingEvery, from one ticker for the
// instance rather than one per socket: an idle socket has no goroutine of
// its own writing.
func (h *Hub) pingLoop() {
	t := time.NewTicker(pingEvery)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		h.connMu.Lock()
		for m := range h.conns {
			m.ping()
		}
		h.connMu.Unlock()
	}
}

// checkLoop compares each live room's last delivered seq with the
// database once per CheckEvery, in one query for all rooms: an event
// committed by an instance that died before publishing, or a message NATS
// dropped, still arrives.
func (h *Hub) checkLoop() {
	t := time.NewTicker(h.cfg.CheckEvery)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		rooms := h.liveRooms()
		if len(rooms) == 0 {
			continue
		}
		ids := make([]int64, len(rooms))
		for i, r := range rooms {
			ids[i] = r.id
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		seqs, err := h.store.LastSeqs(ctx, ids)
		cancel()
		if err != nil {
			h.log.Error("seq check", slog.Any("error", err))
			continue
		}
		for _, r := range rooms {
			if seqs[r.id] > r.deliveredSeq() {
				h.tasks.goRun("repair", r.repair)
			}
		}
	}
}
