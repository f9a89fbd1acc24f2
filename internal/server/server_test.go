package server

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/ace-interviews/ace/internal/config"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// start runs an instance and returns the lines it prints, read as they come.
func start(t *testing.T, cfg config.Config) (lines <-chan string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cfg, pw, slog.New(slog.NewTextHandler(io.Discard, nil)))
		pw.Close()
	}()
	ch := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			ch <- sc.Text()
		}
		close(ch)
	}()
	return ch, func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("Run did not return within 15s of cancel")
		}
	}
}

func nextLine(t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case l := <-lines:
		return l
	case <-time.After(30 * time.Second):
		t.Fatal("no output within 30s")
		return ""
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestRunOnEmbeddedDefaults(t *testing.T) {
	cfg := config.Default()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	lines, stop := start(t, cfg)
	first := nextLine(t, lines)
	base, ok := strings.CutPrefix(first, "Ace is running at ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, ":0/") {
		t.Fatalf("first line %q", first)
	}
	setup := nextLine(t, lines)
	setupURL, ok := strings.CutPrefix(setup, "Create the first admin account at ")
	if !ok || !strings.HasPrefix(setupURL, base+"setup/") {
		t.Fatalf("second line %q", setup)
	}
	if code, body := get(t, base+"api/v1/technologies"); code != 200 || !strings.Contains(body, `"name":"System Design"`) {
		t.Fatalf("demo bank not loaded: %d %s", code, body)
	}
	if code, _ := get(t, setupURL); code != 200 {
		t.Fatalf("setup page: %d", code)
	}
	if code, body := get(t, base+"readyz"); code != 200 {
		t.Fatalf("readyz: %d %s", code, body)
	}
	stop()

	// A restart keeps the bank (no second demo load) and replaces the setup link.
	lines, stop = start(t, cfg)
	base2 := strings.TrimPrefix(nextLine(t, lines), "Ace is running at ")
	setup2 := strings.TrimPrefix(nextLine(t, lines), "Create the first admin account at ")
	defer stop()
	if code, body := get(t, base2+"api/v1/questions?limit=1"); code != 200 || !strings.Contains(body, `"total":72`) {
		t.Fatalf("after restart: %d %s", code, body)
	}
	if code, _ := get(t, base2+"setup/"+setupURL[strings.LastIndex(setupURL, "/")+1:]); code != 404 {
		t.Fatalf("old setup link still works: %d", code)
	}
	if code, _ := get(t, setup2); code != 200 {
		t.Fatalf("new setup link: %d", code)
	}
}

func TestRunOnPostgresAndExternalNATS(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	defer ns.Shutdown()
	cfg := config.Default()
	cfg.Addr = "127.0.0.1:0"
	cfg.DatabaseURL = storetest.NewPostgresDatabase(t)
	cfg.NATSURL = ns.ClientURL()
	// Two instances on one database start together: one migrates, both serve.
	l1, stop1 := start(t, cfg)
	l2, stop2 := start(t, cfg)
	defer stop1()
	defer stop2()
	for _, lines := range []<-chan string{l1, l2} {
		base := strings.TrimPrefix(nextLine(t, lines), "Ace is running at ")
		if code, body := get(t, base+"readyz"); code != 200 {
			t.Fatalf("readyz: %d %s", code, body)
		}
		if code, body := get(t, base+"api/v1/questions?limit=1"); code != 200 || !strings.Contains(body, `"total":72`) {
			t.Fatalf("questions: %d %s", code, body)
		}
	}
}

func getAuth(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestMetricsOffThePublicListener: /metrics is never on --addr for
// everyone; --metrics-addr serves it on its own listener, which starts and
// stops with the instance, and --metrics-token guards it.
func TestMetricsOffThePublicListener(t *testing.T) {
	run := func(t *testing.T, cfg config.Config, metricsLine bool) (base, metricsURL string, stop func()) {
		t.Helper()
		cfg.Addr = "127.0.0.1:0"
		cfg.DataDir = t.TempDir()
		lines, stop := start(t, cfg)
		base = strings.TrimPrefix(nextLine(t, lines), "Ace is running at ")
		nextLine(t, lines) // the setup link
		if metricsLine {
			l := nextLine(t, lines)
			var ok bool
			if metricsURL, ok = strings.CutPrefix(l, "Metrics are served at "); !ok || !strings.HasSuffix(metricsURL, "/metrics") {
				t.Fatalf("metrics line %q", l)
			}
		}
		return base, metricsURL, stop
	}

	t.Run("by default nowhere", func(t *testing.T) {
		base, _, stop := run(t, config.Default(), false)
		defer stop()
		if code, _ := get(t, base+"metrics"); code != 404 {
			t.Fatalf("/metrics on the public listener: %d", code)
		}
	})

	t.Run("on its own listener", func(t *testing.T) {
		cfg := config.Default()
		cfg.MetricsAddr = "127.0.0.1:0"
		cfg.MetricsToken = "scrape-secret"
		base, murl, stop := run(t, cfg, true)
		if code, _ := get(t, base+"metrics"); code != 404 {
			t.Fatalf("/metrics on the public listener: %d", code)
		}
		// There the token is just an unknown API token.
		if code, body := getAuth(t, base+"metrics", cfg.MetricsToken); code == 200 || strings.Contains(body, "ace_http") {
			t.Fatalf("/metrics on the public listener, with the token: %d\n%s", code, body)
		}
		get(t, base+"api/v1/technologies")
		if code, _ := get(t, murl); code != 401 {
			t.Fatalf("metrics listener without the token: %d", code)
		}
		if code, _ := getAuth(t, murl, "wrong"); code != 401 {
			t.Fatalf("metrics listener with a wrong token: %d", code)
		}
		code, body := getAuth(t, murl, cfg.MetricsToken)
		if code != 200 || !strings.Contains(body, `ace_http_requests_total{method="GET",route="/api/v1/technologies",status="200"} 1`) ||
			!strings.Contains(body, "ace_ws_connections 0") || !strings.Contains(body, "go_goroutines") {
			t.Fatalf("metrics listener: %d\n%s", code, body)
		}
		// Profiles live beside the metrics, behind the same token, and only there.
		pprofURL := strings.TrimSuffix(murl, "metrics") + "debug/pprof/heap?debug=1"
		if code, _ := get(t, pprofURL); code != 401 {
			t.Fatalf("pprof without the token: %d", code)
		}
		if code, body := getAuth(t, pprofURL, cfg.MetricsToken); code != 200 || !strings.Contains(body, "heap profile") {
			t.Fatalf("pprof with the token: %d %.200s", code, body)
		}
		if code, _ := get(t, base+"debug/pprof/heap"); code != 404 {
			t.Fatalf("pprof on the public listener: %d", code)
		}
		stop()
		// Refused, or (should another test's listener have taken the port
		// meanwhile) at least not these metrics.
		req, _ := http.NewRequest("GET", murl, nil)
		req.Header.Set("Authorization", "Bearer "+cfg.MetricsToken)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				t.Fatal("the metrics listener outlived the instance")
			}
		}
	})

	t.Run("with a token on the public listener", func(t *testing.T) {
		cfg := config.Default()
		cfg.MetricsToken = "scrape-secret"
		base, _, stop := run(t, cfg, false)
		defer stop()
		if code, _ := get(t, base+"metrics"); code != 401 {
			t.Fatalf("/metrics without the token: %d", code)
		}
		if code, body := getAuth(t, base+"metrics", cfg.MetricsToken); code != 200 || !strings.Contains(body, "ace_http_requests_total") {
			t.Fatalf("/metrics with the token: %d\n%s", code, body)
		}
	})
}

// TestNewServeClose: New listens before Serve (the URL is known at once),
// Close is graceful and idempotent, and Serve after Close says so.
func TestNewServeClose(t *testing.T) {
	cfg := config.Default()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	in, err := New(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- in.Serve() }()
	if code, body := get(t, in.URL+"/readyz"); code != 200 {
		t.Fatalf("readyz: %d %s", code, body)
	}
	if err := in.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve after a graceful Close: %v", err)
	}
	if err := in.Close(context.Background()); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := in.Serve(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Serve after Close: %v, want ErrClosed", err)
	}

	// A port in use fails New with the listen error (after the store and
	// NATS opened: New closes them again); Close works before Serve.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	busy := cfg
	busy.Addr = ln.Addr().String()
	if _, err := New(context.Background(), busy, log); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Fatalf("New on a busy port: %v", err)
	}
	again, err := New(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Close(context.Background()); err != nil {
		t.Fatalf("Close before Serve: %v", err)
	}
}
