// Package loadtest drives running Ace instances with many WebSocket clients
// and measures what the live rooms promise: push → receive latency, draft →
// interviewer latency, timer-expiry lateness and exactly-once expiry,
// durable events per second and server memory per connection, each beside
// the floor of the same hops (one NATS round trip, one PostgreSQL commit)
// measured on the same machine in the same run.
package loadtest

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Config is one load test.
type Config struct {
	URLs       []string // instance base URLs; room i has its interviewer on URLs[i%n] and its candidates on URLs[(i+1)%n]
	Token      string   // a staff (interviewer or admin) API token
	Rooms      int      // interviews run at once
	Candidates int      // candidates per room (at most 200)
	DraftRate  float64  // answer.draft frames per second per candidate while a timer runs
	ChatRate   float64  // chat.send frames per second per candidate (durable events)
	TimerS     int      // time limit of each pushed question, seconds
	Pushes     int      // questions each room pushes, one after another's expiry (at most 100)
	// Pacing is "pushed" (the interviewer pushes each question) or
	// "self_paced": each candidate opens the planned questions in turn with
	// question.open, each after their own timer for the previous one
	// expired; the "push" figures are then open → the candidate's own
	// timer.started, and open → ack.
	Pacing     string
	Duration   time.Duration // the active phase stops starting pushes after this long (0: until Pushes are done)
	Idle       int           // idle candidate connections opened on URLs[0] to measure memory per connection
	QuestionID int64         // the bank question every room plans; 0 picks one via GET /api/v1/questions?limit=1
	ServerPID  int           // with Idle: also read VmRSS of this local process (the server at URLs[0]) from /proc
	// MetricsURL is where the server at URLs[0] serves /metrics (its
	// --metrics-addr); "" tries URLs[0]/metrics, which a server serves only
	// with --metrics-token. MetricsToken is sent as a bearer token if set.
	MetricsURL   string
	MetricsToken string

	NATSURL      string // the NATS floor's server; an embedded one when unreachable
	DatabaseURL  string // the PostgreSQL floor's database; "" skips it
	FloorSamples int    // round trips / commits per floor before the load (default 1000)
	// LoadedFloorRate is how many times a second the floors are sampled
	// again during the active phase, under the load (0: not measured; the
	// ratios are then to the floors before the load).
	LoadedFloorRate float64

	PushGap     time.Duration // pause after a room's timer expired before its next push (default 250ms)
	Grace       time.Duration // how long after the last deadline to wait for expiries (default 5s)
	DialWorkers int           // concurrent WebSocket dials (default 32)
	Progress    time.Duration // progress line interval (default 1s)
	Quiet       bool          // no progress lines

	// OnIdle, if set, runs while the idle connections are open, after the
	// second memory reading (tests take a heap profile there).
	OnIdle func()
}

func (c *Config) defaults() {
	if c.FloorSamples <= 0 {
		c.FloorSamples = 1000
	}
	if c.PushGap <= 0 {
		c.PushGap = 250 * time.Millisecond
	}
	if c.Grace <= 0 {
		c.Grace = 5 * time.Second
	}
	if c.Pacing == "" {
		c.Pacing = "pushed"
	}
	if c.DialWorkers <= 0 {
		c.DialWorkers = 32
	}
	if c.Progress <= 0 {
		c.Progress = time.Second
	}
	for i, u := range c.URLs {
		c.URLs[i] = strings.TrimRight(u, "/")
	}
	if c.MetricsURL == "" && len(c.URLs) > 0 {
		c.MetricsURL = c.URLs[0] + "/metrics"
	}
}

// Validate reports the first thing wrong with c.
func (c Config) Validate() error {
	switch {
	case len(c.URLs) == 0:
		return errors.New("loadtest: name at least one --url")
	case c.Token == "":
		return errors.New("loadtest: --token (a staff API token) is required")
	case c.Rooms < 0 || c.Candidates < 0 || c.Idle < 0 || c.Pushes < 0:
		return errors.New("loadtest: --rooms, --candidates, --pushes and --idle must not be negative")
	case c.Rooms > 0 && c.Candidates < 1:
		return errors.New("loadtest: --candidates must be at least 1")
	case c.Candidates > 200:
		return errors.New("loadtest: at most 200 candidates per room (the server's limit)")
	case c.Pushes > 100:
		return errors.New("loadtest: at most 100 pushes per room (the server plans at most 100 questions)")
	case c.Rooms > 0 && c.Pushes > 0 && c.TimerS < 1:
		return errors.New("loadtest: --timer must be at least 1 second")
	case c.TimerS > 14400:
		return errors.New("loadtest: --timer must be at most 14400 seconds")
	case c.LoadedFloorRate < 0 || c.LoadedFloorRate > 1000:
		return errors.New("loadtest: --loaded-floor-rate must be between 0 and 1000 a second")
	case c.DraftRate < 0 || c.ChatRate < 0:
		return errors.New("loadtest: rates must not be negative")
	case c.DraftRate+c.ChatRate > 30:
		return errors.New("loadtest: --draft-rate plus --chat-rate must stay within the server's 30 messages/s per connection")
	case c.Pacing != "pushed" && c.Pacing != "self_paced":
		return errors.New(`loadtest: --pacing must be "pushed" or "self_paced"`)
	case c.Rooms == 0 && c.Idle == 0:
		return errors.New("loadtest: nothing to do: set --rooms or --idle")
	}
	for _, u := range c.URLs {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("loadtest: --url %q: want http://host:port", u)
		}
	}
	return nil
}
