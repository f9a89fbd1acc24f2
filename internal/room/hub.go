package room

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

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
	if c.SendQueueBytes <= 0 {
		c.SendQueueBytes = 8 << 20
	}
}

// Subject is the NATS subject of one interview's room.
func Subject(interviewID int64) string { return "ace.room." + strconv.FormatInt(interviewID, 10) }

// envelope is what travels on a room's subject: a durable event, or an
// ephemeral frame for an audience.
type envelope struct {
	Event *store.Event `json:"event,omitempty"`
	Eph   *ephemeral   `json:"eph,omitempty"`
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
}

// Hub is one instance's set of live rooms.
type Hub struct {
	store  *store.Store
	nc     *nats.Conn
	log    *slog.Logger
	cfg    Config
	drafts *draftWriter
	now    func() time.Time

	// Publish sends to NATS; tests replace it to reorder or drop publishes.
	Publish func(subject string, data []byte) error

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
	h := &Hub{store: st, nc: nc, log: log, cfg: cfg, now: time.Now, rooms: map[int64]*Room{}, conns: map[*Member]struct{}{},
		perParticipant: map[int64]int{}, stop: make(chan struct{})}
	h.Publish = nc.Publish
	sub, err := nc.Subscribe(controlSubject, h.onControl)
	if err != nil {
		return nil, fmt.Errorf("room: subscribe %s: %w", controlSubject, err)
	}
	h.control = sub
	h.drafts = newDraftWriter(h)
	h.loopsWG.Add(3)
	go func() { defer h.loopsWG.Done(); h.sweepLoop() }()
	go func() { defer h.loopsWG.Done(); h.checkLoop() }()
	go func() { defer h.loopsWG.Done(); h.drafts.run(h.stop) }()
	return h, nil
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

func (h *Hub) untrack(m *Member) {
	h.connMu.Lock()
	delete(h.conns, m)
	if h.perParticipant[m.id.ParticipantID]--; h.perParticipant[m.id.ParticipantID] <= 0 {
		delete(h.perParticipant, m.id.ParticipantID)
	}
	h.connMu.Unlock()
	h.connsWG.Done()
}

// Close tells every client to reconnect elsewhere (close 1001), waits for
// the connections to end or ctx, then flushes queued drafts and stops.
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
	for _, r := range h.rooms {
		r.close()
	}
	h.rooms = map[int64]*Room{}
	h.mu.Unlock()
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
		b, _ := json.Marshal(envelope{Event: &evs[i]})
		if err := h.Publish(Subject(evs[i].InterviewID), b); err != nil {
			// The event is stored; the seq check delivers it within a second.
			h.log.Warn("publish event", slog.Int64("interview_id", evs[i].InterviewID), slog.Int64("seq", evs[i].Seq), slog.Any("error", err))
		}
	}
}

func (h *Hub) publishEphemeral(interviewID int64, e ephemeral) {
	if e.TS.IsZero() {
		e.TS = h.now()
	}
	b, _ := json.Marshal(envelope{Eph: &e})
	if err := h.Publish(Subject(interviewID), b); err != nil {
		h.log.Warn("publish ephemeral", slog.Int64("interview_id", interviewID), slog.String("type", e.Type), slog.Any("error", err))
	}
}

// join adds m to its room on this instance, creating and subscribing the
// room on its first local member.
func (h *Hub) join(ctx context.Context, interviewID int64, m *Member, lastSeq int64) (*Room, error) {
	for {
		h.mu.Lock()
		r := h.rooms[interviewID]
		if r == nil {
			var err error
			r, err = h.openRoom(ctx, interviewID)
			if err != nil {
				h.mu.Unlock()
				return nil, err
			}
			h.rooms[interviewID] = r
		}
		h.mu.Unlock()
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
		h.mu.Lock()
		defer h.mu.Unlock()
		r.mu.Lock()
		empty := len(r.members) == 0 && !r.closed
		if empty {
			r.closed = true
		}
		r.mu.Unlock()
		if empty && h.rooms[r.id] == r {
			delete(h.rooms, r.id)
			r.close()
		}
	})
}

// liveRooms returns this instance's rooms.
func (h *Hub) liveRooms() []*Room {
	h.mu.Lock()
	defer h.mu.Unlock()
	rs := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rs = append(rs, r)
	}
	return rs
}

// checkLoop compares each live room's last delivered seq with the
// database once per CheckEvery, in one query for all rooms: an event
// committed by an instance that died before publishing still arrives.
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
			h.log.Warn("seq check", slog.Any("error", err))
			continue
		}
		for _, r := range rooms {
			if seqs[r.id] > r.deliveredSeq() {
				go r.repair()
			}
		}
	}
}
