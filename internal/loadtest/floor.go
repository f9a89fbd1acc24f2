package loadtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	_ "github.com/lib/pq" // the PostgreSQL driver of the commit floor
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Floors are the costs of the two hops every live event takes, measured on
// the same machine in the same run: one NATS publish→receive and one
// PostgreSQL commit of a single-row INSERT. Results are read as ratios of them.
//
// They are measured twice: before any load (NATS, PGTemp, PGLogged), and
// under the load itself (Loaded), by a probe that runs both hops in turn
// throughout the active phase beside the rooms. A push waits on the same
// busy cores as the probe does, so the loaded floor is the one its
// latency is a ratio of; the quiet one says what the machine does unloaded.
type Floors struct {
	NATS       Summary // publish → receive of a small message on one connection, ms
	NATSSource string  // the URL measured, or "embedded" when --nats-url was unreachable
	PGTemp     Summary // BEGIN; INSERT one row into a TEMP table; COMMIT, ms (no WAL flush: temp tables are not WAL-logged)
	PGLogged   Summary // the same into an ordinary (WAL-logged) table, as events are stored, ms
	PGError    string  // why the PostgreSQL floor is missing, if it is
	NATSError  string

	Loaded LoadedFloors
}

// LoadedFloors are the two hops sampled during the active phase.
type LoadedFloors struct {
	Rate  float64 // probes per second asked for (each probe: one NATS round trip, then one commit)
	NATS  Summary
	PG    Summary // BEGIN; INSERT one row into an ordinary table; COMMIT
	Error string  // why a loaded floor is missing or cut short, if it is
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

// natsProbe times publish → receive on one connection of its own.
type natsProbe struct {
	nc      *nats.Conn
	sub     *nats.Subscription
	subject string
	msg     []byte
	ns      *server.Server // the embedded server, when url was unreachable
	source  string
}

// openNATSProbe connects to url, or to an embedded server on a local TCP
// port if url is unreachable.
func openNATSProbe(url string) (*natsProbe, error) {
	p := &natsProbe{source: url, subject: "ace.loadtest.floor." + randHex(8), msg: make([]byte, 64)}
	nc, err := nats.Connect(url, nats.Timeout(2*time.Second), nats.NoReconnect())
	if err != nil {
		ns, serr := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoSigs: true, NoLog: true})
		if serr != nil {
			return nil, fmt.Errorf("nats floor: %s unreachable (%v) and no embedded server: %w", url, err, serr)
		}
		go ns.Start()
		p.ns = ns
		if !ns.ReadyForConnections(5 * time.Second) {
			p.close()
			return nil, fmt.Errorf("nats floor: embedded server did not start")
		}
		p.source = "embedded (" + url + " unreachable)"
		if nc, err = nats.Connect(ns.ClientURL(), nats.Timeout(2*time.Second)); err != nil {
			p.close()
			return nil, fmt.Errorf("nats floor: %w", err)
		}
	}
	p.nc = nc
	if p.sub, err = nc.SubscribeSync(p.subject); err == nil {
		err = nc.Flush()
	}
	if err != nil {
		p.close()
		return nil, fmt.Errorf("nats floor: %w", err)
	}
	return p, nil
}

// roundTrip returns one publish → receive, in ms.
func (p *natsProbe) roundTrip() (float64, error) {
	t0 := time.Now()
	if err := p.nc.Publish(p.subject, p.msg); err != nil {
		return 0, fmt.Errorf("nats floor: %w", err)
	}
	if _, err := p.sub.NextMsg(5 * time.Second); err != nil {
		return 0, fmt.Errorf("nats floor: %w", err)
	}
	return msSince(t0), nil
}

func (p *natsProbe) close() {
	if p.nc != nil {
		p.nc.Close()
	}
	if p.ns != nil {
		p.ns.Shutdown()
	}
}

// natsFloor measures n sequential round trips publish → receive of a 64-byte
// message on one connection to url (or an embedded server, see openNATSProbe).
func natsFloor(ctx context.Context, url string, n int) (Summary, string, error) {
	p, err := openNATSProbe(url)
	if err != nil {
		return Summary{}, url, err
	}
	defer p.close()
	samples := make([]float64, 0, n)
	for i := 0; i < n+n/10; i++ { // the first tenth warms up and is not kept
		if ctx.Err() != nil {
			return Summary{}, p.source, ctx.Err()
		}
		ms, err := p.roundTrip()
		if err != nil {
			return Summary{}, p.source, err
		}
		if i >= n/10 {
			samples = append(samples, ms)
		}
	}
	return Summarize(samples), p.source, nil
}

// pgProbe times single-row INSERT transactions (BEGIN, INSERT with
// parameters, COMMIT, as the server's sqlx/lib/pq path does) on one
// connection of its own.
type pgProbe struct {
	db    *sql.DB
	conn  *sql.Conn
	table string
	seq   int
	drop  bool // the table is an ordinary one of ours, dropped by close
}

const floorCols = `(id bigserial PRIMARY KEY, interview_id bigint NOT NULL, seq bigint NOT NULL, type text NOT NULL, data text NOT NULL, created_at timestamptz NOT NULL)`

func openPGProbe(ctx context.Context, dsn string) (*pgProbe, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, fmt.Errorf("pg floor: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	conn, err := db.Conn(cctx)
	cancel()
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("pg floor: %w", err)
	}
	return &pgProbe{db: db, conn: conn}, nil
}

// useTable creates the table the commits go to: a TEMP one (not
// WAL-logged) or an ordinary one, dropped by close.
func (p *pgProbe) useTable(ctx context.Context, temp bool) error {
	name, kind := "ace_loadtest_floor_"+randHex(6), "TABLE"
	if temp {
		name, kind = "ace_loadtest_floor_tmp_"+randHex(6), "TEMP TABLE"
	}
	p.dropTable() // the ordinary table used before, if any
	if _, err := p.conn.ExecContext(ctx, `CREATE `+kind+` `+name+` `+floorCols); err != nil {
		return fmt.Errorf("pg floor: %w", err)
	}
	p.table, p.seq, p.drop = name, 0, !temp
	return nil
}

// commit returns one BEGIN + INSERT + COMMIT, in ms.
func (p *pgProbe) commit(ctx context.Context) (float64, error) {
	p.seq++
	t0 := time.Now()
	tx, err := p.conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("pg floor: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+p.table+` (interview_id, seq, type, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
		1, p.seq, "chat.message", `{"position":1,"text":"a small event payload"}`, time.Now().UTC()); err != nil {
		_ = tx.Rollback()
		return 0, fmt.Errorf("pg floor: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("pg floor: %w", err)
	}
	return msSince(t0), nil
}

func (p *pgProbe) dropTable() {
	if p.drop {
		_, _ = p.conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS `+p.table)
		p.drop = false
	}
}

func (p *pgProbe) close() {
	p.dropTable()
	_ = p.conn.Close()
	_ = p.db.Close()
}

// pgFloor measures n commits into a temp table and then n into an
// ordinary table, which it drops afterwards.
func pgFloor(ctx context.Context, dsn string, n int) (temp, logged Summary, err error) {
	p, err := openPGProbe(ctx, dsn)
	if err != nil {
		return temp, logged, err
	}
	defer p.close()
	if err := p.useTable(ctx, true); err != nil {
		return temp, logged, err
	}
	if temp, err = commitLoop(ctx, p, n); err != nil {
		return temp, logged, err
	}
	if err := p.useTable(ctx, false); err != nil {
		return temp, logged, err
	}
	logged, err = commitLoop(ctx, p, n)
	return temp, logged, err
}

func commitLoop(ctx context.Context, p *pgProbe, n int) (Summary, error) {
	samples := make([]float64, 0, n)
	for i := 0; i < n+n/10; i++ { // the first tenth warms up and is not kept
		ms, err := p.commit(ctx)
		if err != nil {
			return Summary{}, err
		}
		if i >= n/10 {
			samples = append(samples, ms)
		}
	}
	return Summarize(samples), nil
}

// loadedFloors samples both hops in turn, cfg.LoadedFloorRate times a
// second, until stop is closed: the floors under the load the rooms are
// measured in. It closes ready once its connections are open and warm (or
// have failed), so the load can start after it.
func loadedFloors(ctx context.Context, cfg Config, ready chan<- struct{}, stop <-chan struct{}) (f LoadedFloors) {
	f.Rate = cfg.LoadedFloorRate
	isReady := sync.OnceFunc(func() { close(ready) })
	defer isReady()
	np, err := openNATSProbe(cfg.NATSURL)
	if err != nil {
		f.Error = err.Error()
		return f
	}
	defer np.close()
	var pp *pgProbe
	if cfg.DatabaseURL != "" {
		if pp, err = openPGProbe(ctx, cfg.DatabaseURL); err == nil {
			defer pp.close()
			err = pp.useTable(ctx, false)
		}
		if err != nil {
			f.Error = err.Error()
			pp = nil
		}
	}
	var nats, pg []float64
	// sample runs one round trip, then one commit, keeping them if keep.
	sample := func(keep bool) error {
		ms, err := np.roundTrip()
		if err != nil {
			return err
		}
		if keep {
			nats = append(nats, ms)
		}
		if pp == nil {
			return nil
		}
		if ms, err = pp.commit(ctx); err != nil {
			return err
		}
		if keep {
			pg = append(pg, ms)
		}
		return nil
	}
	defer func() { f.NATS, f.PG = Summarize(nats), Summarize(pg) }()
	// A few of each first, so neither connection is cold when the load starts.
	for i := 0; i < 10; i++ {
		if err := sample(false); err != nil {
			f.Error = err.Error()
			return f
		}
	}
	isReady()
	tick := time.NewTicker(time.Duration(float64(time.Second) / cfg.LoadedFloorRate))
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return f
		case <-ctx.Done():
			return f
		case <-tick.C:
		}
		if err := sample(true); err != nil {
			f.Error = err.Error()
			return f
		}
	}
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
