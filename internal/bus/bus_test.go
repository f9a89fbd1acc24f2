package bus

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

func TestEmbeddedRoundTrip(t *testing.T) {
	b, err := Connect("", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Ping(); err != nil {
		t.Fatal(err)
	}
	sub, err := b.Conn.SubscribeSync("ace.test")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Conn.Publish("ace.test", []byte("hi")); err != nil {
		t.Fatal(err)
	}
	m, err := sub.NextMsg(5 * time.Second)
	if err != nil || string(m.Data) != "hi" {
		t.Fatalf("got %v, %v", m, err)
	}
}

// TestExternalServer connects by URL over TCP, as production does, to a
// nats-server listening on a random port.
func TestExternalServer(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	defer ns.Shutdown()
	b, err := Connect(ns.ClientURL(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Ping(); err != nil {
		t.Fatal(err)
	}
	if b.embedded != nil {
		t.Fatal("a URL must not start an embedded server")
	}
}
