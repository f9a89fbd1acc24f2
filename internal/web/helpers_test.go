package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/config"
	"github.com/ace-interviews/ace/internal/server"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
	"github.com/ace-interviews/ace/internal/web"
)

// env is one running server on a real listener with its store.
type env struct {
	t       *testing.T
	url     string
	store   *store.Store
	metrics *web.Metrics // served by the metrics listener in ace serve
}

func newEnv(t *testing.T, d store.Dialect) *env {
	t.Helper()
	return newEnvOn(t, configFor(t, d))
}

// configFor is the embedded defaults on a fresh database of dialect d.
func configFor(t *testing.T, d store.Dialect) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	if d == store.Postgres {
		cfg.DatabaseURL = storetest.NewPostgresDatabase(t)
	}
	return cfg
}

// newEnvOn runs a server with cfg, assembled by server.New as `ace serve`
// does (minus the demo bank): two on one PostgreSQL database are two
// instances.
func newEnvOn(t *testing.T, cfg config.Config) *env {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	in, err := server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := in.Serve(); err != nil && !errors.Is(err, server.ErrClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := in.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &env{t: t, url: in.URL, store: in.Store, metrics: in.Metrics}
}

// user creates a staff account and returns an API token for it.
func (e *env) user(email, role string) string {
	e.t.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword(ctx, "password-"+email)
	if err != nil {
		e.t.Fatal(err)
	}
	u, err := e.store.CreateUser(ctx, email, strings.Split(email, "@")[0], role, hash)
	if err != nil {
		e.t.Fatal(err)
	}
	token, th := auth.NewToken()
	if err := e.store.CreateAPIToken(ctx, u.ID, th); err != nil {
		e.t.Fatal(err)
	}
	return token
}

func (e *env) seed(qs ...bank.Question) {
	e.t.Helper()
	if _, err := e.store.ImportQuestions(context.Background(), qs); err != nil {
		e.t.Fatal(err)
	}
}

// client is a browser-like client: a cookie jar, no redirects followed.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.url, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type resp struct {
	status int
	body   string
	header http.Header
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

// errorCode returns the code of an API error body, failing if it is not one.
func (r resp) errorCode(t *testing.T) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string }
	}
	r.json(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("not an API error: %s", r.body)
	}
	return e.Error.Code
}

func (c *client) do(method, path string, body io.Reader, headers ...string) resp {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: string(b), header: res.Header}
}

func (c *client) get(path string, headers ...string) resp { return c.do("GET", path, nil, headers...) }

func (c *client) postForm(path string, v url.Values) resp {
	return c.do("POST", path, strings.NewReader(v.Encode()), "Content-Type", "application/x-www-form-urlencoded")
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the token embedded in a page.
func (c *client) csrf(path string) string {
	c.t.Helper()
	r := c.get(path)
	m := csrfField.FindStringSubmatch(r.body)
	if m == nil {
		c.t.Fatalf("no CSRF token on %s (status %d)", path, r.status)
	}
	return m[1]
}

// login signs in through the login form.
func (c *client) login(email string) {
	c.t.Helper()
	tok := c.csrf("/login")
	r := c.postForm("/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {"password-" + email}})
	if r.status != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d: %s", email, r.status, r.body)
	}
}

func question(tech string, lvl bank.Level, prompt string) bank.Question {
	return bank.Question{Technology: tech, Level: lvl, Prompt: prompt, Answer: "Answer to " + prompt, TimeLimitS: 300}
}
