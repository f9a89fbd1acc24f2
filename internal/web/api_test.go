package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

type questionsBody struct {
	Questions []struct {
		ID         int64    `json:"id"`
		Technology string   `json:"technology"`
		Level      string   `json:"level"`
		Prompt     string   `json:"prompt"`
		Answer     string   `json:"answer"`
		Tags       []string `json:"tags"`
		TimeLimitS int      `json:"time_limit_s"`
	} `json:"questions"`
	Total int `json:"total"`
}

func TestQuestionsAPI(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t, d)
			e.seed(
				question("Go", bank.Beginner, "What is a goroutine?"),
				question("Go", bank.Advanced, "How does escape analysis work?"),
				question("System Design", bank.Intermediate, "Design a URL shortener."),
			)
			c := e.client()
			var body questionsBody
			r := c.get("/api/v1/questions?technology=Go")
			r.json(t, &body)
			if r.status != 200 || body.Total != 2 || len(body.Questions) != 2 || body.Questions[0].Answer == "" || body.Questions[0].TimeLimitS != 300 || body.Questions[0].Tags == nil {
				t.Fatalf("technology=Go: %d %s", r.status, r.body)
			}
			r = c.get("/api/v1/questions?technology=System+Design&level=intermediate&q=shortener")
			r.json(t, &body)
			if body.Total != 1 || body.Questions[0].Prompt != "Design a URL shortener." {
				t.Fatalf("filtered: %s", r.body)
			}
			r = c.get("/api/v1/questions?limit=1&offset=1")
			r.json(t, &body)
			if body.Total != 3 || len(body.Questions) != 1 {
				t.Fatalf("paged: %s", r.body)
			}
			for _, bad := range []string{"level=expert", "limit=0", "limit=101", "limit=x", "offset=-1", "q=" + strings.Repeat("a", 201)} {
				r := c.get("/api/v1/questions?" + bad)
				if r.status != 400 {
					t.Errorf("%s: status %d, want 400", bad, r.status)
				}
				r.errorCode(t)
			}
			r = c.get("/api/v1/technologies")
			if r.status != 200 || r.body != `{"technologies":[{"name":"Go","counts":{"advanced":1,"beginner":1,"intermediate":0}},{"name":"System Design","counts":{"advanced":0,"beginner":0,"intermediate":1}}]}` {
				t.Fatalf("technologies: %d %s", r.status, r.body)
			}
			if r := c.get("/api/v1/nothing"); r.status != 404 || r.errorCode(t) != "not_found" {
				t.Fatalf("unknown endpoint: %d %s", r.status, r.body)
			}
		})
	}
}

func TestQuestionWritesByBearer(t *testing.T) {
	e := newEnv(t, store.SQLite)
	interviewer := e.user("ivy@example.com", store.RoleInterviewer)
	reviewer := e.user("rex@example.com", store.RoleReviewer)
	c := e.client()
	js := "application/json"
	good := `{"technology":"Go","level":"Beginner","prompt":"What is a map?","answer":"A hash table.","tags":["Maps"],"time_limit_s":240}`
	bearer := func(tok string) []string { return []string{"Authorization", "Bearer " + tok, "Content-Type", js} }

	cases := []struct {
		name    string
		method  string
		path    string
		body    string
		headers []string
		status  int
		code    string
	}{
		{"anonymous", "POST", "/api/v1/questions", good, []string{"Content-Type", js}, 401, "unauthorized"},
		{"bad token", "POST", "/api/v1/questions", good, bearer("nope"), 401, "bad_token"},
		{"not bearer", "POST", "/api/v1/questions", good, []string{"Authorization", "Basic eDp5", "Content-Type", js}, 401, "bad_token"},
		{"reviewer", "POST", "/api/v1/questions", good, bearer(reviewer), 403, "forbidden"},
		{"broken json", "POST", "/api/v1/questions", `{"technology":`, bearer(interviewer), 400, "bad_json"},
		{"unknown field", "POST", "/api/v1/questions", `{"technology":"Go","lvl":"x"}`, bearer(interviewer), 400, "bad_json"},
		{"wrong level", "POST", "/api/v1/questions", strings.Replace(good, "Beginner", "expert", 1), bearer(interviewer), 400, "invalid_question"},
		{"empty answer", "POST", "/api/v1/questions", strings.Replace(good, "A hash table.", " ", 1), bearer(interviewer), 400, "invalid_question"},
		{"not json", "POST", "/api/v1/questions", good, []string{"Authorization", "Bearer " + interviewer, "Content-Type", "text/plain"}, 415, "unsupported_media_type"},
		{"created", "POST", "/api/v1/questions", good, bearer(interviewer), 201, ""},
		{"duplicate", "POST", "/api/v1/questions", good, bearer(interviewer), 409, "duplicate_question"},
		{"update unknown", "PUT", "/api/v1/questions/9999", good, bearer(interviewer), 404, "not_found"},
		{"update bad id", "PUT", "/api/v1/questions/abc", good, bearer(interviewer), 400, "bad_id"},
		{"update reviewer", "PUT", "/api/v1/questions/1", good, bearer(reviewer), 403, "forbidden"},
		{"update", "PUT", "/api/v1/questions/1", strings.Replace(good, "A hash table.", "A hash map.", 1), bearer(interviewer), 200, ""},
		{"delete anonymous", "DELETE", "/api/v1/questions/1", "", nil, 401, "unauthorized"},
		{"delete reviewer", "DELETE", "/api/v1/questions/1", "", bearer(reviewer), 403, "forbidden"},
		{"delete", "DELETE", "/api/v1/questions/1", "", bearer(interviewer), 204, ""},
		{"delete again", "DELETE", "/api/v1/questions/1", "", bearer(interviewer), 404, "not_found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.do(tc.method, tc.path, strings.NewReader(tc.body), tc.headers...)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.code != "" {
				if got := r.errorCode(t); got != tc.code {
					t.Fatalf("code %q, want %q", got, tc.code)
				}
			}
			if tc.name == "created" || tc.name == "update" {
				var q struct {
					ID    int64
					Level string
					Tags  []string
				}
				r.json(t, &q)
				if q.ID != 1 || q.Level != "beginner" || fmt.Sprint(q.Tags) != "[maps]" {
					t.Fatalf("saved %s", r.body)
				}
			}
		})
	}
}

func TestImportAPI(t *testing.T) {
	e := newEnv(t, store.SQLite)
	tok := e.user("ivy@example.com", store.RoleInterviewer)
	reviewer := e.user("rex@example.com", store.RoleReviewer)
	c := e.client()
	text := "Bank\n\nNode.jsBeginner\n\nWhat is npm?\n\nAnswer\n\nThe package manager.\n\nSystem DesignAdvanced\n\nDesign a chat service.\n\nAnswer\n\nWebSockets and fan-out.\n"
	jsonBody := `{"questions":[{"technology":"Go","level":"intermediate","prompt":"What is a channel?","answer":"A typed pipe."}]}`
	yamlBody := "questions:\n  - technology: Go\n    level: advanced\n    prompt: What is the GMP model?\n    answer: Goroutines, machines, processors.\n"
	imp := func(ct, body, token string) resp {
		return c.do("POST", "/api/v1/questions/import", strings.NewReader(body), "Authorization", "Bearer "+token, "Content-Type", ct)
	}
	var res struct {
		Total, Created, Updated, Unchanged int
		Counts                             []bank.Count
	}
	r := imp("text/plain; charset=utf-8", text, tok)
	r.json(t, &res)
	if r.status != 200 || res.Total != 2 || res.Created != 2 || fmt.Sprint(res.Counts) != "[{Node.js 1 0 0} {System Design 0 0 1}]" {
		t.Fatalf("text import: %d %s", r.status, r.body)
	}
	r = imp("text/plain", text, tok)
	r.json(t, &res)
	if res.Created != 0 || res.Unchanged != 2 {
		t.Fatalf("second text import changed something: %s", r.body)
	}
	if r := imp("application/json", jsonBody, tok); r.status != 200 || !strings.Contains(r.body, `"created":1`) {
		t.Fatalf("json import: %d %s", r.status, r.body)
	}
	if r := imp("application/yaml", yamlBody, tok); r.status != 200 || !strings.Contains(r.body, `"created":1`) {
		t.Fatalf("yaml import: %d %s", r.status, r.body)
	}
	before, _ := e.store.CountQuestions(t.Context())
	for _, tc := range []struct{ name, ct, body, where string }{
		{"broken json", "application/json", `{"questions":[{"technology":"Go",}]}`, "body:1:"},
		{"wrong level json", "application/json", "{\"questions\":[\n{\"technology\":\"Go\",\"level\":\"guru\",\"prompt\":\"p\",\"answer\":\"a\"}]}", "body:2:"},
		{"broken yaml", "application/yaml", "questions:\n  - technology: Go\n   level: [", "body:"},
		{"no answer", "text/plain", "GoBeginner\n\nWhat is Go?\n\nGoAdvanced\n\nWhat is a P?\n\nAnswer\n\nA processor.\n", "body:1:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := imp(tc.ct, tc.body, tok)
			if r.status != 400 || r.errorCode(t) != "invalid_import" || !strings.Contains(r.body, tc.where) {
				t.Fatalf("status %d body %s, want 400 invalid_import at %s", r.status, r.body, tc.where)
			}
		})
	}
	if after, _ := e.store.CountQuestions(t.Context()); after != before {
		t.Fatalf("failed imports changed the bank: %d → %d", before, after)
	}
	if r := imp("application/xml", "<q/>", tok); r.status != 415 {
		t.Fatalf("xml: %d %s", r.status, r.body)
	}
	if r := imp("text/plain", text, reviewer); r.status != 403 {
		t.Fatalf("reviewer import: %d", r.status)
	}
	if r := c.do("POST", "/api/v1/questions/import", strings.NewReader(text), "Content-Type", "text/plain"); r.status != 401 {
		t.Fatalf("anonymous import: %d", r.status)
	}
}

func TestCookieAPINeedsCSRF(t *testing.T) {
	e := newEnv(t, store.SQLite)
	e.user("ivy@example.com", store.RoleInterviewer)
	c := e.client()
	c.login("ivy@example.com")
	good := `{"technology":"Go","level":"beginner","prompt":"What is iota?","answer":"A constant counter."}`
	r := c.do("POST", "/api/v1/questions", strings.NewReader(good), "Content-Type", "application/json")
	if r.status != http.StatusForbidden || r.errorCode(t) != "forbidden" {
		t.Fatalf("cookie without CSRF: %d %s", r.status, r.body)
	}
	tok := c.csrf("/staff/questions")
	r = c.do("POST", "/api/v1/questions", strings.NewReader(good), "Content-Type", "application/json", "X-CSRF-Token", "wrong"+tok)
	if r.status != http.StatusForbidden {
		t.Fatalf("cookie with a wrong CSRF token: %d %s", r.status, r.body)
	}
	r = c.do("POST", "/api/v1/questions", strings.NewReader(good), "Content-Type", "application/json", "X-CSRF-Token", tok)
	if r.status != http.StatusCreated {
		t.Fatalf("cookie with CSRF: %d %s", r.status, r.body)
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	e := newEnv(t, store.Postgres)
	c := e.client()
	if r := c.get("/healthz"); r.status != 200 {
		t.Fatalf("healthz %d", r.status)
	}
	if r := c.get("/readyz"); r.status != 200 || r.body != `{"database":"ok","nats":"ok"}` {
		t.Fatalf("readyz %d %s", r.status, r.body)
	}
	c.get("/api/v1/questions?technology=Go")
	// POSTs and other methods must not corrupt the stored labels.
	for range 3 {
		c.do("POST", "/api/v1/questions", strings.NewReader("{}"), "Content-Type", "application/json")
		c.do("DELETE", "/api/v1/questions/1", nil)
		c.get("/api/v1/technologies")
	}
	if r := c.get("/metrics"); r.status != 404 {
		t.Fatalf("/metrics on the public listener: %d", r.status)
	}
	ms := httptest.NewServer(e.metrics.Handler(""))
	defer ms.Close()
	r := (&client{t: t, base: ms.URL, hc: http.DefaultClient}).get("/metrics")
	if r.status != 200 || !strings.Contains(r.body, `ace_http_requests_total{method="GET",route="/api/v1/questions",status="200"} 1`) {
		t.Fatalf("metrics lack the labelled request counter:\n%s", r.body)
	}
	if !strings.Contains(r.body, `ace_http_requests_total{method="POST",route="/api/v1/questions",status="401"} 3`) {
		t.Fatalf("POST requests counted wrongly:\n%s", r.body)
	}
	if !strings.Contains(r.body, "ace_ws_connections 0") || !strings.Contains(r.body, "ace_rooms 0") {
		t.Fatalf("metrics lack the room gauges:\n%s", r.body)
	}
	e.store.Close()
	if r := c.get("/readyz"); r.status != 503 || !strings.Contains(r.body, `"nats":"ok"`) {
		t.Fatalf("readyz with the database closed: %d %s", r.status, r.body)
	}
}
