// Package server assembles and runs one Ace instance: it opens the store and
// NATS, prepares the database, serves HTTP (and /metrics on a listener of
// its own when configured) and shuts down gracefully. `ace serve` and the
// tests build instances through New, so tests prove the assembly that ships.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/bus"
	"github.com/ace-interviews/ace/internal/config"
	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/web"
)

// Instance is one assembled server, listening but not yet serving.
type Instance struct {
	URL        string // http://host:port of the listener (not the public base URL)
	MetricsURL string // http://host:port/metrics of the --metrics-addr listener; empty without one
	Store      *store.Store
	Bus        *bus.Bus
	Hub        *room.Hub
	Metrics    *web.Metrics

	cfg       config.Config
	log       *slog.Logger
	app       *fiber.App
	ln        net.Listener
	metrics   *http.Server // nil without --metrics-addr
	metricsLn net.Listener

	mu        sync.Mutex
	closed    bool
	serving   chan struct{} // closed when Serve returns
	stopLoops context.CancelFunc
	loops     sync.WaitGroup
}

// ErrClosed is what Serve returns once Close has begun.
var ErrClosed = errors.New("server: closed")

// Option changes how New assembles an instance.
type Option func(*options)

type options struct {
	rooms room.Config
}

// WithRooms tunes the room engine (tests use short intervals); zero fields
// keep the defaults.
func WithRooms(rc room.Config) Option { return func(o *options) { o.rooms = rc } }

// New opens and migrates the store, connects to NATS (or starts the embedded
// server), starts the room engine and listens on cfg.Addr (and
// cfg.MetricsAddr). On error it releases whatever it had opened.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...Option) (_ *Instance, err error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	in := &Instance{cfg: cfg, log: log, Metrics: web.NewMetrics()}
	defer func() {
		if err != nil {
			in.release()
		}
	}()
	if in.Store, err = store.Open(ctx, cfg.DatabaseURL, cfg.DataDir); err != nil {
		return nil, err
	}
	if n, err := in.Store.Migrate(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		log.Info("migrated database", slog.Int("migrations", n), slog.String("dialect", string(in.Store.Dialect())))
	}
	if in.Bus, err = bus.Connect(cfg.NATSURL, log); err != nil {
		return nil, err
	}
	if in.Hub, err = room.NewHub(in.Store, in.Bus.Conn, log, o.rooms); err != nil {
		return nil, err
	}
	if in.app, err = web.New(web.Deps{Config: cfg, Store: in.Store, Bus: in.Bus, Hub: in.Hub, Log: log, Metrics: in.Metrics}); err != nil {
		return nil, err
	}
	if in.ln, err = net.Listen("tcp", cfg.Addr); err != nil {
		return nil, fmt.Errorf("server: listen on %s: %w", cfg.Addr, err)
	}
	in.URL = "http://" + in.ln.Addr().String()
	if cfg.MetricsAddr != "" {
		// A listener of its own, so metrics can be scraped from a private
		// address without being on the public one.
		if in.metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return nil, fmt.Errorf("server: listen for metrics on %s: %w", cfg.MetricsAddr, err)
		}
		in.metrics = &http.Server{Handler: metricsMux(cfg, in.Metrics), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
		in.MetricsURL = "http://" + in.metricsLn.Addr().String() + "/metrics"
	}
	return in, nil
}

// metricsMux is what the --metrics-addr listener serves.
func metricsMux(cfg config.Config, m *web.Metrics) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler(cfg.MetricsToken))
	// Profiles, on the same private listener and behind the same token: what
	// docs/benchmarks.md's analyses read.
	mux.Handle("GET /debug/pprof/", web.RequireToken(cfg.MetricsToken, http.HandlerFunc(pprof.Index)))
	for name, h := range map[string]http.HandlerFunc{"profile": pprof.Profile, "trace": pprof.Trace, "cmdline": pprof.Cmdline, "symbol": pprof.Symbol} {
		mux.Handle("GET /debug/pprof/"+name, web.RequireToken(cfg.MetricsToken, h))
	}
	return mux
}

// Serve answers HTTP and WebSocket requests, and runs the instance's
// background work (expired sessions, kicks left by the ace command,
// abandoned practice attempts), until
// Close or until a listener fails.
func (in *Instance) Serve() error {
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return ErrClosed
	}
	if in.serving != nil {
		in.mu.Unlock()
		return errors.New("server: Serve called twice")
	}
	in.serving = make(chan struct{})
	loopCtx, stop := context.WithCancel(context.Background())
	in.stopLoops = stop
	in.loops.Add(3)
	in.mu.Unlock()
	defer close(in.serving)

	go func() { defer in.loops.Done(); web.PurgeSessions(loopCtx, in.Store, in.log, time.Hour) }()
	go func() { defer in.loops.Done(); web.RelayKicks(loopCtx, in.Store, in.Hub, in.log, time.Second) }()
	go func() {
		defer in.loops.Done()
		web.PurgePractice(loopCtx, in.Store, in.log, in.cfg.PracticeRetention, time.Hour)
	}()

	served := make(chan error, 2)
	go func() { served <- in.app.Listener(in.ln) }()
	listeners := 1
	if in.metrics != nil {
		listeners++
		go func() { served <- in.metrics.Serve(in.metricsLn) }()
	}
	for range listeners {
		if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("server: %w", err)
		}
	}
	return nil
}

// Close shuts down gracefully within ctx: Fiber's shutdown does not close
// WebSockets (STACK.md §6), so the hub first tells each client to reconnect
// elsewhere (1001) and flushes queued drafts; then HTTP stops, and NATS and
// the store close. A ctx that is already done skips the waiting.
func (in *Instance) Close(ctx context.Context) error {
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return nil
	}
	in.closed = true
	serving := in.serving
	in.mu.Unlock()

	hubCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	in.Hub.Close(hubCtx)
	cancel()
	var errs []error
	if serving != nil {
		if err := in.app.ShutdownWithContext(ctx); err != nil && ctx.Err() == nil {
			errs = append(errs, fmt.Errorf("server: shutdown: %w", err))
		}
		if in.metrics != nil {
			if err := in.metrics.Shutdown(ctx); err != nil && ctx.Err() == nil {
				errs = append(errs, fmt.Errorf("server: shutdown metrics listener: %w", err))
			}
		}
	}
	// Serve may not have reached its listeners yet.
	_ = in.ln.Close()
	if in.metricsLn != nil {
		_ = in.metricsLn.Close()
	}
	if serving != nil {
		<-serving
		in.stopLoops()
		in.loops.Wait()
	}
	in.release()
	return errors.Join(errs...)
}

// release closes what New opened, in reverse order.
func (in *Instance) release() {
	if in.metrics != nil {
		_ = in.metrics.Close()
	}
	if in.metricsLn != nil {
		_ = in.metricsLn.Close()
	}
	if in.ln != nil {
		_ = in.ln.Close()
	}
	if in.Bus != nil {
		in.Bus.Close()
	}
	if in.Store != nil {
		in.Store.Close()
	}
}

// Run serves until ctx is cancelled. It writes the URL to open (and, while no
// account exists, the first-admin setup URL) to out.
func Run(ctx context.Context, cfg config.Config, out io.Writer, log *slog.Logger) error {
	in, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	shutdown := func() error {
		closeCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		return in.Close(closeCtx)
	}
	st := in.Store
	if err := SeedDemo(ctx, st, log); err != nil {
		return errors.Join(err, shutdown())
	}
	base := cfg.BaseURL
	if base == "" {
		base = in.URL
	}
	served := make(chan error, 1)
	go func() { served <- in.Serve() }()
	fmt.Fprintf(out, "Ace is running at %s/\n", base)
	if err := printSetupURL(ctx, st, out, base); err != nil {
		return errors.Join(err, shutdown())
	}
	if in.MetricsURL != "" {
		fmt.Fprintf(out, "Metrics are served at %s\n", in.MetricsURL)
	}
	log.Info("serving", slog.String("addr", in.ln.Addr().String()), slog.String("dialect", string(st.Dialect())),
		slog.Bool("embedded_nats", cfg.NATSURL == ""), slog.Bool("metrics", in.MetricsURL != "" || cfg.MetricsToken != ""))

	select {
	case err := <-served:
		if err == nil {
			err = errors.New("server: stopped serving")
		}
		return errors.Join(err, shutdown())
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := shutdown(); err != nil {
		return err
	}
	return <-served
}

// SeedDemo loads the built-in demo bank into an empty bank, so a first run
// has something to browse.
func SeedDemo(ctx context.Context, st *store.Store, log *slog.Logger) error {
	n, err := st.CountQuestions(ctx)
	if err != nil || n > 0 {
		return err
	}
	res, err := st.ImportQuestions(ctx, bank.Demo())
	if err != nil {
		return fmt.Errorf("server: load demo bank: %w", err)
	}
	log.Info("loaded the demo question bank", slog.Int("questions", res.Created))
	return nil
}

// printSetupURL prints a fresh one-time link for creating the first admin
// while no account exists. A new link replaces the previous one.
func printSetupURL(ctx context.Context, st *store.Store, out io.Writer, base string) error {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	token, hash := auth.NewToken()
	if err := st.SetSetupToken(ctx, hash); err != nil {
		return err
	}
	fmt.Fprintf(out, "Create the first admin account at %s/setup/%s\n", base, token)
	return nil
}
