package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
)

// modelAnswer is the seeded question's model answer: it must never reach a
// candidate's page.
const modelAnswer = "MODEL-ANSWER-zebracorn: goroutines multiplex onto threads"

type createdInterview struct {
	ID         int64 `json:"id"`
	Candidates []struct {
		ID          int64  `json:"id"`
		Name        string `json:"name"`
		InviteURL   string `json:"invite_url"`
		InviteToken string `json:"invite_token"`
	} `json:"candidates"`
}

// apiJSON sends a JSON request with a bearer token.
func (e *env) apiJSON(method, path, token string, body any, out any) int {
	e.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, e.url+path, strings.NewReader(string(b)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			e.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return res.StatusCode
}

// roomFixture: an interview created by alice (interviewer) with two
// candidates and one planned question whose model answer is modelAnswer.
type roomFixture struct {
	*env
	alice, bob, admin, reviewer string // API tokens
	iv                          createdInterview
}

func newRoomFixture(t *testing.T) *roomFixture {
	t.Helper()
	return buildRoomFixture(t, newEnv(t, store.SQLite))
}

func buildRoomFixture(t *testing.T, e *env) *roomFixture {
	t.Helper()
	f := &roomFixture{env: e,
		alice:    e.user("alice@example.test", store.RoleInterviewer),
		bob:      e.user("bob@example.test", store.RoleInterviewer),
		admin:    e.user("root@example.test", store.RoleAdmin),
		reviewer: e.user("rita@example.test", store.RoleReviewer),
	}
	e.seed(bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "What is a goroutine?", Answer: modelAnswer, TimeLimitS: 300})
	var qs struct {
		Questions []struct {
			ID int64 `json:"id"`
		} `json:"questions"`
	}
	e.apiJSON("GET", "/api/v1/questions?q=goroutine", f.alice, nil, &qs)
	if len(qs.Questions) != 1 {
		t.Fatalf("seeded question not found: %+v", qs)
	}
	body := map[string]any{
		"title":      "Go <b>screen</b>",
		"questions":  []map[string]any{{"question_id": qs.Questions[0].ID, "time_limit_s": 120}},
		"candidates": []map[string]any{{"name": "Cara <i>Candidate</i>"}, {"name": "Dan"}},
	}
	if st := e.apiJSON("POST", "/api/v1/interviews", f.alice, body, &f.iv); st != http.StatusCreated {
		t.Fatalf("create interview: %d", st)
	}
	return f
}

func (f *roomFixture) path(suffix string) string {
	return fmt.Sprintf("/interviews/%d%s", f.iv.ID, suffix)
}

func TestInterviewPagesAccess(t *testing.T) {
	f := newRoomFixture(t)
	staffPaths := []string{"/interviews", "/interviews/new", f.path(""), f.path("/console")}

	t.Run("anonymous is sent to log in", func(t *testing.T) {
		c := f.client()
		for _, p := range staffPaths {
			r := c.get(p)
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next="+url.QueryEscape(p) {
				t.Errorf("GET %s: %d to %q", p, r.status, r.header.Get("Location"))
			}
		}
	})

	t.Run("reviewer is refused", func(t *testing.T) {
		c := f.client()
		c.login("rita@example.test")
		for _, p := range append(staffPaths, f.path("/room")) {
			if r := c.get(p); r.status != http.StatusForbidden {
				t.Errorf("GET %s as reviewer: %d", p, r.status)
			}
		}
	})

	t.Run("interviewer not on the panel is refused", func(t *testing.T) {
		c := f.client()
		c.login("bob@example.test")
		for _, p := range []string{f.path(""), f.path("/console")} {
			if r := c.get(p); r.status != http.StatusForbidden || !strings.Contains(r.body, `role="alert"`) {
				t.Errorf("GET %s as another interviewer: %d", p, r.status)
			}
		}
		r := c.get("/interviews")
		if r.status != http.StatusOK || strings.Contains(r.body, "screen") {
			t.Errorf("bob's list shows alice's interview: %d\n%s", r.status, r.body)
		}
	})

	t.Run("panel and admin may open every staff page", func(t *testing.T) {
		for _, who := range []string{"alice@example.test", "root@example.test"} {
			c := f.client()
			c.login(who)
			for _, p := range staffPaths {
				r := c.get(p)
				if r.status != http.StatusOK {
					t.Fatalf("GET %s as %s: %d", p, who, r.status)
				}
				if strings.Contains(r.body, "<b>screen</b>") || strings.Contains(r.body, "<i>Candidate</i>") {
					t.Fatalf("GET %s renders user text as markup", p)
				}
			}
			list := c.get("/interviews").body
			if !strings.Contains(list, fmt.Sprintf(`href="/interviews/%d/console"`, f.iv.ID)) || !strings.Contains(list, "Join console") {
				t.Fatalf("list has no console link:\n%s", list)
			}
			if !strings.Contains(list, `href="/interviews">Interviews</a>`) {
				t.Fatal("no Interviews link in the nav")
			}
			manage := c.get(f.path("")).body
			for _, cand := range f.iv.Candidates {
				if !strings.Contains(manage, fmt.Sprintf(`data-candidate-id="%d"`, cand.ID)) {
					t.Fatalf("manage page misses candidate %d", cand.ID)
				}
			}
		}
	})

	t.Run("a staff member opening the candidate view goes to the console", func(t *testing.T) {
		c := f.client()
		c.login("alice@example.test")
		r := c.get(f.path("/room"))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != f.path("/console") {
			t.Fatalf("%d to %q", r.status, r.header.Get("Location"))
		}
	})
}

func TestCandidatePageNeedsItsInvite(t *testing.T) {
	f := newRoomFixture(t)
	cara, dan := f.iv.Candidates[0], f.iv.Candidates[1]

	t.Run("no cookie", func(t *testing.T) {
		r := f.client().get(f.path("/room"))
		if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "open the invite link") {
			t.Fatalf("%d:\n%s", r.status, r.body)
		}
		if strings.Contains(r.body, "candidate.js") {
			t.Fatal("the closed page loads the room script")
		}
	})

	t.Run("with the invite cookie", func(t *testing.T) {
		c := f.client()
		if r := c.get("/join/" + cara.InviteToken); r.status != http.StatusSeeOther || r.header.Get("Location") != f.path("/room") {
			t.Fatalf("join: %d to %q", r.status, r.header.Get("Location"))
		}
		r := c.get(f.path("/room"))
		if r.status != http.StatusOK || !strings.Contains(r.body, "Cara &lt;i&gt;Candidate&lt;/i&gt;") || !strings.Contains(r.body, "What the interviewers will see") {
			t.Fatalf("%d:\n%s", r.status, r.body)
		}
		if strings.Contains(r.body, "<i>Candidate</i>") {
			t.Fatal("the candidate's name is rendered as markup")
		}
		if strings.Contains(r.body, `href="/questions"`) || strings.Contains(r.body, `aria-label="Main"`) {
			t.Fatal("the exam page links to the public bank (model answers)")
		}
		if sc := r.header.Get("Set-Cookie"); strings.Contains(sc, "ace_session") {
			t.Fatalf("the candidate page created a session: %s", sc)
		}
	})

	t.Run("another interview's invite", func(t *testing.T) {
		var other createdInterview
		f.apiJSON("POST", "/api/v1/interviews", f.alice, map[string]any{"title": "Other", "candidates": []map[string]any{{"name": "Eve"}}}, &other)
		c := f.client()
		c.get("/join/" + other.Candidates[0].InviteToken)
		if r := c.get(f.path("/room")); r.status != http.StatusForbidden {
			t.Fatalf("%d", r.status)
		}
	})

	t.Run("a revoked invite", func(t *testing.T) {
		c := f.client()
		c.get("/join/" + dan.InviteToken)
		if st := f.apiJSON("DELETE", fmt.Sprintf("/api/v1/interviews/%d/candidates/%d/invite", f.iv.ID, dan.ID), f.alice, nil, nil); st != http.StatusNoContent {
			t.Fatalf("revoke: %d", st)
		}
		if r := c.get(f.path("/room")); r.status != http.StatusGone || !strings.Contains(r.body, "withdrawn") {
			t.Fatalf("%d:\n%s", r.status, r.body)
		}
	})
}

// wsClient is a bare room client for driving the room from a test.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
	n    int
}

func (e *env) dialRoom(id int64, token string) *wsClient {
	e.t.Helper()
	h := http.Header{"Authorization": {"Bearer " + token}}
	conn, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(e.url, "http")+fmt.Sprintf("/ws/interviews/%d", id), h)
	if err != nil {
		e.t.Fatalf("dial: %v (%v)", err, res)
	}
	e.t.Cleanup(func() { conn.Close() })
	c := &wsClient{t: e.t, conn: conn}
	c.send("hello", "", map[string]any{"last_seq": 0})
	c.until(func(typ, _ string, _ []byte) bool { return typ == "welcome" })
	return c
}

func (c *wsClient) send(typ, id string, data any) {
	c.t.Helper()
	if err := c.conn.WriteJSON(map[string]any{"type": typ, "id": id, "data": data}); err != nil {
		c.t.Fatal(err)
	}
}

// until reads frames until match says so; it returns every frame read.
func (c *wsClient) until(match func(typ, id string, raw []byte) bool) []string {
	c.t.Helper()
	var seen []string
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, b, err := c.conn.ReadMessage()
		if err != nil {
			c.t.Fatalf("read: %v (after %v)", err, seen)
		}
		seen = append(seen, string(b))
		var f struct{ Type, ID string }
		_ = json.Unmarshal(b, &f)
		if f.Type == "error" && f.ID != "" {
			c.t.Fatalf("request %s refused: %s", f.ID, b)
		}
		if match(f.Type, f.ID, b) {
			return seen
		}
	}
}

// draftSaved sends an answer.draft and waits for both its ack and the
// answer.saved that follows, in either order: the draft writer may store it
// before the ack goes out.
func (c *wsClient) draftSaved(data any) {
	c.t.Helper()
	c.n++
	id := fmt.Sprintf("t%d", c.n)
	c.send("answer.draft", id, data)
	acked, saved := false, false
	c.until(func(t, i string, _ []byte) bool {
		acked = acked || (t == "ack" && i == id)
		saved = saved || t == "answer.saved"
		return acked && saved
	})
}

// request sends a message and waits for its ack.
func (c *wsClient) request(typ string, data any) {
	c.t.Helper()
	c.n++
	id := fmt.Sprintf("t%d", c.n)
	c.send(typ, id, data)
	c.until(func(t, i string, _ []byte) bool { return t == "ack" && i == id })
}

func TestCandidatePageNeverHasTheModelAnswer(t *testing.T) {
	f := newRoomFixture(t)
	cara := f.iv.Candidates[0]
	staff := f.dialRoom(f.iv.ID, f.alice)
	staff.request("interview.start", nil)
	staff.request("question.push", map[string]any{"position": 1})

	cand := f.dialRoom(f.iv.ID, cara.InviteToken)
	cand.draftSaved(map[string]any{"text": "they are <cheap> threads", "version": 7})

	c := f.client()
	c.get("/join/" + cara.InviteToken)
	r := c.get(f.path("/room"))
	if r.status != http.StatusOK {
		t.Fatalf("room: %d", r.status)
	}
	for _, leak := range []string{modelAnswer, "zebracorn", html.EscapeString(modelAnswer)} {
		if strings.Contains(r.body, leak) {
			t.Fatalf("the candidate page contains the model answer:\n%s", r.body)
		}
	}

	// A (re)loaded console starts from its welcome, which carries every
	// candidate's stored answer; the page itself embeds none.
	s := f.client()
	s.login("alice@example.test")
	if body := s.get(f.path("/console")).body; strings.Contains(body, "they are") {
		t.Fatalf("the console page embeds answers:\n%s", body)
	}
	again, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(f.url, "http")+fmt.Sprintf("/ws/interviews/%d", f.iv.ID),
		http.Header{"Authorization": {"Bearer " + f.alice}})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	w := &wsClient{t: t, conn: again}
	w.send("hello", "", map[string]any{"last_seq": 0})
	var welcome struct {
		Data struct {
			Answers []struct {
				CandidateID int64  `json:"candidate_id"`
				Position    int    `json:"position"`
				Text        string `json:"text"`
				Version     int64  `json:"version"`
			} `json:"answers"`
		} `json:"data"`
	}
	w.until(func(typ, _ string, raw []byte) bool {
		if typ != "welcome" {
			return false
		}
		if err := json.Unmarshal(raw, &welcome); err != nil {
			t.Fatal(err)
		}
		return true
	})
	if as := welcome.Data.Answers; len(as) != 1 || as[0].CandidateID != cara.ID || as[0].Text != "they are <cheap> threads" || as[0].Version != 7 {
		t.Fatalf("the interviewer's welcome answers: %+v", as)
	}

	// After the end the candidate page says so, and loads no room.
	staff.request("interview.end", nil)
	if r := c.get(f.path("/room")); r.status != http.StatusGone || !strings.Contains(r.body, "has ended") {
		t.Fatalf("after the end: %d\n%s", r.status, r.body)
	}
}

// newRoomFixtureOn is newRoomFixture on an existing env.
func newRoomFixtureOn(t *testing.T, e *env) *roomFixture {
	t.Helper()
	return buildRoomFixture(t, e)
}
