// Package bus is Ace's NATS: an external server when configured, otherwise an
// embedded one running in-process with no TCP port. One code path serves both.
package bus

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Bus is a connection to NATS, and the embedded server when there is one.
type Bus struct {
	Conn     *nats.Conn
	embedded *server.Server
}

// Connect dials url, or starts an embedded server and connects in-process when url is empty.
func Connect(url string, log *slog.Logger) (*Bus, error) {
	opts := []nats.Option{
		nats.Name("ace"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", slog.Any("error", err))
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { log.Info("nats reconnected", slog.String("url", c.ConnectedUrl())) }),
		// Asynchronous errors, above all a slow consumer dropping messages of a
		// subscription: durable events are then fetched by the seq check.
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			log.Error("nats async error", slog.String("subject", subject), slog.Any("error", err))
		}),
	}
	if url != "" {
		nc, err := nats.Connect(url, opts...)
		if err != nil {
			return nil, fmt.Errorf("bus: connect to %s: %w", url, err)
		}
		return &Bus{Conn: nc}, nil
	}
	// DontListen: no TCP port; NoSigs: the server must not os.Exit on SIGTERM
	// (STACK.md §8). JetStream stays off: the database is the source of truth.
	ns, err := server.NewServer(&server.Options{DontListen: true, NoSigs: true, MaxPayload: 1 << 20})
	if err != nil {
		return nil, fmt.Errorf("bus: embedded server: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("bus: embedded server did not start within 10s")
	}
	nc, err := nats.Connect("", append(opts, nats.InProcessServer(ns))...)
	if err != nil {
		ns.Shutdown()
		return nil, fmt.Errorf("bus: connect in-process: %w", err)
	}
	return &Bus{Conn: nc, embedded: ns}, nil
}

// Ping round-trips to the server (readiness).
func (b *Bus) Ping() error {
	if !b.Conn.IsConnected() {
		return errors.New("bus: not connected")
	}
	if err := b.Conn.FlushTimeout(2 * time.Second); err != nil {
		return fmt.Errorf("bus: flush: %w", err)
	}
	return nil
}

// Close drains the connection and stops the embedded server.
func (b *Bus) Close() {
	_ = b.Conn.Drain()
	b.Conn.Close()
	if b.embedded != nil {
		b.embedded.Shutdown()
		b.embedded.WaitForShutdown()
	}
}
