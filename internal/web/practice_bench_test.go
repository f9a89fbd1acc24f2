package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/config"
	"github.com/ace-interviews/ace/internal/server"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// BenchmarkPracticeStart measures starting a practice attempt (POST
// /practice: CSRF and session check, rate count, the draw of 10 of 1,000
// public questions, the attempt stored, started on the room engine, the
// redirect) as a browser on the same machine sees it, beside two baselines
// of the same run: GET /healthz (the HTTP round trip alone) and creating a
// plain 10-question interview through the store. docs/benchmarks.md,
// "Practice attempt start (issue 11)".
func BenchmarkPracticeStart(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			cfg := config.Default()
			cfg.DataDir = b.TempDir()
			if d == store.Postgres {
				cfg.DatabaseURL = storetest.NewPostgresDatabase(b)
			}
			cfg.PracticeLimit = 1 << 30
			e := newBenchEnv(b, cfg)
			var qs []bank.Question
			for i := range 1000 {
				qs = append(qs, question("Go", bank.Levels[i%3], fmt.Sprintf("Benchmark question %d?", i)))
			}
			if _, err := e.store.ImportQuestions(context.Background(), qs); err != nil {
				b.Fatal(err)
			}
			c := &benchClient{b: b, base: e.url, hc: noRedirects()}
			tok := csrfField.FindStringSubmatch(c.get("/practice/new").body)[1]
			form := url.Values{"_csrf": {tok}, "technology": {"Go"}, "level": {"mixed"}, "count": {"10"}, "time": {"suggested"}}.Encode()

			b.Run("start", func(b *testing.B) {
				var took []time.Duration
				for b.Loop() {
					t0 := time.Now()
					r := c.do("POST", "/practice", strings.NewReader(form), "Content-Type", "application/x-www-form-urlencoded")
					took = append(took, time.Since(t0))
					if r.status != http.StatusSeeOther {
						b.Fatalf("start: %d %s", r.status, r.body)
					}
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
				b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-ms")
			})
			b.Run("baseline-healthz", func(b *testing.B) {
				for b.Loop() {
					if r := c.get("/healthz"); r.status != http.StatusOK {
						b.Fatalf("healthz: %d", r.status)
					}
				}
			})
			b.Run("baseline-store-interview", func(b *testing.B) {
				ctx := context.Background()
				u, err := e.store.CreateUser(ctx, "bench@example.com", "Bench", store.RoleInterviewer, "h")
				if err != nil {
					b.Fatal(err)
				}
				ids, _ := e.store.PracticeQuestionIDs(ctx, "Go", "")
				plan := make([]store.PlanItem, 10)
				for i := range plan {
					plan[i] = store.PlanItem{QuestionID: ids[i*7]}
				}
				n := 0
				for b.Loop() {
					n++
					if _, _, err := e.store.CreateInterview(ctx, store.NewInterview{Title: "bench", Pacing: store.PacingSelfPaced, CreatedBy: u.ID, Panel: []int64{u.ID},
						Questions: plan, Candidates: []store.NewCandidate{{Name: "C", TokenHash: fmt.Sprintf("bench-%d", n)}}}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// benchEnv is a server assembled as ace serve does, for benchmarks.
type benchEnv struct {
	url   string
	store *store.Store
}

func newBenchEnv(b *testing.B, cfg config.Config) benchEnv {
	b.Helper()
	cfg.Addr = "127.0.0.1:0"
	in, err := server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = in.Serve() }()
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = in.Close(ctx)
	})
	return benchEnv{url: in.URL, store: in.Store}
}

func noRedirects() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type benchClient struct {
	b    *testing.B
	base string
	hc   *http.Client
}

func (c *benchClient) do(method, path string, body io.Reader, headers ...string) resp {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.b.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.b.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: string(out)}
}

func (c *benchClient) get(path string) resp { return c.do("GET", path, nil) }
