package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// nextPayloads are values of login's next as they appear in a crafted link
// (already percent-encoded for the query string), each an attempt to inject
// a header or to leave the site. want400 marks those that the input check
// refuses before the login handler sees them (NUL, invalid UTF-8).
var nextPayloads = []struct {
	name, query string
	want400     bool
}{
	{"CRLF Set-Cookie", "/x%0d%0aSet-Cookie:%20planted=1;%20Path=/", false},
	{"LF Set-Cookie", "/x%0aSet-Cookie:%20planted=1;%20Path=/", false},
	{"CR Set-Cookie", "/x%0dSet-Cookie:%20planted=1;%20Path=/", false},
	{"bare CRLF", "%0d%0a", false},
	{"tab", "/%09/evil.example/", false},
	{"tab encoded twice", "/%2509/evil.example/", false},
	{"CRLF encoded twice", "/x%250d%250aSet-Cookie:%20planted=1", false},
	{"LF then slash", "/%0a/evil.example/", false},
	{"double slash", "//evil.example/", false},
	{"double slash encoded", "%2f%2fevil.example%2f", false},
	{"slash backslash", "/%5cevil.example/", false},
	{"backslashes", "%5c%5cevil.example/", false},
	{"slash backslash slash", "/%5c/evil.example/", false},
	{"encoded slashes in the path", "/%252f%252fevil.example", false},
	{"encoded backslash in the path", "/%255cevil.example", false},
	{"scheme", "https://evil.example/", false},
	{"scheme, one slash", "http:/evil.example/", false},
	{"javascript", "javascript:alert(document.cookie)", false},
	{"no leading slash", "evil.example", false},
	{"DEL", "/x%7f", false},
	{"NUL", "/x%00y", true},
	{"NUL and CRLF", "/x%00%0d%0aSet-Cookie:%20planted=1", true},
	{"invalid UTF-8", "/%ff", true},
}

// checkNoInjection fails when r planted a cookie or sent the browser off
// the site: the Location must be the safe default, or the request refused.
func checkNoInjection(t *testing.T, r resp, want400 bool) {
	t.Helper()
	for _, sc := range r.header.Values("Set-Cookie") {
		if strings.Contains(sc, "planted") {
			t.Errorf("planted a cookie: Set-Cookie: %s", sc)
		}
	}
	for k := range r.header {
		if strings.Contains(strings.ToLower(k), "planted") {
			t.Errorf("injected a header %q", k)
		}
	}
	if want400 {
		if r.status != http.StatusBadRequest || r.header.Get("Location") != "" {
			t.Errorf("status %d, Location %q: want a 400 without a redirect", r.status, r.header.Get("Location"))
		}
		return
	}
	if loc := r.header.Values("Location"); r.status != http.StatusSeeOther || len(loc) != 1 || loc[0] != "/dashboard" {
		t.Errorf("status %d, Location %q: want 303 to /dashboard", r.status, loc)
	}
}

func TestLoginNextStaysOnSite(t *testing.T) {
	e := newEnv(t, store.SQLite)
	e.user("ivy@example.com", store.RoleInterviewer)
	in := e.client()
	in.login("ivy@example.com")

	for _, p := range nextPayloads {
		t.Run(p.name, func(t *testing.T) {
			// A logged-in user following a crafted link.
			checkNoInjection(t, in.get("/login?next="+p.query), p.want400)

			// A victim logging in through it: the form must not carry the
			// value, and posting it anyway must not help.
			anon := e.client()
			page := anon.get("/login?next=" + p.query)
			if p.want400 {
				checkNoInjection(t, page, true)
			} else if page.status != 200 || !strings.Contains(page.body, `name="next" value=""`) {
				t.Errorf("login page: %d, the form carries next:\n%s", page.status, page.body)
			}
			tok := anon.csrf("/login")
			raw := "_csrf=" + url.QueryEscape(tok) + "&email=ivy%40example.com&password=password-ivy%40example.com&next=" + p.query
			r := anon.do("POST", "/login", strings.NewReader(raw), "Content-Type", "application/x-www-form-urlencoded")
			checkNoInjection(t, r, p.want400)
		})
	}

	t.Run("a local next is kept", func(t *testing.T) {
		anon := e.client()
		r := anon.get("/staff/import?x=1")
		if r.status != 303 || r.header.Get("Location") != "/login?next=%2Fstaff%2Fimport%3Fx%3D1" {
			t.Fatalf("guard: %d %q", r.status, r.header.Get("Location"))
		}
		page := anon.get(r.header.Get("Location"))
		if !strings.Contains(page.body, `name="next" value="/staff/import?x=1"`) {
			t.Fatalf("the form lost next:\n%s", page.body)
		}
		tok := anon.csrf("/login")
		r = anon.postForm("/login", url.Values{"_csrf": {tok}, "email": {"ivy@example.com"}, "password": {"password-ivy@example.com"}, "next": {"/staff/import?x=1"}})
		if r.status != 303 || r.header.Get("Location") != "/staff/import?x=1" {
			t.Fatalf("login: %d %q", r.status, r.header.Get("Location"))
		}
		if r := in.get("/login?next=%2Fstaff%2Fimport"); r.status != 303 || r.header.Get("Location") != "/staff/import" {
			t.Fatalf("logged in: %d %q", r.status, r.header.Get("Location"))
		}
	})

	t.Run("the guard passes on no crafted next", func(t *testing.T) {
		// The guard's own redirect carries the requested page only when it
		// is acceptable itself.
		anon := e.client()
		r := anon.get("/staff/questions/%5c%5cevil.example")
		if r.status != 303 || r.header.Get("Location") != "/login" {
			t.Fatalf("guard: %d %q", r.status, r.header.Get("Location"))
		}
	})
}

// TestBadInputIs400 sends invalid UTF-8 and NUL everywhere text comes in:
// each is a 400 bad_input (an HTML page or the API's error), never a 500,
// and nothing is stored.
func TestBadInputIs400(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t, d)
			e.seed(question("Go", bank.Beginner, "What is a goroutine?"))
			bearer := e.user("ivy@example.com", store.RoleInterviewer)
			e.user("ada@example.com", store.RoleAdmin)
			anon := e.client()
			staff := e.client()
			staff.login("ada@example.com")
			csrf := staff.csrf("/staff/questions/new")
			stored := func() string {
				t.Helper()
				qs, n, err := e.store.ListQuestions(context.Background(), store.QuestionFilter{Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				ivs, err := e.store.ListInterviews(context.Background(), 0, true)
				if err != nil {
					t.Fatal(err)
				}
				var b strings.Builder
				for _, q := range qs {
					b.WriteString(q.Prompt + "|")
				}
				return itoa(int64(n)) + ":" + b.String() + itoa(int64(len(ivs)))
			}
			before := stored()

			pages := []string{
				"/questions?q=abc%00def",
				"/questions?q=%ff",
				"/questions?q=caf%e9",
				"/questions?technology=%ff",
				"/questions?technology=Go%00",
				"/questions?level=%00",
				"/questions?%ff=1",
				"/questions?a%00=1",
				"/?flash=%ff",
				"/join/%ff",
				"/join/abc%00def",
				"/setup/%ff",
				"/login?next=%ff",
				"/interviews/%ff/room",
			}
			for _, p := range pages {
				r := anon.get(p)
				if r.status != 400 || !strings.Contains(r.body, "<title>Bad request") || !strings.Contains(r.body, "not valid UTF-8 text or contains a NUL") {
					t.Errorf("GET %s: %d\n%.300s", p, r.status, r.body)
				}
			}
			apis := []string{
				"/api/v1/questions?q=abc%00def",
				"/api/v1/questions?q=%ff",
				"/api/v1/questions?technology=%ff",
				"/api/v1/questions?technology=a%00",
				"/api/v1/questions?level=%ff",
				"/api/v1/technologies?x=%00",
				"/api/v1/interviews/%ff",
			}
			for _, p := range apis {
				r := anon.get(p)
				if r.status != 400 || r.errorCode(t) != "bad_input" {
					t.Errorf("GET %s: %d %s", p, r.status, r.body)
				}
				r = anon.get(p, "Authorization", "Bearer "+bearer)
				if r.status != 400 || r.errorCode(t) != "bad_input" {
					t.Errorf("GET %s with a token: %d %s", p, r.status, r.body)
				}
			}

			// Forms: the login form (whose email reaches a query), a staff
			// form, and a multipart upload's text field.
			tok := anon.csrf("/login")
			for _, email := range []string{"ivy\x00@example.com", "ivy@example.com\x00", "\xffivy@example.com"} {
				r := anon.postForm("/login", url.Values{"_csrf": {tok}, "email": {email}, "password": {"password-ivy@example.com"}})
				if r.status != 400 || !strings.Contains(r.body, "email") || !strings.Contains(r.body, "not valid UTF-8") {
					t.Errorf("login with email %q: %d\n%.300s", email, r.status, r.body)
				}
			}
			for _, field := range []string{"prompt", "technology", "tags"} {
				form := url.Values{"_csrf": {csrf}, "technology": {"Go"}, "level": {"beginner"}, "prompt": {"A new prompt"}, "answer": {"An answer."}}
				form.Set(field, form.Get(field)+"\x00")
				if r := staff.postForm("/staff/questions/new", form); r.status != 400 {
					t.Errorf("staff form with NUL in %s: %d", field, r.status)
				}
				form.Set(field, "\xfe\xff")
				if r := staff.postForm("/staff/questions/new", form); r.status != 400 {
					t.Errorf("staff form with invalid UTF-8 in %s: %d", field, r.status)
				}
			}
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("_csrf", csrf)
			_ = mw.WriteField("note", "a\x00b")
			fw, _ := mw.CreateFormFile("file", "bank.txt")
			fw.Write([]byte("C++Intermediate\n\nWhat is RAII?\n\nAnswer\n\nResources tied to object lifetime.\n"))
			mw.Close()
			if r := staff.do("POST", "/staff/import", &buf, "Content-Type", mw.FormDataContentType()); r.status != 400 || !strings.Contains(r.body, "not valid UTF-8") {
				t.Errorf("multipart with a NUL field: %d\n%.300s", r.status, r.body)
			}

			// JSON bodies: NUL, invalid UTF-8, and data after the object.
			js := []string{"Authorization", "Bearer " + bearer, "Content-Type", "application/json"}
			goodQ := `{"technology":"Go","level":"beginner","prompt":"What is iota?","answer":"A constant counter."}`
			bodies := []struct {
				name, path, body, code string
			}{
				{"NUL in a value", "/api/v1/questions", `{"technology":"Go","level":"beginner","prompt":"What\u0000 is iota?","answer":"A constant counter."}`, "bad_input"},
				{"NUL in a key", "/api/v1/questions", `{"technology\u0000":"Go"}`, "bad_input"},
				{"invalid UTF-8", "/api/v1/questions", "{\"technology\":\"Go\",\"level\":\"beginner\",\"prompt\":\"What is \xff?\",\"answer\":\"A constant counter.\"}", "bad_input"},
				{"a second object", "/api/v1/questions", goodQ + `{"technology":"Go"}`, "bad_json"},
				{"trailing garbage", "/api/v1/questions", goodQ + ` x`, "bad_json"},
				{"trailing brace", "/api/v1/questions", goodQ + `}`, "bad_json"},
				{"NUL in a title", "/api/v1/interviews", `{"title":"Mock\u0000","questions":[{"question_id":1}],"candidates":[{"name":"Cora"}]}`, "bad_input"},
				{"NUL in a candidate", "/api/v1/interviews", `{"title":"Mock","questions":[{"question_id":1}],"candidates":[{"name":"Cora\u0000"}]}`, "bad_input"},
				{"interview then more", "/api/v1/interviews", `{"title":"Mock","questions":[{"question_id":1}],"candidates":[{"name":"Cora"}]} {}`, "bad_json"},
				{"invalid UTF-8 title", "/api/v1/interviews", "{\"title\":\"Mock \xc3\",\"questions\":[{\"question_id\":1}],\"candidates\":[{\"name\":\"Cora\"}]}", "bad_input"},
			}
			for _, b := range bodies {
				r := anon.do("POST", b.path, strings.NewReader(b.body), js...)
				if r.status != 400 || r.errorCode(t) != b.code {
					t.Errorf("%s: %d %s, want 400 %s", b.name, r.status, r.body, b.code)
				}
			}
			if r := anon.do("PUT", "/api/v1/questions/1", strings.NewReader(goodQ+`{}`), js...); r.status != 400 || r.errorCode(t) != "bad_json" {
				t.Errorf("PUT with trailing data: %d %s", r.status, r.body)
			}
			if after := stored(); after != before {
				t.Errorf("refused input changed what is stored: %s, was %s", after, before)
			}
			if r := anon.do("POST", "/api/v1/questions", strings.NewReader(goodQ+"\n\t "), js...); r.status != 201 {
				t.Errorf("trailing whitespace is still one object: %d %s", r.status, r.body)
			}
		})
	}
}
