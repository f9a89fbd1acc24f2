// Package server runs one Ace instance: it opens the store and NATS, prepares
// the database, serves HTTP and shuts down gracefully.
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
	"time"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/bus"
	"github.com/ace-interviews/ace/internal/config"
	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/web"
)

// Run serves until ctx is cancelled. It writes the URL to open (and, while no
// account exists, the first-admin setup URL) to out.
func Run(ctx context.Context, cfg config.Config, out io.Writer, log *slog.Logger) error {
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	if n, err := st.Migrate(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("migrated database", slog.Int("migrations", n), slog.String("dialect", string(st.Dialect())))
	}
	if err := SeedDemo(ctx, st, log); err != nil {
		return err
	}
	b, err := bus.Connect(cfg.NATSURL, log)
	if err != nil {
		return err
	}
	defer b.Close()

	hub, err := room.NewHub(st, b.Conn, log, room.Config{})
	if err != nil {
		return err
	}
	metrics := web.NewMetrics()
	app, err := web.New(web.Deps{Config: cfg, Store: st, Bus: b, Hub: hub, Log: log, Metrics: metrics})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("server: listen on %s: %w", cfg.Addr, err)
	}
	base := cfg.BaseURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	ms, mln, err := listenMetrics(cfg, metrics)
	if err != nil {
		ln.Close()
		return err
	}
	served := make(chan error, 2)
	go func() { served <- app.Listener(ln) }()
	if ms != nil {
		defer ms.Close() // on the early returns; a no-op after Shutdown
		go func() { served <- fmt.Errorf("metrics listener: %w", ms.Serve(mln)) }()
	}
	fmt.Fprintf(out, "Ace is running at %s/\n", base)
	if err := printSetupURL(ctx, st, out, base); err != nil {
		return err
	}
	if ms != nil {
		fmt.Fprintf(out, "Metrics are served at http://%s/metrics\n", mln.Addr())
	}
	log.Info("serving", slog.String("addr", ln.Addr().String()), slog.String("dialect", string(st.Dialect())),
		slog.Bool("embedded_nats", cfg.NATSURL == ""), slog.Bool("metrics", ms != nil || cfg.MetricsToken != ""))

	purgeCtx, stopPurge := context.WithCancel(ctx)
	defer stopPurge()
	go web.PurgeSessions(purgeCtx, st, log, time.Hour)
	go web.RelayKicks(purgeCtx, st, hub, log, time.Second)

	select {
	case err := <-served:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	// Fiber's shutdown does not close WebSockets (STACK.md §6): the hub tells
	// each client to reconnect elsewhere and flushes queued drafts first.
	closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	hub.Close(closeCtx)
	cancel()
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("server: %w", err)
	}
	if ms != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := ms.Shutdown(sctx); err != nil {
			return fmt.Errorf("server: shutdown metrics listener: %w", err)
		}
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("server: %w", err)
		}
	}
	return nil
}

// listenMetrics opens the separate /metrics listener when one is
// configured, so metrics can be scraped from a private address without
// being on the public one.
func listenMetrics(cfg config.Config, m *web.Metrics) (*http.Server, net.Listener, error) {
	if cfg.MetricsAddr == "" {
		return nil, nil, nil
	}
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("server: listen for metrics on %s: %w", cfg.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler(cfg.MetricsToken))
	// Profiles, on the same private listener and behind the same token: what
	// docs/benchmarks.md's analyses read.
	mux.Handle("GET /debug/pprof/", web.RequireToken(cfg.MetricsToken, http.HandlerFunc(pprof.Index)))
	for name, h := range map[string]http.HandlerFunc{"profile": pprof.Profile, "trace": pprof.Trace, "cmdline": pprof.Cmdline, "symbol": pprof.Symbol} {
		mux.Handle("GET /debug/pprof/"+name, web.RequireToken(cfg.MetricsToken, h))
	}
	return &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}, ln, nil
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
