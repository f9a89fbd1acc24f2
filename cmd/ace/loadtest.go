package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/ace-interviews/ace/internal/loadtest"
)

func loadtestCmd() *cli.Command {
	return &cli.Command{
		Name:  "loadtest",
		Usage: "drive running instances with many WebSocket clients and report latencies against this machine's floors",
		Description: "Creates interviews through the API, connects an interviewer and --candidates candidates per room\n" +
			"(rooms spread round-robin over the --url instances: the interviewer on one, its candidates on the next),\n" +
			"pushes --pushes questions with --timer second timers while candidates type at --draft-rate drafts/s,\n" +
			"and reports push→receive and draft→interviewer latency, timer-expiry lateness, missed or duplicate\n" +
			"expiries, durable events per second and, with --idle, server memory per idle connection. Each result\n" +
			"is printed beside the floor of the same run: one NATS round trip (--nats-url) and one PostgreSQL commit\n" +
			"of one row (--database-url), measured first on the quiet machine and again under the load, sampled\n" +
			"--loaded-floor-rate times a second beside the rooms; ratios are to the floor under the load.\n" +
			"Exits non-zero if any timer did not expire exactly once.\n" +
			"Point it only at servers you run; it creates interviews and candidates in their database.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "url", Value: []string{"http://127.0.0.1:8080"}, Usage: "instance base URL (repeatable)"},
			&cli.StringFlag{Name: "token", Usage: "staff API token (ace token create)", Sources: cli.EnvVars("ACE_LOADTEST_TOKEN")},
			&cli.IntFlag{Name: "rooms", Value: 10, Usage: "interviews run at once"},
			&cli.IntFlag{Name: "candidates", Value: 1, Usage: "candidates per room (at most 200)"},
			&cli.FloatFlag{Name: "draft-rate", Value: 5, Usage: "answer.draft frames per second per candidate while a timer runs"},
			&cli.FloatFlag{Name: "chat-rate", Value: 0, Usage: "chat.send frames per second per candidate (durable events)"},
			&cli.IntFlag{Name: "timer", Value: 2, Usage: "seconds of each pushed question's timer"},
			&cli.StringFlag{Name: "pacing", Value: "pushed", Usage: "pushed: the interviewer pushes each question; self_paced: each candidate opens the questions in turn (question.open), each after their own timer for the previous one expired"},
			&cli.IntFlag{Name: "pushes", Value: 3, Usage: "questions each room pushes, each after the previous one's expiry (at most 100)"},
			&cli.DurationFlag{Name: "duration", Value: time.Minute, Usage: "stop starting pushes after this long (0: when --pushes are done)"},
			&cli.IntFlag{Name: "idle", Usage: "idle candidate connections to open on the first --url to measure memory per connection"},
			&cli.IntFlag{Name: "server-pid", Usage: "with --idle: also read VmRSS of this local server process (the first --url) from /proc"},
			&cli.StringFlag{Name: "metrics-url", Usage: "with --idle: the first --url's metrics, e.g. http://127.0.0.1:9090/metrics for --metrics-addr 127.0.0.1:9090 (default <first --url>/metrics)"},
			&cli.StringFlag{Name: "metrics-token", Usage: "the server's --metrics-token, sent as a bearer token to --metrics-url", Sources: cli.EnvVars("ACE_METRICS_TOKEN")},
			&cli.Int64Flag{Name: "seed-question-id", Usage: "bank question every room plans (default: the first from GET /api/v1/questions?limit=1)"},
			&cli.StringFlag{Name: "nats-url", Value: "nats://127.0.0.1:4222", Usage: "NATS for the floor; an embedded server if unreachable"},
			&cli.StringFlag{Name: "database-url", Value: "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", Usage: "PostgreSQL for the commit floor (\"\" skips it)"},
			&cli.IntFlag{Name: "floor-samples", Value: 1000, Usage: "round trips and commits per floor before the load"},
			&cli.FloatFlag{Name: "loaded-floor-rate", Value: 20, Usage: "floor samples a second (one round trip, then one commit) under the load, beside the rooms (0: none)"},
			&cli.DurationFlag{Name: "grace", Value: 5 * time.Second, Usage: "how long past the last deadline to wait for expiries"},
			&cli.DurationFlag{Name: "push-gap", Value: 250 * time.Millisecond, Usage: "pause between a timer's expiry and the room's next push"},
			&cli.IntFlag{Name: "dial-workers", Value: 32, Usage: "concurrent WebSocket dials"},
			&cli.BoolFlag{Name: "quiet", Usage: "no progress line every second"},
			&cli.IntFlag{Name: "storm", Usage: "instead: a reconnect storm of one room with this many candidates (at most 200), all dropping and reconnecting at once"},
			&cli.IntFlag{Name: "missed", Value: 50, Usage: "with --storm: durable events stored while the candidates are away"},
			&cli.StringFlag{Name: "typists", Usage: "instead: a file of invite tokens (one a line) of --interview's candidates, who type at --draft-rate for --duration once a question is on screen"},
			&cli.Int64Flag{Name: "interview", Usage: "with --typists: the interview"},
			&cli.StringFlag{Name: "typists-out", Usage: "with --typists: write each candidate's last text here (JSON)"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if f := cmd.String("typists"); f != "" {
				b, err := os.ReadFile(f)
				if err != nil {
					return err
				}
				return loadtest.Typists(ctx, loadtest.TypistsConfig{URLs: cmd.StringSlice("url"), Interview: cmd.Int64("interview"),
					Tokens: strings.Fields(string(b)), DraftRate: cmd.Float("draft-rate"), Duration: cmd.Duration("duration"),
					Out: cmd.String("typists-out")}, cmd.Root().Writer)
			}
			if n := int(cmd.Int("storm")); n > 0 {
				rep, err := loadtest.Storm(ctx, loadtest.StormConfig{URLs: cmd.StringSlice("url"), Token: cmd.String("token"),
					Candidates: n, Missed: int(cmd.Int("missed")), QuestionID: cmd.Int64("seed-question-id")}, cmd.Root().Writer)
				if err != nil {
					return err
				}
				rep.Print(cmd.Root().Writer)
				if rep.Exact != rep.Candidates {
					return cli.Exit(fmt.Sprintf("loadtest: %d of %d candidates were not resumed exactly", rep.Candidates-rep.Exact, rep.Candidates), 1)
				}
				return nil
			}
			cfg := loadtest.Config{
				URLs:            cmd.StringSlice("url"),
				Token:           cmd.String("token"),
				Rooms:           int(cmd.Int("rooms")),
				Candidates:      int(cmd.Int("candidates")),
				DraftRate:       cmd.Float("draft-rate"),
				ChatRate:        cmd.Float("chat-rate"),
				TimerS:          int(cmd.Int("timer")),
				Pushes:          int(cmd.Int("pushes")),
				Pacing:          cmd.String("pacing"),
				Duration:        cmd.Duration("duration"),
				Idle:            int(cmd.Int("idle")),
				QuestionID:      cmd.Int64("seed-question-id"),
				ServerPID:       int(cmd.Int("server-pid")),
				MetricsURL:      cmd.String("metrics-url"),
				MetricsToken:    cmd.String("metrics-token"),
				NATSURL:         cmd.String("nats-url"),
				DatabaseURL:     cmd.String("database-url"),
				FloorSamples:    int(cmd.Int("floor-samples")),
				LoadedFloorRate: cmd.Float("loaded-floor-rate"),
				Grace:           cmd.Duration("grace"),
				PushGap:         cmd.Duration("push-gap"),
				DialWorkers:     int(cmd.Int("dial-workers")),
				Quiet:           cmd.Bool("quiet"),
			}
			rep, err := loadtest.Run(ctx, cfg, cmd.Root().Writer)
			if err != nil {
				return err
			}
			if n := rep.ExpiryFailures(); n > 0 {
				return cli.Exit(fmt.Sprintf("loadtest: %d timer expiries were missed or duplicated", n), 1)
			}
			return nil
		},
	}
}
