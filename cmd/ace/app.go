package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/urfave/cli/v3"

	"github.com/ace-interviews/ace/internal/config"
	"github.com/ace-interviews/ace/internal/store"
)

// newApp builds the command tree; stdin and stdout are parameters so tests
// can drive it.
func newApp(stdin io.Reader, stdout io.Writer) *cli.Command {
	def := config.Default()
	return &cli.Command{
		Name:  "ace",
		Usage: "timed mock interviews and interview exams in live rooms",
		Description: "Ace serves an interviewer console, a candidate view and a public question bank.\n" +
			"Every flag can also be set by the ACE_* environment variable shown beside it.",
		Writer:    stdout,
		ErrWriter: os.Stderr,
		Reader:    stdin,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: def.Addr, Usage: "listen address host:port (port 0 picks a free port)", Sources: cli.EnvVars("ACE_ADDR")},
			&cli.StringFlag{Name: "data-dir", Value: def.DataDir, Usage: "directory for the SQLite database and local state", Sources: cli.EnvVars("ACE_DATA_DIR")},
			&cli.StringFlag{Name: "database-url", Usage: "postgres://... to use PostgreSQL; empty means SQLite in --data-dir", Sources: cli.EnvVars("ACE_DATABASE_URL")},
			&cli.StringFlag{Name: "nats-url", Usage: "external NATS, e.g. nats://127.0.0.1:4222; empty runs NATS in-process", Sources: cli.EnvVars("ACE_NATS_URL")},
			&cli.StringFlag{Name: "base-url", Usage: "public URL of this site, used in printed links (default http://<addr>)", Sources: cli.EnvVars("ACE_BASE_URL")},
			&cli.StringFlag{Name: "log-level", Value: def.LogLevel, Usage: "debug, info, warn or error", Sources: cli.EnvVars("ACE_LOG_LEVEL")},
			&cli.StringSliceFlag{Name: "trusted-proxy", Usage: "address of a reverse proxy whose X-Forwarded-For is believed (repeatable)", Sources: cli.EnvVars("ACE_TRUSTED_PROXIES")},
			&cli.StringFlag{Name: "metrics-addr", Usage: "serve /metrics on this separate host:port only (default: /metrics is not served)", Sources: cli.EnvVars("ACE_METRICS_ADDR")},
			&cli.DurationFlag{Name: "practice-retention", Value: def.PracticeRetention, Usage: "delete practice attempts their taker has not opened for this long", Sources: cli.EnvVars("ACE_PRACTICE_RETENTION")},
			&cli.IntFlag{Name: "practice-limit", Value: def.PracticeLimit, Usage: "practice attempts one client address may start per hour", Sources: cli.EnvVars("ACE_PRACTICE_LIMIT")},
			&cli.StringFlag{Name: "metrics-token", Usage: "require Authorization: Bearer <token> for /metrics; without --metrics-addr, serves /metrics on --addr", Sources: cli.EnvVars("ACE_METRICS_TOKEN")},
		},
		Commands: []*cli.Command{serveCmd(), migrateCmd(), importCmd(), exportCmd(), userCmd(), tokenCmd(), loadtestCmd()},
	}
}

// loadConfig reads the global flags into a validated Config.
func loadConfig(cmd *cli.Command) (config.Config, error) {
	c := config.Config{
		Addr:              cmd.String("addr"),
		DataDir:           cmd.String("data-dir"),
		DatabaseURL:       cmd.String("database-url"),
		NATSURL:           cmd.String("nats-url"),
		BaseURL:           cmd.String("base-url"),
		LogLevel:          cmd.String("log-level"),
		TrustedProxies:    cmd.StringSlice("trusted-proxy"),
		MetricsAddr:       cmd.String("metrics-addr"),
		MetricsToken:      cmd.String("metrics-token"),
		PracticeRetention: cmd.Duration("practice-retention"),
		PracticeLimit:     int(cmd.Int("practice-limit")),
	}
	return c, c.Validate()
}

func newLogger(c config.Config) *slog.Logger {
	lvl, _ := c.SlogLevel()
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
}

// openStore opens and migrates the configured database, for the admin commands.
func openStore(ctx context.Context, cmd *cli.Command) (*store.Store, error) {
	c, err := loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, c.DatabaseURL, c.DataDir)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func out(cmd *cli.Command, format string, args ...any) {
	fmt.Fprintf(cmd.Root().Writer, format, args...)
}
