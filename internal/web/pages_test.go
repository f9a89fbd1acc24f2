package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
)

func TestPublicPagesEscapeUserText(t *testing.T) {
	e := newEnv(t, store.SQLite)
	evil := `<script>alert("x")</script>`
	e.seed(bank.Question{Technology: `Go<img src=x onerror=alert(1)>`, Level: bank.Beginner, Prompt: "Why " + evil + "?", Answer: "Because " + evil + "\n\nSecond paragraph."})
	c := e.client()
	for _, path := range []string{"/", "/questions", "/questions?q=" + url.QueryEscape("<script>")} {
		r := c.get(path)
		if r.status != 200 {
			t.Fatalf("%s: %d", path, r.status)
		}
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "<img src=x") {
			t.Fatalf("%s renders user text as markup:\n%s", path, r.body)
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Fatalf("%s: CSP %q", path, csp)
		}
	}
	r := c.get("/questions")
	if !strings.Contains(r.body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") || !strings.Contains(r.body, "<p>Second paragraph.</p>") {
		t.Fatalf("escaped prompt or answer paragraphs missing:\n%s", r.body)
	}
	if r.header.Get("Set-Cookie") != "" {
		t.Fatalf("a public page set a cookie for an anonymous visitor: %s", r.header.Get("Set-Cookie"))
	}
}

func TestQuestionsPageFiltersAndPages(t *testing.T) {
	e := newEnv(t, store.SQLite)
	var qs []bank.Question
	for i := range 45 {
		qs = append(qs, question("Node.js", bank.Intermediate, "Question number "+string(rune('A'+i%26))+string(rune('a'+i/26))))
	}
	qs = append(qs, question("SQL", bank.Beginner, "What is a JOIN?"))
	e.seed(qs...)
	c := e.client()
	r := c.get("/questions?technology=Node.js&level=intermediate")
	if !strings.Contains(r.body, `<p id="result-count">45 questions</p>`) || strings.Count(r.body, `<article class="question"`) != 20 {
		t.Fatalf("first page:\n%s", r.body)
	}
	if !strings.Contains(r.body, `rel="next" href="/questions?level=intermediate&amp;page=2&amp;technology=Node.js"`) || strings.Contains(r.body, `rel="prev"`) {
		t.Fatalf("pager of page 1 wrong:\n%s", r.body)
	}
	r = c.get("/questions?technology=Node.js&level=intermediate&page=3")
	if strings.Count(r.body, `<article class="question"`) != 5 || strings.Contains(r.body, `rel="next"`) || !strings.Contains(r.body, `rel="prev"`) {
		t.Fatalf("last page:\n%s", r.body)
	}
	if r := c.get("/questions?level=guru"); r.status != 400 || !strings.Contains(r.body, `role="alert"`) {
		t.Fatalf("bad level page: %d", r.status)
	}
	if r := c.get("/questions?q=join"); !strings.Contains(r.body, "1 question<") {
		t.Fatalf("search: %s", r.body)
	}
}

func TestSetupCreatesFirstAdminOnce(t *testing.T) {
	e := newEnv(t, store.SQLite)
	token, hash := auth.NewToken()
	if err := e.store.SetSetupToken(context.Background(), hash); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	if r := c.get("/setup/wrong"); r.status != 404 {
		t.Fatalf("wrong token: %d", r.status)
	}
	csrf := c.csrf("/setup/" + token)
	r := c.postForm("/setup/"+token, url.Values{"_csrf": {csrf}, "name": {"Ada"}, "email": {"ada@example.com"}, "password": {"short"}})
	if r.status != 400 || !strings.Contains(r.body, "at least 10 characters") {
		t.Fatalf("short password: %d", r.status)
	}
	r = c.postForm("/setup/"+token, url.Values{"_csrf": {csrf}, "name": {"Ada"}, "email": {"ada@example.com"}, "password": {"long enough pw"}})
	if r.status != 303 || r.header.Get("Location") != "/staff/questions?flash=welcome" {
		t.Fatalf("setup: %d %s", r.status, r.body)
	}
	if r := c.get("/admin/users"); r.status != 200 || !strings.Contains(r.body, `data-email="ada@example.com"`) {
		t.Fatalf("the new admin is not logged in: %d", r.status)
	}
	if r := e.client().get("/setup/" + token); r.status != 404 {
		t.Fatalf("setup link works twice: %d", r.status)
	}
}

func TestLoginLogoutAndGuards(t *testing.T) {
	e := newEnv(t, store.SQLite)
	e.user("ivy@example.com", store.RoleInterviewer)
	e.user("rex@example.com", store.RoleReviewer)
	e.user("ada@example.com", store.RoleAdmin)

	anon := e.client()
	if r := anon.get("/staff/questions"); r.status != 303 || r.header.Get("Location") != "/login?next=%2Fstaff%2Fquestions" {
		t.Fatalf("anonymous staff page: %d %s", r.status, r.header.Get("Location"))
	}
	csrf := anon.csrf("/login")
	if r := anon.postForm("/login", url.Values{"email": {"ivy@example.com"}, "password": {"password-ivy@example.com"}}); r.status != 403 {
		t.Fatalf("login without CSRF token: %d", r.status)
	}
	if r := anon.postForm("/login", url.Values{"_csrf": {csrf}, "email": {"ivy@example.com"}, "password": {"wrong"}}); r.status != 401 || !strings.Contains(r.body, "Wrong email or password.") {
		t.Fatalf("bad password: %d", r.status)
	}
	if r := anon.postForm("/login", url.Values{"_csrf": {csrf}, "email": {"nobody@example.com"}, "password": {"wrong"}}); r.status != 401 {
		t.Fatalf("unknown email: %d", r.status)
	}
	r := anon.postForm("/login", url.Values{"_csrf": {csrf}, "email": {"IVY@example.com"}, "password": {"password-ivy@example.com"}, "next": {"//evil.example/"}})
	if r.status != 303 || r.header.Get("Location") != "/dashboard" {
		t.Fatalf("login: %d %s", r.status, r.header.Get("Location"))
	}
	if sc := r.header.Values("Set-Cookie"); !strings.Contains(strings.Join(sc, ";"), "HttpOnly") || !strings.Contains(strings.ToLower(strings.Join(sc, ";")), "samesite=lax") {
		t.Fatalf("session cookie flags: %v", sc)
	}
	if r := anon.get("/staff/questions"); r.status != 200 {
		t.Fatalf("staff page after login: %d", r.status)
	}
	if r := anon.get("/admin/users"); r.status != 403 {
		t.Fatalf("interviewer on admin page: %d", r.status)
	}
	tok := anon.csrf("/staff/questions")
	if r := anon.postForm("/logout", url.Values{}); r.status != 403 {
		t.Fatalf("logout without CSRF: %d", r.status)
	}
	if r := anon.postForm("/logout", url.Values{"_csrf": {tok}}); r.status != 303 {
		t.Fatalf("logout: %d", r.status)
	}
	if r := anon.get("/staff/questions"); r.status != 303 {
		t.Fatalf("staff page after logout: %d", r.status)
	}

	rev := e.client()
	rev.login("rex@example.com")
	if r := rev.get("/staff/questions"); r.status != 403 {
		t.Fatalf("reviewer on staff page: %d", r.status)
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t, store.SQLite)
	e.user("ivy@example.com", store.RoleInterviewer)
	c := e.client()
	csrf := c.csrf("/login")
	statuses := []int{}
	for range 6 {
		r := c.postForm("/login", url.Values{"_csrf": {csrf}, "email": {"ivy@example.com"}, "password": {"wrong"}})
		statuses = append(statuses, r.status)
	}
	if statuses[4] != 401 || statuses[5] != 429 {
		t.Fatalf("statuses %v: want five 401 then 429", statuses)
	}
	// Even the right password is refused while the account is locked out.
	if r := c.postForm("/login", url.Values{"_csrf": {csrf}, "email": {"ivy@example.com"}, "password": {"password-ivy@example.com"}}); r.status != 429 {
		t.Fatalf("right password during lockout: %d", r.status)
	}
}

func TestStaffQuestionFormsAndImport(t *testing.T) {
	e := newEnv(t, store.SQLite)
	e.user("ivy@example.com", store.RoleInterviewer)
	c := e.client()
	c.login("ivy@example.com")
	csrf := c.csrf("/staff/questions/new")

	r := c.postForm("/staff/questions/new", url.Values{"_csrf": {csrf}, "level": {"beginner"}})
	if r.status != 400 || !strings.Contains(r.body, "Enter a technology.") || !strings.Contains(r.body, `aria-invalid="true"`) {
		t.Fatalf("empty form: %d", r.status)
	}
	form := url.Values{"_csrf": {csrf}, "technology": {"Go"}, "level": {"advanced"}, "prompt": {"Explain <b>escape</b> analysis."},
		"answer": {"It decides heap or stack."}, "tags": {"compiler, Memory"}, "time_limit_s": {"600"}}
	if r := c.postForm("/staff/questions/new", form); r.status != 303 || r.header.Get("Location") != "/staff/questions?flash=saved" {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if r := c.postForm("/staff/questions/new", form); r.status != 409 {
		t.Fatalf("duplicate: %d", r.status)
	}
	qs, _, _ := e.store.ListQuestions(context.Background(), store.QuestionFilter{Limit: 5})
	if len(qs) != 1 || qs[0].Prompt != "Explain <b>escape</b> analysis." || strings.Join(qs[0].Tags, ",") != "compiler,memory" || qs[0].TimeLimitS != 600 {
		t.Fatalf("stored %+v", qs)
	}
	id := qs[0].ID
	edit := "/staff/questions/" + itoa(id) + "/edit"
	if r := c.get(edit); r.status != 200 || !strings.Contains(r.body, "Explain &lt;b&gt;escape&lt;/b&gt; analysis.") {
		t.Fatalf("edit page: %d", r.status)
	}
	form.Set("time_limit_s", "-5")
	if r := c.postForm(edit, form); r.status != 400 || !strings.Contains(r.body, "Enter a number of seconds") {
		t.Fatalf("bad time limit: %d", r.status)
	}
	form.Set("time_limit_s", "300")
	if r := c.postForm(edit, form); r.status != 303 {
		t.Fatalf("update: %d", r.status)
	}
	if r := c.postForm("/staff/questions/999/edit", form); r.status != 404 {
		t.Fatalf("update unknown: %d", r.status)
	}
	if r := c.postForm("/staff/questions/"+itoa(id)+"/delete", url.Values{}); r.status != 403 {
		t.Fatalf("delete without CSRF: %d", r.status)
	}
	if r := c.postForm("/staff/questions/"+itoa(id)+"/delete", url.Values{"_csrf": {csrf}}); r.status != 303 {
		t.Fatalf("delete: %d", r.status)
	}

	upload := func(name, content string, withCSRF bool) resp {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		if withCSRF {
			_ = mw.WriteField("_csrf", csrf)
		}
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(content))
		mw.Close()
		return c.do("POST", "/staff/import", &buf, "Content-Type", mw.FormDataContentType())
	}
	text := "C++Intermediate\n\nWhat is RAII?\n\nAnswer\n\nResources tied to object lifetime.\n"
	if r := upload("bank.txt", text, false); r.status != 403 {
		t.Fatalf("upload without CSRF: %d", r.status)
	}
	r = upload("bank.txt", text, true)
	if r.status != 200 || !strings.Contains(r.body, "Imported 1 questions") || !strings.Contains(r.body, `<tr data-technology="C&#43;&#43;">`) {
		t.Fatalf("upload: %d\n%s", r.status, r.body)
	}
	r = upload("broken.txt", "C++Intermediate\n\nWhat is RAII?\n", true)
	if r.status != 400 || !strings.Contains(r.body, "broken.txt:1:") {
		t.Fatalf("broken upload: %d\n%s", r.status, r.body)
	}
	if r := upload("bank.pdf", text, true); r.status != 400 {
		t.Fatalf("pdf upload: %d", r.status)
	}
}

func TestAdminUsers(t *testing.T) {
	e := newEnv(t, store.SQLite)
	e.user("ada@example.com", store.RoleAdmin)
	c := e.client()
	c.login("ada@example.com")
	csrf := c.csrf("/admin/users")
	add := url.Values{"_csrf": {csrf}, "email": {"new@example.com"}, "name": {"New"}, "role": {"reviewer"}, "password": {"0123456789"}}
	if r := c.postForm("/admin/users", add); r.status != 400 || !strings.Contains(r.body, "most common") {
		t.Fatalf("a common password: %d", r.status)
	}
	add.Set("password", "nine lives left")
	if r := c.postForm("/admin/users", add); r.status != 303 {
		t.Fatalf("add user: %d %s", r.status, r.body)
	}
	if r := c.postForm("/admin/users", add); r.status != 409 {
		t.Fatalf("add twice: %d", r.status)
	}
	add.Set("role", "owner")
	add.Set("email", "other@example.com")
	if r := c.postForm("/admin/users", add); r.status != 400 {
		t.Fatalf("bad role: %d", r.status)
	}
	u, err := e.store.UserByEmail(context.Background(), "new@example.com")
	if err != nil || u.Role != "reviewer" {
		t.Fatalf("new user %+v %v", u, err)
	}
	if r := c.postForm("/admin/users/"+itoa(u.ID)+"/role", url.Values{"_csrf": {csrf}, "role": {"interviewer"}}); r.status != 303 {
		t.Fatalf("change role: %d", r.status)
	}
	admin, _ := e.store.UserByEmail(context.Background(), "ada@example.com")
	if r := c.postForm("/admin/users/"+itoa(admin.ID)+"/role", url.Values{"_csrf": {csrf}, "role": {"reviewer"}}); r.status != 409 || !strings.Contains(r.body, "last admin") {
		t.Fatalf("demote last admin: %d", r.status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestStaticCaching(t *testing.T) {
	e := newEnv(t, store.SQLite)
	c := e.client()
	home := c.get("/")
	m := regexp.MustCompile(`/static/js/app\.js\?v=([0-9a-f]+)`).FindStringSubmatch(home.body)
	if m == nil {
		t.Fatalf("no hashed script URL on /:\n%s", home.body)
	}
	if r := c.get(m[0]); r.status != 200 || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Fatalf("hashed URL: %d %q", r.status, r.header.Get("Cache-Control"))
	}
	r := c.get("/static/js/app.js")
	etag := r.header.Get("ETag")
	if r.status != 200 || etag != `"`+m[1]+`"` || r.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("unhashed URL: %d etag %q cache %q", r.status, etag, r.header.Get("Cache-Control"))
	}
	if r := c.get("/static/js/app.js", "If-None-Match", etag); r.status != 304 {
		t.Fatalf("revalidation: %d", r.status)
	}
	if r := c.get("/static/js/nope.js"); r.status != 404 {
		t.Fatalf("missing file: %d", r.status)
	}
}
