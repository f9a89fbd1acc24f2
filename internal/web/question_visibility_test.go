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

// secret is a word only the private questions hold, in prompt, answer and
// technology: no anonymous response may contain it.
const secret = "zebracrossing"

// leaks reports whether body shows a private question. A search page
// echoes its own query (the search field's value, its pager links), which
// is no leak: those are taken out first.
func leaks(body string) bool {
	body = strings.ReplaceAll(body, `value="`+secret+`"`, "")
	body = strings.ReplaceAll(body, "q="+secret, "")
	return strings.Contains(strings.ToLower(body), secret) || strings.Contains(body, "Only private in its technology")
}

func seedVisibility(e *env) {
	e.t.Helper()
	pub := []bank.Question{
		question("Go", bank.Beginner, "What is a goroutine?"),
		question("Go", bank.Advanced, "How does escape analysis work?"),
	}
	priv := []bank.Question{
		{Technology: "Go", Level: bank.Beginner, Prompt: "Staff-only " + secret + " question about goroutines", Answer: "The " + secret + " answer."},
		{Technology: "Go", Level: bank.Intermediate, Prompt: "Another " + secret + " prompt", Answer: "Also private."},
		{Technology: "Secret" + secret, Level: bank.Advanced, Prompt: "Only private in its technology", Answer: "Hidden."},
	}
	bank.SetVisibility(priv, bank.Private)
	e.seed(append(pub, priv...)...)
}

func TestAnonymousNeverSeesPrivateQuestions(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t, d)
			f := newRoomFixtureOn(t, e) // its question is seedVisibility's first
			seedVisibility(e)
			anon := e.client()
			candidate := e.client()
			candidate.get("/join/" + f.iv.Candidates[0].InviteToken) // a candidate's cookie is no staff session
			paths := []string{
				"/", "/questions", "/questions?technology=Go", "/questions?level=intermediate",
				"/questions?q=" + secret, "/questions?q=goroutines", "/questions?q=Staff-only", "/questions?technology=Secret" + secret,
				"/questions?visibility=private",
				"/api/v1/questions", "/api/v1/questions?limit=100", "/api/v1/questions?q=" + secret, "/api/v1/questions?q=goroutine",
				"/api/v1/questions?technology=Secret" + secret, "/api/v1/questions?level=intermediate", "/api/v1/questions?visibility=private",
				"/api/v1/questions?offset=50", "/api/v1/technologies",
			}
			for who, c := range map[string]*client{"anonymous": anon, "candidate": candidate} {
				for _, p := range paths {
					r := c.get(p)
					if r.status != 200 {
						t.Fatalf("%s %s: %d %s", who, p, r.status, r.body)
					}
					if leaks(r.body) {
						t.Fatalf("%s %s shows a private question:\n%s", who, p, r.body)
					}
					if strings.Contains(r.body, `"visibility"`) {
						t.Fatalf("%s %s shows visibility: %s", who, p, r.body)
					}
				}
				var body questionsBody
				c.get("/api/v1/questions").json(t, &body)
				if body.Total != 2 || len(body.Questions) != 2 {
					t.Fatalf("%s: total %d, want the 2 public questions: %+v", who, body.Total, body)
				}
				r := c.get("/api/v1/technologies")
				if r.body != `{"technologies":[{"name":"Go","counts":{"advanced":1,"beginner":1,"intermediate":0}}]}` {
					t.Fatalf("%s technologies: %s", who, r.body)
				}
				if r := c.get("/questions?technology=Go"); !strings.Contains(r.body, `<p id="result-count">2 questions</p>`) {
					t.Fatalf("%s: public page count wrong:\n%s", who, r.body)
				}
				if r := c.get("/"); !strings.Contains(r.body, `data-technology="Go"`) || strings.Contains(r.body, "Secret") {
					t.Fatalf("%s: home page:\n%s", who, r.body)
				}
			}
			// The public pages show the public bank to staff too.
			staff := e.client()
			staff.login("alice@example.test")
			if r := staff.get("/questions?q=" + secret); leaks(r.body) {
				t.Fatalf("the public bank page shows a private question to staff:\n%s", r.body)
			}
		})
	}
}

func TestStaffSeePrivateQuestions(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t, d)
			seedVisibility(e)
			for _, role := range []string{store.RoleAdmin, store.RoleInterviewer, store.RoleReviewer} {
				tok := e.user(role+"@example.test", role)
				var body struct {
					Questions []struct {
						Prompt     string `json:"prompt"`
						Visibility string `json:"visibility"`
					} `json:"questions"`
					Total int `json:"total"`
				}
				if st := e.apiJSON("GET", "/api/v1/questions?q="+secret, tok, nil, &body); st != 200 || body.Total != 2 {
					t.Fatalf("%s search: %d %+v", role, st, body)
				}
				for _, q := range body.Questions {
					if q.Visibility != "private" {
						t.Fatalf("%s: %q has visibility %q", role, q.Prompt, q.Visibility)
					}
				}
				if st := e.apiJSON("GET", "/api/v1/questions?limit=100", tok, nil, &body); st != 200 || body.Total != 5 {
					t.Fatalf("%s all: %d total %d", role, st, body.Total)
				}
				if st := e.apiJSON("GET", "/api/v1/questions?visibility=public", tok, nil, &body); st != 200 || body.Total != 2 || body.Questions[0].Visibility != "public" {
					t.Fatalf("%s public only: %d %+v", role, st, body)
				}
				if st := e.apiJSON("GET", "/api/v1/questions?visibility=hidden", tok, nil, nil); st != 400 {
					t.Fatalf("%s bad visibility: %d", role, st)
				}
				var techs struct {
					Technologies []struct{ Name string } `json:"technologies"`
				}
				if e.apiJSON("GET", "/api/v1/technologies", tok, nil, &techs); len(techs.Technologies) != 2 {
					t.Fatalf("%s technologies: %+v", role, techs)
				}
			}
			// The staff list marks private questions and filters by visibility.
			c := e.client()
			c.login("interviewer@example.test")
			r := c.get("/staff/questions?visibility=private")
			if r.status != 200 || strings.Count(r.body, `<span class="badge badge-private">Private</span>`) != 3 || strings.Contains(r.body, "What is a goroutine?") {
				t.Fatalf("staff list of private questions: %d\n%s", r.status, r.body)
			}
			if r := c.get("/staff/questions"); strings.Count(r.body, `badge-private`) != 3 || !strings.Contains(r.body, "What is a goroutine?") || !strings.Contains(r.body, `<p id="result-count">5 questions</p>`) {
				t.Fatalf("staff list:\n%s", r.body)
			}
		})
	}
}

func TestQuestionFormVisibility(t *testing.T) {
	e := newEnv(t, store.SQLite)
	e.user("ivy@example.test", store.RoleInterviewer)
	c := e.client()
	c.login("ivy@example.test")
	r := c.get("/staff/questions/new")
	if !strings.Contains(r.body, `<input type="radio" name="visibility" value="public" aria-describedby="visibility-public-hint" checked>`) ||
		!strings.Contains(r.body, `<input type="radio" name="visibility" value="private" aria-describedby="visibility-private-hint">`) {
		t.Fatalf("new form has no visibility choice defaulting to public:\n%s", r.body)
	}
	form := url.Values{"_csrf": {c.csrf("/staff/questions/new")}, "technology": {"Go"}, "level": {"beginner"},
		"prompt": {"A private " + secret + " prompt"}, "answer": {"Private answer"}, "visibility": {"private"}}
	if r := c.postForm("/staff/questions/new", form); r.status != http.StatusSeeOther {
		t.Fatalf("create private: %d\n%s", r.status, r.body)
	}
	if r := e.client().get("/questions?q=" + secret); leaks(r.body) {
		t.Fatal("a question made private on the form is in the public bank")
	}
	qs, _, err := e.store.ListQuestions(context.Background(), store.QuestionFilter{IncludePrivate: true, Limit: 10})
	if err != nil || len(qs) != 1 || qs[0].Visibility != "private" {
		t.Fatalf("stored %+v %v", qs, err)
	}
	edit := "/staff/questions/" + itoa(qs[0].ID) + "/edit"
	if r := c.get(edit); !strings.Contains(r.body, `value="private" aria-describedby="visibility-private-hint" checked>`) {
		t.Fatalf("edit form does not show private:\n%s", r.body)
	}
	form.Set("_csrf", c.csrf(edit))
	form.Set("visibility", "secret")
	if r := c.postForm(edit, form); r.status != 400 || !strings.Contains(r.body, "Choose public or private.") {
		t.Fatalf("bad visibility: %d\n%s", r.status, r.body)
	}
	form.Set("visibility", "public")
	if r := c.postForm(edit, form); r.status != http.StatusSeeOther {
		t.Fatalf("make public: %d", r.status)
	}
	if r := e.client().get("/questions?q=" + secret); !leaks(r.body) {
		t.Fatal("a question made public on the form is not in the public bank")
	}
}

func TestImportVisibilityPageAndAPI(t *testing.T) {
	e := newEnv(t, store.SQLite)
	tok := e.user("ivy@example.test", store.RoleInterviewer)
	c := e.client()
	c.login("ivy@example.test")
	upload := func(name, content string, fields ...string) resp {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("_csrf", c.csrf("/staff/import"))
		for i := 0; i+1 < len(fields); i += 2 {
			_ = mw.WriteField(fields[i], fields[i+1])
		}
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(content))
		mw.Close()
		return c.do("POST", "/staff/import", &buf, "Content-Type", mw.FormDataContentType())
	}
	text := "GoBeginner\n\nA " + secret + " text prompt\n\nAnswer\n\nAn answer.\n"
	if r := upload("bank.txt", text, "private", "1"); r.status != 200 || !strings.Contains(r.body, "All of them are private.") {
		t.Fatalf("private upload: %d\n%s", r.status, r.body)
	}
	gift := "$CATEGORY: $course$/top/Go/Advanced\n\n::G:: A " + secret + " gift prompt {####A gift answer.}\n"
	if r := upload("moodle-export.txt", gift, "format", "gift", "private", "1"); r.status != 200 || !strings.Contains(r.body, "Imported 1 questions") {
		t.Fatalf("gift upload as .txt with the format chosen: %d\n%s", r.status, r.body)
	}
	if r := upload("moodle-export.txt", gift); r.status != 400 {
		t.Fatalf("gift upload read as the text format: %d", r.status)
	}
	if r := upload("moodle.gift", "$CATEGORY: Go/Beginner\n\nPick {~a =b}\n"); r.status != 400 || !strings.Contains(r.body, "moodle.gift:3:") || !strings.Contains(r.body, "multiple-choice") {
		t.Fatalf("multiple-choice gift: %d\n%s", r.status, r.body)
	}
	if r := e.client().get("/questions?q=" + secret); leaks(r.body) {
		t.Fatal("a private upload is in the public bank")
	}
	post := func(query, ct, body string) resp {
		return e.client().do("POST", "/api/v1/questions/import"+query, strings.NewReader(body), "Authorization", "Bearer "+tok, "Content-Type", ct)
	}
	js := `{"questions":[{"technology":"SQL","level":"beginner","prompt":"An API ` + secret + ` prompt","answer":"A."},
		{"technology":"SQL","level":"beginner","prompt":"A public one","answer":"B.","visibility":"public"}]}`
	if r := post("?visibility=private", "application/json", js); r.status != 200 {
		t.Fatalf("API import private: %d %s", r.status, r.body)
	}
	if r := post("?visibility=staff", "application/json", js); r.status != 400 || r.errorCode(t) != "bad_visibility" {
		t.Fatalf("API import bad visibility: %d %s", r.status, r.body)
	}
	if r := post("", "text/x-gift", gift); r.status != 200 {
		t.Fatalf("API import gift: %d %s", r.status, r.body)
	}
	var body questionsBody
	e.client().get("/api/v1/questions?limit=100").json(t, &body)
	if body.Total != 0 {
		t.Fatalf("public bank after private imports: %+v (the gift re-import without visibility keeps it private)", body)
	}
}

// TestPrivateQuestionsInInterviews: staff plan and push a private question
// like any other; the candidate sees it once pushed (without its model
// answer), and never through the public bank.
func TestPrivateQuestionsInInterviews(t *testing.T) {
	e := newEnv(t, store.SQLite)
	seedVisibility(e)
	ivy := e.user("ivy@example.test", store.RoleInterviewer)
	var found struct {
		Questions []struct {
			ID         int64  `json:"id"`
			Visibility string `json:"visibility"`
		} `json:"questions"`
	}
	e.apiJSON("GET", "/api/v1/questions?visibility=private&technology=Go&level=beginner", ivy, nil, &found)
	if len(found.Questions) != 1 || found.Questions[0].Visibility != "private" {
		t.Fatalf("private question not found by staff: %+v", found)
	}
	var iv createdInterview
	body := map[string]any{
		"title":      "Private screen",
		"questions":  []map[string]any{{"question_id": found.Questions[0].ID, "time_limit_s": 120}},
		"candidates": []map[string]any{{"name": "Cara"}},
	}
	if st := e.apiJSON("POST", "/api/v1/interviews", ivy, body, &iv); st != http.StatusCreated {
		t.Fatalf("create an interview of a private question: %d", st)
	}
	staff := e.dialRoom(iv.ID, ivy)
	cand := e.dialRoom(iv.ID, iv.Candidates[0].InviteToken)
	staff.request("interview.start", nil)
	staff.request("question.push", map[string]any{"position": 1})
	frames := cand.until(func(typ, _ string, _ []byte) bool { return typ == "question.pushed" })
	pushed := frames[len(frames)-1]
	if !strings.Contains(pushed, "Staff-only "+secret+" question about goroutines") || strings.Contains(pushed, "The "+secret+" answer.") {
		t.Fatalf("the candidate's question.pushed: %s", pushed)
	}
}
