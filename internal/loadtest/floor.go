package loadtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	_ "github.com/lib/pq" // the PostgreSQL driver of the commit floor
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Floors are the costs of the two hops every live event takes, measured on
// the same machine in the same run: one NATS publish→receive and one
// PostgreSQL commit of a single-row INSERT. Results are read as ratios of them.
type Floors struct {
	NATS       Summary // publish → receive of a small message on one connection, ms
	NATSSource string  // the URL measured, or "embedded" when --nats-url was unreachable
	PGTemp     Summary // BEGIN; INSERT one row into a TEMP table; COMMIT, ms (no WAL flush: temp tables are not WAL-logged)
	PGLogged   Summary // the same into an ordinary (WAL-logged) table, as events are stored, ms
	PGError    string  // why the PostgreSQL floor is missing, if it is
	NATSError  string
}

// Commit is the floor of one durable event's commit: the WAL-logged insert
// when it was measured, else the temp-table one.
func (f Floors) Commit() Summary {
	if f.PGLogged.N > 0 {
		return f.PGLogged
	}
	return f.PGTemp
}

// measureFloors runs both floors one after the other, before any load.
func measureFloors(ctx context.Context, cfg Config) Floors {
	var f Floors
	var err error
	f.NATS, f.NATSSource, err = natsFloor(ctx, cfg.NATSURL, cfg.FloorSamples)
	if err != nil {
		f.NATSError = err.Error()
	}
	if cfg.DatabaseURL != "" {
		f.PGTemp, f.PGLogged, err = pgFloor(ctx, cfg.DatabaseURL, cfg.FloorSamples)
		if err != nil {
			f.PGError = err.Error()
		}
	} else {
		f.PGError = "no --database-url"
	}
	return f
}

// natsFloor measures n sequential round trips publish → receive of a 64-byte
// message on one connection to url, or to an embedded server on a local TCP
// port if url is unreachable.
func natsFloor(ctx context.Context, url string, n int) (Summary, string, error) {
	source := url
	nc, err := nats.Connect(url, nats.Timeout(2*time.Second), nats.NoReconnect())
	if err != nil {
		ns, serr := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoSigs: true, NoLog: true})
		if serr != nil {
			return Summary{}, "", fmt.Errorf("nats floor: %s unreachable (%v) and no embedded server: %w", url, err, serr)
		}
		go ns.Start()
		defer ns.Shutdown()
		if !ns.ReadyForConnections(5 * time.Second) {
			return Summary{}, "", fmt.Errorf("nats floor: embedded server did not start")
		}
		source = "embedded (" + url + " unreachable)"
		nc, err = nats.Connect(ns.ClientURL(), nats.Timeout(2*time.Second))
		if err != nil {
			return Summary{}, "", fmt.Errorf("nats floor: %w", err)
		}
	}
	defer nc.Close()
	subject := "ace.loadtest.floor." + randHex(8)
	sub, err := nc.SubscribeSync(subject)
	if err != nil {
		return Summary{}, source, err
	}
	defer sub.Unsubscribe()
	if err := nc.Flush(); err != nil {
		return Summary{}, source, err
	}
	msg := make([]byte, 64)
	samples := make([]float64, 0, n)
	for i := 0; i < n+n/10; i++ { // the first tenth warms up and is not kept
		if ctx.Err() != nil {
			return Summary{}, source, ctx.Err()
		}
		t0 := time.Now()
		if err := nc.Publish(subject, msg); err != nil {
			return Summary{}, source, err
		}
		if _, err := sub.NextMsg(5 * time.Second); err != nil {
			return Summary{}, source, fmt.Errorf("nats floor: %w", err)
		}
		if i >= n/10 {
			samples = append(samples, msSince(t0))
		}
	}
	return Summarize(samples), source, nil
}

// pgFloor measures n single-row INSERT transactions (BEGIN, INSERT with
// parameters, COMMIT, as the server's sqlx/lib/pq path does) into a temp
// table and then into an ordinary table, which it drops afterwards.
func pgFloor(ctx context.Context, dsn string, n int) (temp, logged Summary, err error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return temp, logged, err
	}
	defer db.Close()
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	conn, err := db.Conn(cctx)
	cancel()
	if err != nil {
		return temp, logged, fmt.Errorf("pg floor: %w", err)
	}
	defer conn.Close()
	cols := `(id bigserial PRIMARY KEY, interview_id bigint NOT NULL, seq bigint NOT NULL, type text NOT NULL, data text NOT NULL, created_at timestamptz NOT NULL)`
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE ace_loadtest_floor_tmp `+cols); err != nil {
		return temp, logged, fmt.Errorf("pg floor: %w", err)
	}
	if temp, err = insertLoop(ctx, conn, "ace_loadtest_floor_tmp", n); err != nil {
		return temp, logged, err
	}
	table := "ace_loadtest_floor_" + randHex(6)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE `+table+` `+cols); err != nil {
		return temp, logged, fmt.Errorf("pg floor: %w", err)
	}
	defer conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS `+table)
	logged, err = insertLoop(ctx, conn, table, n)
	return temp, logged, err
}

func insertLoop(ctx context.Context, conn *sql.Conn, table string, n int) (Summary, error) {
	samples := make([]float64, 0, n)
	data := `{"position":1,"text":"a small event payload"}`
	for i := 0; i < n+n/10; i++ {
		t0 := time.Now()
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return Summary{}, fmt.Errorf("pg floor: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (interview_id, seq, type, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
			1, i+1, "chat.message", data, time.Now().UTC()); err != nil {
			_ = tx.Rollback()
			return Summary{}, fmt.Errorf("pg floor: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return Summary{}, fmt.Errorf("pg floor: %w", err)
		}
		if i >= n/10 {
			samples = append(samples, msSince(t0))
		}
	}
	return Summarize(samples), nil
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
