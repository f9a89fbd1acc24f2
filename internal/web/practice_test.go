package web_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/config"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// practiceEnv is a server on dialect d with cfg changed by mod.
func practiceEnv(t *testing.T, d store.Dialect, mod func(*config.Config)) *env {
	t.Helper()
	cfg := configFor(t, d)
	if mod != nil {
		mod(&cfg)
	}
	return newEnvOn(t, cfg)
}

// goBank is six public Go questions, two private ones, and a technology
// (Rust) whose only question is private.
func goBank(e *env) (public, private []string) {
	e.t.Helper()
	var qs []bank.Question
	for i := 1; i <= 6; i++ {
		lv := []bank.Level{bank.Beginner, bank.Intermediate, bank.Advanced}[i%3]
		p := fmt.Sprintf("Public Go question %d?", i)
		qs = append(qs, question("Go", lv, p))
		public = append(public, p)
	}
	for _, p := range []string{"Secret Go question A?", "Secret Go question B?"} {
		q := question("Go", bank.Beginner, p)
		q.Visibility = bank.Private
		qs = append(qs, q)
		private = append(private, p)
	}
	rust := question("Rust", bank.Beginner, "Secret Rust question?")
	rust.Visibility = bank.Private
	e.seed(append(qs, rust)...)
	return public, append(private, rust.Prompt)
}

var practicePath = regexp.MustCompile(`^/practice/(\d+)$`)

// startPractice fills /practice/new and returns the new attempt's id.
func (c *client) startPractice(form url.Values) int64 {
	c.t.Helper()
	r := c.tryPractice(form)
	m := practicePath.FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || m == nil {
		c.t.Fatalf("start practice: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func (c *client) tryPractice(form url.Values) resp {
	c.t.Helper()
	form.Set("_csrf", c.csrf("/practice/new"))
	return c.postForm("/practice", form)
}

func goForm(count string) url.Values {
	return url.Values{"technology": {"Go"}, "level": {"mixed"}, "count": {count}, "time": {"suggested"}}
}

var metaCSRF = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)

// finish presses "Finish and see results" as candidate.js does.
func (c *client) finish(id int64) resp {
	c.t.Helper()
	room := c.get(fmt.Sprintf("/practice/%d", id))
	m := metaCSRF.FindStringSubmatch(room.body)
	tok := ""
	if m != nil {
		tok = m[1]
	}
	return c.do("POST", fmt.Sprintf("/practice/%d/finish", id), nil, "X-CSRF-Token", tok)
}

// dialPractice opens the attempt's room with the client's cookies, as the
// browser does.
func (c *client) dialPractice(id int64) (*wsClient, *http.Response, error) {
	c.t.Helper()
	u, _ := url.Parse(c.base)
	var cookies []string
	for _, k := range c.hc.Jar.Cookies(u) {
		cookies = append(cookies, k.Name+"="+k.Value)
	}
	h := http.Header{"Cookie": {strings.Join(cookies, "; ")}}
	conn, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(c.base, "http")+fmt.Sprintf("/ws/interviews/%d", id), h)
	if err != nil {
		return nil, res, err
	}
	c.t.Cleanup(func() { conn.Close() })
	ws := &wsClient{t: c.t, conn: conn}
	return ws, res, nil
}

func (c *client) joinPractice(id int64) (*wsClient, string) {
	c.t.Helper()
	ws, res, err := c.dialPractice(id)
	if err != nil {
		c.t.Fatalf("dial practice room: %v (%v)", err, res)
	}
	ws.send("hello", "", map[string]any{"last_seq": 0})
	seen := ws.until(func(typ, _ string, _ []byte) bool { return typ == "welcome" })
	return ws, seen[len(seen)-1]
}

func TestPracticeAttemptFlow(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := practiceEnv(t, d, nil)
			public, private := goBank(e)
			taker := e.client()
			id := taker.startPractice(goForm("5"))

			u, _ := url.Parse(e.url)
			var holder *http.Cookie
			for _, k := range taker.hc.Jar.Cookies(u) {
				if k.Name == "ace_practice" {
					holder = k
				}
			}
			if holder == nil {
				t.Fatal("no ace_practice cookie after starting an attempt")
			}
			if c := taker.hc.Jar.Cookies(u); len(c) == 0 {
				t.Fatal("no cookies")
			}

			room := taker.get(fmt.Sprintf("/practice/%d", id))
			for _, want := range []string{`data-practice="1"`, fmt.Sprintf(`data-finish-url="/practice/%d/finish"`, id),
				fmt.Sprintf(`data-results-url="/practice/%d/results"`, id), `name="csrf-token"`} {
				if room.status != http.StatusOK || !strings.Contains(room.body, want) {
					t.Fatalf("room page lacks %s (%d):\n%s", want, room.status, room.body)
				}
			}
			// A refresh or a second tab of the same browser opens the same room.
			if again := taker.get(fmt.Sprintf("/practice/%d", id)); again.status != http.StatusOK {
				t.Fatalf("second tab: %d", again.status)
			}
			// Another browser may not open, join, finish or read it.
			other := e.client()
			if r := other.get(fmt.Sprintf("/practice/%d", id)); r.status != http.StatusForbidden {
				t.Fatalf("another browser opens the attempt: %d", r.status)
			}
			if _, res, err := other.dialPractice(id); err == nil || res == nil || res.StatusCode != http.StatusForbidden {
				t.Fatalf("another browser joins the room: %v %v", err, res)
			}

			// The room: one candidate, live, the five planned questions, all public.
			ws, welcome := taker.joinPractice(id)
			for _, want := range []string{`"role":"candidate"`, `"status":"live"`, `"pacing":"self_paced"`} {
				if !strings.Contains(welcome, want) {
					t.Fatalf("welcome lacks %s: %s", want, welcome)
				}
			}
			for _, p := range private {
				if strings.Contains(welcome, p) {
					t.Fatalf("welcome carries the private question %q", p)
				}
			}
			qs, err := e.store.PlannedQuestions(context.Background(), id)
			if err != nil || len(qs) != 5 {
				t.Fatalf("plan: %d questions, %v", len(qs), err)
			}
			ws.openQuestion(1)
			ws.draftSaved(map[string]any{"position": 1, "text": "my <b>typed</b> answer", "version": 1})
			ws.request("answer.submit", map[string]any{"position": 1, "text": "my <b>typed</b> answer", "version": 2})

			// Not over yet: the results send the taker back to the room.
			if r := taker.get(fmt.Sprintf("/practice/%d/results", id)); r.status != http.StatusSeeOther || r.header.Get("Location") != fmt.Sprintf("/practice/%d", id) {
				t.Fatalf("results of a running attempt: %d %s", r.status, r.header.Get("Location"))
			}
			if r := other.finish(id); r.status != http.StatusForbidden {
				t.Fatalf("another browser finishes the attempt: %d", r.status)
			}
			if r := taker.finish(id); r.status != http.StatusOK || !strings.Contains(r.body, `"ended"`) {
				t.Fatalf("finish: %d %s", r.status, r.body)
			}
			ws.until(func(typ, _ string, _ []byte) bool { return typ == "interview.ended" })
			if r := taker.finish(id); r.status != http.StatusForbidden && r.status != http.StatusOK {
				t.Fatalf("finishing twice: %d", r.status)
			}
			// Over: the room page leads to the results, the socket no longer opens.
			if r := taker.get(fmt.Sprintf("/practice/%d", id)); r.status != http.StatusSeeOther {
				t.Fatalf("room of an ended attempt: %d", r.status)
			}
			if _, res, err := taker.dialPractice(id); err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("room socket of an ended attempt: %v %v", err, res)
			}
			res := taker.get(fmt.Sprintf("/practice/%d/results", id))
			if res.status != http.StatusOK {
				t.Fatalf("results: %d\n%s", res.status, res.body)
			}
			if !strings.Contains(res.body, "my &lt;b&gt;typed&lt;/b&gt; answer") || !strings.Contains(res.body, `data-outcome="submitted"`) {
				t.Fatalf("results lack the escaped answer or its outcome:\n%s", res.body)
			}
			if !strings.Contains(res.body, "Answer to "+qs[0].Prompt) || !strings.Contains(res.body, `class="time-used"`) {
				t.Fatalf("results lack the model answer or the time used:\n%s", res.body)
			}
			for _, p := range private {
				if strings.Contains(res.body, p) {
					t.Fatalf("results carry a private question %q", p)
				}
			}
			if r := other.get(fmt.Sprintf("/practice/%d/results", id)); r.status != http.StatusForbidden || strings.Contains(r.body, "typed") {
				t.Fatalf("another browser reads the results: %d", r.status)
			}
			_ = public

			// Staff never see it.
			admin := e.user("ada@example.com", store.RoleAdmin)
			staff := e.client()
			var list struct{ Interviews []store.Interview }
			staff.get("/api/v1/interviews", "Authorization", "Bearer "+admin).json(t, &list)
			if len(list.Interviews) != 0 {
				t.Fatalf("staff API lists practice attempts: %+v", list.Interviews)
			}
			if r := staff.get(fmt.Sprintf("/api/v1/interviews/%d", id), "Authorization", "Bearer "+admin); r.status != http.StatusNotFound {
				t.Fatalf("staff API opens a practice attempt: %d", r.status)
			}
			if _, res, err := staff.dialPracticeBearer(id, admin); err == nil || res == nil || res.StatusCode != http.StatusForbidden {
				t.Fatalf("an admin joins a practice room: %v %v", err, res)
			}
		})
	}
}

func (c *client) dialPracticeBearer(id int64, token string) (*websocket.Conn, *http.Response, error) {
	h := http.Header{"Authorization": {"Bearer " + token}}
	conn, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(c.base, "http")+fmt.Sprintf("/ws/interviews/%d", id), h)
	if conn != nil {
		c.t.Cleanup(func() { conn.Close() })
	}
	return conn, res, err
}

func TestPracticeRateLimit(t *testing.T) {
	e := practiceEnv(t, store.SQLite, func(c *config.Config) { c.PracticeLimit = 2 })
	goBank(e)
	c := e.client()
	c.startPractice(goForm("5"))
	c.startPractice(goForm("5"))
	r := c.tryPractice(goForm("5"))
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "Too many practice exams") {
		t.Fatalf("third attempt in an hour: %d %q\n%s", r.status, r.header.Get("Retry-After"), r.body)
	}
	// Another browser on the same address is counted with it.
	if r := e.client().tryPractice(goForm("5")); r.status != http.StatusTooManyRequests {
		t.Fatalf("a new cookie escapes the limit: %d", r.status)
	}
}

func TestPracticeBadSettings(t *testing.T) {
	e := practiceEnv(t, store.SQLite, nil)
	goBank(e)
	c := e.client()
	for name, form := range map[string]url.Values{
		"count":           {"technology": {"Go"}, "count": {"7"}, "time": {"suggested"}},
		"level":           {"technology": {"Go"}, "level": {"expert"}, "count": {"5"}},
		"minutes":         {"technology": {"Go"}, "count": {"5"}, "time": {"exam"}, "minutes": {"7"}},
		"private only":    {"technology": {"Rust"}, "count": {"5"}},
		"no such thing":   {"technology": {"Cobol"}, "count": {"5"}},
		"no technology":   {"count": {"5"}},
		"unknown time":    {"technology": {"Go"}, "count": {"5"}, "time": {"forever"}},
		"not a number":    {"technology": {"Go"}, "count": {"five"}},
		"level, no match": {"technology": {"Go"}, "level": {"advanced"}, "count": {"20"}, "time": {"exam"}, "minutes": {"600"}},
	} {
		if r := c.tryPractice(form); r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) {
			t.Fatalf("%s: %d\n%s", name, r.status, r.body)
		}
	}
}

// TestPracticeNeverPrivate asks for many attempts of a technology that has
// private questions: none of them, nor any practice page, holds one.
func TestPracticeNeverPrivate(t *testing.T) {
	e := practiceEnv(t, store.SQLite, func(c *config.Config) { c.PracticeLimit = 1000 })
	_, private := goBank(e)
	ctx := context.Background()
	c := e.client()
	newPage := c.get("/practice/new")
	if strings.Contains(newPage.body, "Rust") {
		t.Fatalf("/practice/new offers a technology with private questions only:\n%s", newPage.body)
	}
	for i := 0; i < 40; i++ {
		form := goForm("20")
		if i%2 == 1 {
			form.Set("level", "beginner")
		}
		id := c.startPractice(form)
		qs, err := e.store.PlannedQuestions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			for _, p := range private {
				if q.Prompt == p {
					t.Fatalf("attempt %d holds the private question %q", id, p)
				}
			}
		}
		if i == 0 {
			if len(qs) != 6 {
				t.Fatalf("20 asked of 6 public questions: %d planned", len(qs))
			}
			_, welcome := c.joinPractice(id)
			if c.finish(id).status != http.StatusOK {
				t.Fatal("finish")
			}
			results := c.get(fmt.Sprintf("/practice/%d/results", id))
			for _, body := range []string{welcome, results.body} {
				for _, p := range private {
					if strings.Contains(body, p) {
						t.Fatalf("a practice frame or page carries %q", p)
					}
				}
			}
		}
	}
	// The anonymous pages that offer practice list no private question either.
	for _, path := range []string{"/", "/questions", "/questions?technology=Go", "/practice/new?technology=Go"} {
		body := c.get(path).body
		for _, p := range private {
			if strings.Contains(body, p) {
				t.Fatalf("%s carries %q", path, p)
			}
		}
		if path != "/practice/new?technology=Go" && !strings.Contains(body, `href="/practice/new?technology=Go"`) {
			t.Fatalf("%s offers no practice exam in Go:\n%s", path, body)
		}
	}
}

var shareLink = regexp.MustCompile(`id="share-url" type="text" readonly value="([^"]+)"`)

func TestPracticeRatingsShareRetry(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := practiceEnv(t, d, nil)
			goBank(e)
			ctx := context.Background()
			c := e.client()
			id := c.startPractice(goForm("5"))
			rate := func(pos int, rating string, headers ...string) resp {
				form := url.Values{"position": {strconv.Itoa(pos)}, "rating": {rating}}
				tok := metaCSRF.FindStringSubmatch(c.get(fmt.Sprintf("/practice/%d", id)).body)
				if tok == nil {
					tok = metaCSRF.FindStringSubmatch(c.get(fmt.Sprintf("/practice/%d/results", id)).body)
				}
				form.Set("_csrf", tok[1])
				return c.do("POST", fmt.Sprintf("/practice/%d/rate", id), strings.NewReader(form.Encode()),
					append([]string{"Content-Type", "application/x-www-form-urlencoded"}, headers...)...)
			}
			if r := rate(1, "got"); r.status != http.StatusConflict {
				t.Fatalf("rating a running attempt: %d", r.status)
			}
			ws, _ := c.joinPractice(id)
			ws.openQuestion(2)
			ws.draftSaved(map[string]any{"position": 2, "text": "typed text never shared", "version": 1})
			if r := c.finish(id); r.status != http.StatusOK {
				t.Fatalf("finish: %d", r.status)
			}
			if r := rate(1, "missed"); r.status != http.StatusSeeOther || !strings.HasSuffix(r.header.Get("Location"), "#q-1") {
				t.Fatalf("form rating: %d %s", r.status, r.header.Get("Location"))
			}
			rate(2, "partly")
			r := rate(3, "got", "Accept", "application/json")
			var score struct {
				Points    string
				Rated, Of int
			}
			r.json(t, &score)
			if score.Points != "1.5" || score.Rated != 3 || score.Of != 5 {
				t.Fatalf("score %+v", score)
			}
			for _, bad := range []resp{rate(9, "got"), rate(1, "superb")} {
				if bad.status != http.StatusBadRequest && bad.status != http.StatusNotFound {
					t.Fatalf("bad rating: %d", bad.status)
				}
			}
			res := c.get(fmt.Sprintf("/practice/%d/results", id))
			if !strings.Contains(res.body, `<strong id="score-points">1.5</strong>`) || !strings.Contains(res.body, `<span id="missed-count">1</span>`) {
				t.Fatalf("results do not total the ratings:\n%s", res.body)
			}

			// The staff questions page shows the difficulty signal.
			qs, _ := e.store.PlannedQuestions(ctx, id)
			e.user("ivy@example.com", store.RoleInterviewer)
			staff := e.client()
			staff.login("ivy@example.com")
			sp := staff.get("/staff/questions?technology=Go")
			row := regexp.MustCompile(`(?s)<tr data-id="` + strconv.FormatInt(*qs[0].QuestionID, 10) + `">.*?</tr>`).FindString(sp.body)
			if !strings.Contains(row, "Missed in practice: 1 of 1") {
				t.Fatalf("staff row of the missed question: %s", row)
			}

			// Share: opt in, the link shows the score and the prompts only.
			share := func(on string) {
				tok := csrfField.FindStringSubmatch(c.get(fmt.Sprintf("/practice/%d/results", id)).body)[1]
				if r := c.postForm(fmt.Sprintf("/practice/%d/share", id), url.Values{"_csrf": {tok}, "share": {on}}); r.status != http.StatusSeeOther {
					t.Fatalf("share %s: %d %s", on, r.status, r.body)
				}
			}
			if strings.Contains(res.body, "/practice/shared/") {
				t.Fatal("shared before opting in")
			}
			share("on")
			m := shareLink.FindStringSubmatch(c.get(fmt.Sprintf("/practice/%d/results", id)).body)
			if m == nil {
				t.Fatal("no share link after opting in")
			}
			link, _ := url.Parse(m[1])
			anon := e.client()
			sh := anon.get(link.Path)
			if sh.status != http.StatusOK || !strings.Contains(sh.body, "Score: <strong>1.5</strong> of 5") {
				t.Fatalf("shared page: %d\n%s", sh.status, sh.body)
			}
			for _, q := range qs {
				if !strings.Contains(sh.body, q.Prompt) {
					t.Fatalf("shared page lacks the prompt %q", q.Prompt)
				}
				if strings.Contains(sh.body, q.Answer) {
					t.Fatalf("shared page carries a model answer %q", q.Answer)
				}
			}
			if strings.Contains(sh.body, "typed text never shared") || strings.Contains(sh.body, "csrf") {
				t.Fatalf("shared page carries the typed answer or a form:\n%s", sh.body)
			}
			share("off")
			if r := anon.get(link.Path); r.status != http.StatusNotFound {
				t.Fatalf("a withdrawn share link: %d", r.status)
			}

			// Retry the ones I missed: a new attempt of exactly those.
			tok := csrfField.FindStringSubmatch(c.get(fmt.Sprintf("/practice/%d/results", id)).body)[1]
			r = c.postForm(fmt.Sprintf("/practice/%d/retry", id), url.Values{"_csrf": {tok}})
			mm := practicePath.FindStringSubmatch(r.header.Get("Location"))
			if r.status != http.StatusSeeOther || mm == nil {
				t.Fatalf("retry: %d %s", r.status, r.body)
			}
			retry, _ := strconv.ParseInt(mm[1], 10, 64)
			rq, _ := e.store.PlannedQuestions(ctx, retry)
			if len(rq) != 1 || *rq[0].QuestionID != *qs[0].QuestionID {
				t.Fatalf("retry plans %+v, want question %d alone", rq, *qs[0].QuestionID)
			}
			if r := e.client().postForm(fmt.Sprintf("/practice/%d/retry", id), url.Values{}); r.status != http.StatusForbidden {
				t.Fatalf("retry from another browser: %d", r.status)
			}
		})
	}
}

// TestPracticeResultsEndATimedOutAttempt: once every question's time is
// up, the results end the attempt rather than sending the taker back.
func TestPracticeResultsEndATimedOutAttempt(t *testing.T) {
	e := practiceEnv(t, store.SQLite, nil)
	q := question("Elixir", bank.Beginner, "What is a process?")
	q.TimeLimitS = 1
	e.seed(q)
	c := e.client()
	id := c.startPractice(url.Values{"technology": {"Elixir"}, "count": {"5"}, "time": {"suggested"}})
	ws, _ := c.joinPractice(id)
	ws.request("question.open", map[string]any{"position": 1})
	ws.until(func(typ, _ string, _ []byte) bool { return typ == "timer.expired" })
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := c.get(fmt.Sprintf("/practice/%d/results", id))
		if r.status == http.StatusOK {
			if !strings.Contains(r.body, `data-outcome="time_up"`) {
				t.Fatalf("outcome of the expired question:\n%s", r.body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("results of a timed-out attempt: %d", r.status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	iv, err := e.store.GetInterview(context.Background(), id)
	if err != nil || iv.Status != store.StatusEnded {
		t.Fatalf("attempt %+v, %v: want ended", iv, err)
	}
}

// openQuestion opens a question with a time limit and waits for its timer,
// as the candidate view does before it takes the answer: the draft gate
// reads the room's delivered state, which the ack may precede.
func (c *wsClient) openQuestion(position int) {
	c.t.Helper()
	c.n++
	id := fmt.Sprintf("t%d", c.n)
	c.send("question.open", id, map[string]any{"position": position})
	acked, started := false, false
	c.until(func(typ, i string, _ []byte) bool {
		acked = acked || (typ == "ack" && i == id)
		started = started || typ == "timer.started"
		return acked && started
	})
}

// TestServePurgesAbandonedPractice: an instance purges, as it starts serving,
// the attempts left alone longer than --practice-retention.
func TestServePurgesAbandonedPractice(t *testing.T) {
	cfg := configFor(t, store.SQLite)
	e := newEnvOn(t, cfg)
	goBank(e)
	c := e.client()
	old, kept := c.startPractice(goForm("5")), c.startPractice(goForm("5"))
	db, err := sql.Open("sqlite", "file:"+filepath.Join(cfg.DataDir, "ace.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE practice_attempts SET last_active_at = ? WHERE interview_id = ?`, time.Now().Add(-cfg.PracticeRetention-time.Hour).UTC(), old); err != nil {
		t.Fatal(err)
	}
	// A second instance on the same database purges as it starts.
	newEnvOn(t, cfg)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := e.store.GetInterview(context.Background(), old)
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the abandoned attempt %d is still there: %v", old, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := e.store.GetPractice(context.Background(), kept); err != nil {
		t.Fatalf("the recent attempt was purged: %v", err)
	}
	if r := c.get(fmt.Sprintf("/practice/%d", old)); r.status != http.StatusNotFound {
		t.Fatalf("a purged attempt's room: %d", r.status)
	}
}
