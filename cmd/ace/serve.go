package main

import (
	"context"

	"github.com/urfave/cli/v3"

	"github.com/ace-interviews/ace/internal/server"
	"github.com/ace-interviews/ace/internal/store"
)

func serveCmd() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "run the web server (migrates the database and loads the demo bank into an empty one)",
		Description: "With no --database-url and no --nats-url, Ace runs on embedded defaults: a SQLite file\n" +
			"in --data-dir and NATS in-process; it needs nothing else installed.",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			c, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			return server.Run(ctx, c, cmd.Root().Writer, newLogger(c))
		},
	}
}

func migrateCmd() *cli.Command {
	return &cli.Command{
		Name:  "migrate",
		Usage: "apply database migrations and exit (serve also does this on start)",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			c, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			st, err := store.Open(ctx, c.DatabaseURL, c.DataDir)
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := st.Migrate(ctx)
			if err != nil {
				return err
			}
			out(cmd, "Applied %d migration(s) to the %s database.\n", n, st.Dialect())
			return nil
		},
	}
}
