package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
)

// panelFixture: an interview on SQLite whose panel is alice (the creator)
// and pat; bob is an interviewer not on it; root an admin, rita a
// reviewer. Candidates Cara and Dan; question 1 is pushed, 2 is not.
type panelFixture struct {
	*env
	alice, pat, bob, admin, reviewer string // API tokens
	iv                               createdInterview
	cara, dan                        int64
}

func newPanelFixture(t *testing.T, d store.Dialect) *panelFixture {
	t.Helper()
	e := newEnv(t, d)
	f := &panelFixture{env: e,
		alice:    e.user("alice@example.test", store.RoleInterviewer),
		pat:      e.user("pat@example.test", store.RoleInterviewer),
		bob:      e.user("bob@example.test", store.RoleInterviewer),
		admin:    e.user("root@example.test", store.RoleAdmin),
		reviewer: e.user("rita@example.test", store.RoleReviewer),
	}
	e.seed(bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "What is a goroutine?", Answer: modelAnswer, TimeLimitS: 300},
		bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "What is a channel?", Answer: "a pipe", TimeLimitS: 300})
	var qs struct {
		Questions []struct {
			ID int64 `json:"id"`
		} `json:"questions"`
	}
	e.apiJSON("GET", "/api/v1/questions?technology=Go", f.alice, nil, &qs)
	if len(qs.Questions) != 2 {
		t.Fatalf("seeded questions: %+v", qs)
	}
	body := map[string]any{
		"title":        "Panel screen",
		"questions":    []map[string]any{{"question_id": qs.Questions[0].ID}, {"question_id": qs.Questions[1].ID}},
		"candidates":   []map[string]any{{"name": "Cara"}, {"name": "Dan"}},
		"interviewers": []string{"pat@example.test"},
	}
	if st := e.apiJSON("POST", "/api/v1/interviews", f.alice, body, &f.iv); st != http.StatusCreated {
		t.Fatalf("create interview: %d", st)
	}
	f.cara, f.dan = f.iv.Candidates[0].ID, f.iv.Candidates[1].ID
	room := e.dialRoom(f.iv.ID, f.alice)
	room.request("interview.start", nil)
	room.request("question.push", map[string]any{"position": 1})
	return f
}

// call sends a raw request with a bearer token ("" for none).
func (e *env) call(method, path, token, contentType, body string) resp {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: string(b), header: res.Header}
}

func (f *panelFixture) scPath(cid int64, suffix string) string {
	return fmt.Sprintf("/api/v1/interviews/%d/candidates/%d/scorecard%s", f.iv.ID, cid, suffix)
}

func (f *panelFixture) put(token string, cid int64, body string) resp {
	f.t.Helper()
	return f.call("PUT", f.scPath(cid, ""), token, "application/json", body)
}

func (f *panelFixture) post(token string, cid int64, suffix string) resp {
	f.t.Helper()
	return f.call("POST", f.scPath(cid, suffix), token, "", "")
}

const goodScorecard = `{"recommendation":"yes","summary":"Clear and careful.","scores":[{"position":1,"score":3,"comment":"fine"}]}`

// TestScorecardPermissions: every new endpoint and page for the reviewer,
// a panel interviewer, another interviewer, an admin, a candidate and an
// anonymous visitor.
func TestScorecardPermissions(t *testing.T) {
	f := newPanelFixture(t, store.SQLite)
	caraToken := f.iv.Candidates[0].InviteToken
	list := fmt.Sprintf("/api/v1/interviews/%d/scorecards", f.iv.ID)
	type call struct {
		name         string
		method, path string
		body         string
	}
	reads := []call{
		{"list scorecards", "GET", list, ""},
	}
	own := call{"own scorecard", "GET", f.scPath(f.dan, ""), ""}
	writes := []call{
		{"save draft", "PUT", f.scPath(f.dan, ""), goodScorecard},
		{"submit", "POST", f.scPath(f.dan, "/submit"), ""},
		{"amend", "POST", f.scPath(f.dan, "/amend"), ""},
	}
	all := append(append(append([]call{}, reads...), own), writes...)
	do := func(token string, c call) resp {
		ct := ""
		if c.body != "" {
			ct = "application/json"
		}
		return f.call(c.method, c.path, token, ct, c.body)
	}

	t.Run("anonymous and candidates get 401", func(t *testing.T) {
		for _, token := range []string{"", caraToken} {
			for _, c := range all {
				if r := do(token, c); r.status != http.StatusUnauthorized {
					t.Errorf("%s with token %v: %d %s", c.name, token != "", r.status, r.body)
				}
			}
		}
		// A candidate's browser (the invite cookie, no staff session).
		cb := f.client()
		cb.get("/join/" + caraToken)
		for _, c := range all {
			if c.method != "GET" {
				continue
			}
			if r := cb.get(c.path); r.status != http.StatusUnauthorized {
				t.Errorf("%s with the candidate cookie: %d", c.name, r.status)
			}
		}
	})

	t.Run("another interviewer gets 403", func(t *testing.T) {
		for _, c := range all {
			if r := do(f.bob, c); r.status != http.StatusForbidden {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
	})

	t.Run("reviewers read and change nothing", func(t *testing.T) {
		if r := do(f.reviewer, reads[0]); r.status != http.StatusOK {
			t.Errorf("list: %d %s", r.status, r.body)
		}
		for _, c := range append([]call{own}, writes...) {
			if r := do(f.reviewer, c); r.status != http.StatusForbidden || r.errorCode(t) != "forbidden" {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
	})

	t.Run("the panel and admins write", func(t *testing.T) {
		for _, token := range []string{f.alice, f.admin} {
			if r := do(token, own); r.status != http.StatusOK || !strings.Contains(r.body, `"status":"new"`) {
				t.Fatalf("own before writing: %d %s", r.status, r.body)
			}
			for _, c := range writes {
				if r := do(token, c); r.status != http.StatusOK {
					t.Fatalf("%s: %d %s", c.name, r.status, r.body)
				}
			}
			if r := do(token, reads[0]); r.status != http.StatusOK {
				t.Fatalf("list: %d", r.status)
			}
		}
		// The admin joined the panel by scoring.
		var iv struct {
			Participants []struct{ Name, Role string } `json:"participants"`
		}
		f.apiJSON("GET", fmt.Sprintf("/api/v1/interviews/%d", f.iv.ID), f.admin, nil, &iv)
		joined := false
		for _, p := range iv.Participants {
			joined = joined || (p.Name == "root" && p.Role == store.PartInterviewer)
		}
		if !joined {
			t.Fatalf("the admin is not on the panel: %+v", iv.Participants)
		}
	})

	t.Run("unknown interview and candidate", func(t *testing.T) {
		if r := f.call("GET", "/api/v1/interviews/999/scorecards", f.admin, "", ""); r.status != http.StatusNotFound {
			t.Errorf("unknown interview: %d", r.status)
		}
		for _, cid := range []int64{999, 1} { // 1 is an interviewer, not a candidate
			if r := f.put(f.alice, cid, goodScorecard); r.status != http.StatusNotFound {
				t.Errorf("candidate %d: %d %s", cid, r.status, r.body)
			}
		}
		if r := f.call("GET", fmt.Sprintf("/api/v1/interviews/%d/candidates/x/scorecard", f.iv.ID), f.alice, "", ""); r.status != http.StatusBadRequest {
			t.Errorf("bad candidate id: %d", r.status)
		}
	})

	t.Run("pages", func(t *testing.T) {
		report := f.path("/report")
		for _, p := range []string{report, "/reports"} {
			if r := f.client().get(p); r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next="+url.QueryEscape(p) {
				t.Errorf("anonymous %s: %d to %q", p, r.status, r.header.Get("Location"))
			}
			cb := f.client()
			cb.get("/join/" + caraToken)
			if r := cb.get(p); r.status != http.StatusSeeOther {
				t.Errorf("candidate %s: %d", p, r.status)
			}
		}
		for who, want := range map[string]int{"rita@example.test": 200, "alice@example.test": 200, "pat@example.test": 200, "root@example.test": 200, "bob@example.test": 403} {
			c := f.client()
			c.login(who)
			r := c.get(report)
			if r.status != want {
				t.Errorf("%s: report %d, want %d", who, r.status, want)
			}
			if r := c.get("/reports"); r.status != 200 {
				t.Errorf("%s: /reports %d", who, r.status)
			} else if listed := strings.Contains(r.body, fmt.Sprintf(`href="/interviews/%d/report"`, f.iv.ID)); listed != (want == 200) {
				t.Errorf("%s: /reports lists the interview: %v", who, listed)
			}
		}
		// Reviewers still open no console and join no room.
		c := f.client()
		c.login("rita@example.test")
		for _, p := range []string{f.path("/console"), f.path("/room"), f.path("")} {
			if r := c.get(p); r.status != http.StatusForbidden {
				t.Errorf("reviewer %s: %d", p, r.status)
			}
		}
	})
}

func (f *panelFixture) path(suffix string) string {
	return fmt.Sprintf("/interviews/%d%s", f.iv.ID, suffix)
}

// TestScorecardValidation: anything but the contract's shape is a 400 that
// changes nothing; submit locks; amendments are new versions.
func TestScorecardValidation(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newPanelFixture(t, d)
			if r := f.put(f.alice, f.cara, `{"recommendation":"","summary":"draft","scores":[{"position":1,"score":null,"comment":"kept"}]}`); r.status != 200 {
				t.Fatalf("draft: %d %s", r.status, r.body)
			}
			before := f.call("GET", f.scPath(f.cara, ""), f.alice, "", "").body
			for name, body := range map[string]string{
				"score 5":              `{"recommendation":"yes","summary":"s","scores":[{"position":1,"score":5,"comment":""}]}`,
				"score 0":              `{"recommendation":"yes","summary":"s","scores":[{"position":1,"score":0}]}`,
				"score 2.5":            `{"recommendation":"yes","summary":"s","scores":[{"position":1,"score":2.5}]}`,
				"score as text":        `{"recommendation":"yes","summary":"s","scores":[{"position":1,"score":"3"}]}`,
				"neutral":              `{"recommendation":"maybe","summary":"s","scores":[]}`,
				"recommendation case":  `{"recommendation":"Yes","summary":"s","scores":[]}`,
				"unknown field":        `{"recommendation":"yes","summary":"s","scores":[],"verdict":"hire"}`,
				"unpushed question":    `{"recommendation":"yes","summary":"s","scores":[{"position":2,"score":3}]}`,
				"no position":          `{"recommendation":"yes","summary":"s","scores":[{"score":3}]}`,
				"position twice":       `{"recommendation":"yes","summary":"s","scores":[{"position":1,"score":3},{"position":1,"score":2}]}`,
				"comment too long":     `{"recommendation":"yes","summary":"s","scores":[{"position":1,"score":3,"comment":"` + strings.Repeat("x", 5001) + `"}]}`,
				"summary too long":     `{"recommendation":"yes","summary":"` + strings.Repeat("x", 10001) + `","scores":[]}`,
				"not JSON":             `recommendation=yes`,
				"two values":           `{"recommendation":"yes"}{}`,
				"NUL in the summary":   `{"recommendation":"yes","summary":"a\u0000b","scores":[]}`,
				"scores is not a list": `{"recommendation":"yes","summary":"s","scores":{"1":3}}`,
			} {
				r := f.put(f.alice, f.cara, body)
				if r.status != http.StatusBadRequest {
					t.Errorf("%s: %d %s", name, r.status, r.body)
					continue
				}
				r.errorCode(t)
			}
			if r := f.call("PUT", f.scPath(f.cara, ""), f.alice, "text/plain", goodScorecard); r.status != http.StatusUnsupportedMediaType {
				t.Errorf("text/plain: %d", r.status)
			}
			if after := f.call("GET", f.scPath(f.cara, ""), f.alice, "", "").body; after != before {
				t.Fatalf("refused input changed the draft:\n%s\n%s", before, after)
			}

			// Submit needs a recommendation and a summary.
			r := f.post(f.alice, f.cara, "/submit")
			if r.status != http.StatusBadRequest || r.errorCode(t) != "bad_request" || !strings.Contains(r.body, "recommendation") {
				t.Fatalf("submit without a recommendation: %d %s", r.status, r.body)
			}
			f.put(f.alice, f.cara, `{"recommendation":"no","summary":"  ","scores":[]}`)
			if r := f.post(f.alice, f.cara, "/submit"); r.status != http.StatusBadRequest || !strings.Contains(r.body, "summary") {
				t.Fatalf("submit without a summary: %d %s", r.status, r.body)
			}
			if r := f.put(f.alice, f.cara, goodScorecard); r.status != 200 {
				t.Fatalf("draft: %d %s", r.status, r.body)
			}
			var sc struct {
				Status      string  `json:"status"`
				Version     int     `json:"version"`
				Amended     bool    `json:"amended"`
				SubmittedAt *string `json:"submitted_at"`
				Scores      []struct {
					Position int  `json:"position"`
					Score    *int `json:"score"`
				} `json:"scores"`
			}
			r = f.post(f.alice, f.cara, "/submit")
			r.json(t, &sc)
			if r.status != 200 || sc.Status != "submitted" || sc.Version != 1 || sc.SubmittedAt == nil || len(sc.Scores) != 1 || *sc.Scores[0].Score != 3 {
				t.Fatalf("submit: %d %s", r.status, r.body)
			}
			if r := f.put(f.alice, f.cara, goodScorecard); r.status != http.StatusConflict || r.errorCode(t) != "scorecard_locked" {
				t.Fatalf("PUT after submit: %d %s", r.status, r.body)
			}
			if r := f.post(f.alice, f.cara, "/submit"); r.status != http.StatusConflict || r.errorCode(t) != "already_submitted" {
				t.Fatalf("second submit: %d %s", r.status, r.body)
			}
			if r := f.post(f.pat, f.cara, "/amend"); r.status != http.StatusConflict || r.errorCode(t) != "not_submitted" {
				t.Fatalf("amend before submitting: %d %s", r.status, r.body)
			}
			r = f.post(f.alice, f.cara, "/amend")
			r.json(t, &sc)
			if r.status != 200 || sc.Status != "draft" || sc.Version != 2 || !sc.Amended {
				t.Fatalf("amend: %d %s", r.status, r.body)
			}
			if r := f.put(f.alice, f.cara, `{"recommendation":"strong_yes","summary":"Better.","scores":[{"position":1,"score":4,"comment":""}]}`); r.status != 200 {
				t.Fatalf("amending draft: %d %s", r.status, r.body)
			}
			r = f.post(f.alice, f.cara, "/submit")
			r.json(t, &sc)
			if r.status != 200 || sc.Version != 2 || sc.Status != "submitted" {
				t.Fatalf("submit the amendment: %d %s", r.status, r.body)
			}
			// Both versions are kept and listed; the newest is current.
			var list struct {
				Scorecards []struct {
					Version        int    `json:"version"`
					Recommendation string `json:"recommendation"`
					Current        bool   `json:"current"`
				} `json:"scorecards"`
			}
			f.apiJSON("GET", fmt.Sprintf("/api/v1/interviews/%d/scorecards", f.iv.ID), f.alice, nil, &list)
			if len(list.Scorecards) != 2 || list.Scorecards[0].Recommendation != "yes" || list.Scorecards[0].Current ||
				list.Scorecards[1].Recommendation != "strong_yes" || !list.Scorecards[1].Current {
				t.Fatalf("versions: %+v", list.Scorecards)
			}
			// Scoring also works after the interview ended.
			room := f.dialRoom(f.iv.ID, f.alice)
			room.request("interview.end", nil)
			if r := f.put(f.pat, f.cara, goodScorecard); r.status != 200 {
				t.Fatalf("draft after the end: %d %s", r.status, r.body)
			}
			if r := f.post(f.pat, f.cara, "/submit"); r.status != 200 {
				t.Fatalf("submit after the end: %d %s", r.status, r.body)
			}
		})
	}
}

// frames collects every frame a room socket receives, in the background.
type frames struct {
	mu  sync.Mutex
	all []string
}

func (f *frames) text() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.all, "\n")
}

func (c *wsClient) collect() *frames {
	fr := &frames{}
	go func() {
		for {
			_ = c.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, b, err := c.conn.ReadMessage()
			if err != nil {
				return
			}
			fr.mu.Lock()
			fr.all = append(fr.all, string(b))
			fr.mu.Unlock()
		}
	}()
	return fr
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBlindPanel: before pat submits, nothing pat can open — the report,
// the console, the scorecards API, their own scorecard, the transcript, the
// interview, their room socket — holds alice's scores, comments or
// recommendation for that candidate; reviewers never see a draft; the
// candidate never hears of scorecards at all.
func TestBlindPanel(t *testing.T) {
	f := newPanelFixture(t, store.SQLite)
	aliceSecrets := []string{"ALICE-COMMENT-7f3", "ALICE-SUMMARY-9c1", "strong_yes"}
	patDraft := "PAT-DRAFT-SECRET-41d"

	patSocket := f.dialRoom(f.iv.ID, f.pat)
	patFrames := patSocket.collect()
	caraSocket := f.dialRoom(f.iv.ID, f.iv.Candidates[0].InviteToken)
	caraFrames := caraSocket.collect()

	if r := f.put(f.alice, f.cara, `{"recommendation":"strong_yes","summary":"ALICE-SUMMARY-9c1","scores":[{"position":1,"score":4,"comment":"ALICE-COMMENT-7f3"}]}`); r.status != 200 {
		t.Fatalf("alice's draft: %d %s", r.status, r.body)
	}
	reviewer := f.client()
	reviewer.login("rita@example.test")
	// A reviewer never sees a draft.
	for _, p := range []string{fmt.Sprintf("/api/v1/interviews/%d/scorecards", f.iv.ID), f.path("/report")} {
		body := reviewer.get(p).body
		for _, s := range aliceSecrets[:2] {
			if strings.Contains(body, s) {
				t.Fatalf("reviewer's %s shows alice's draft (%s)", p, s)
			}
		}
	}
	if r := f.post(f.alice, f.cara, "/submit"); r.status != 200 {
		t.Fatalf("alice's submit: %d %s", r.status, r.body)
	}
	if r := f.put(f.pat, f.cara, `{"recommendation":"no","summary":"`+patDraft+`","scores":[]}`); r.status != 200 {
		t.Fatalf("pat's draft: %d %s", r.status, r.body)
	}
	waitUntil(t, "scorecard.submitted on pat's socket", func() bool { return strings.Contains(patFrames.text(), `"scorecard.submitted"`) })

	pat := f.client()
	pat.login("pat@example.test")
	channels := map[string]string{
		"report page":     pat.get(f.path("/report")).body,
		"console page":    pat.get(f.path("/console")).body,
		"manage page":     pat.get(f.path("")).body,
		"scorecards API":  f.call("GET", fmt.Sprintf("/api/v1/interviews/%d/scorecards", f.iv.ID), f.pat, "", "").body,
		"own scorecard":   f.call("GET", f.scPath(f.cara, ""), f.pat, "", "").body,
		"transcript":      f.call("GET", fmt.Sprintf("/api/v1/interviews/%d/events", f.iv.ID), f.pat, "", "").body,
		"interview API":   f.call("GET", fmt.Sprintf("/api/v1/interviews/%d", f.iv.ID), f.pat, "", "").body,
		"room socket":     patFrames.text(),
		"reports listing": pat.get("/reports").body,
	}
	for name, body := range channels {
		for _, s := range aliceSecrets {
			if strings.Contains(body, s) {
				t.Errorf("before pat submits, pat's %s contains alice's %q", name, s)
			}
		}
	}
	if !strings.Contains(channels["report page"], "hidden until you submit yours") {
		t.Error("pat's report does not say a scorecard is hidden")
	}
	if !strings.Contains(channels["transcript"], `"scorecard.submitted"`) {
		t.Error("the transcript has no scorecard.submitted")
	}
	var ev struct {
		Events []struct {
			Type string         `json:"type"`
			Data map[string]any `json:"data"`
		} `json:"events"`
	}
	_ = json.Unmarshal([]byte(channels["transcript"]), &ev)
	for _, e := range ev.Events {
		if e.Type == "scorecard.submitted" && (len(e.Data) != 4 || e.Data["candidate_id"] != float64(f.cara) || e.Data["amended"] != false) {
			t.Errorf("scorecard.submitted data %v", e.Data)
		}
	}

	// The reviewer sees alice's submitted scorecard, never pat's draft.
	for _, p := range []string{fmt.Sprintf("/api/v1/interviews/%d/scorecards", f.iv.ID), f.path("/report")} {
		body := reviewer.get(p).body
		if !strings.Contains(body, "ALICE-SUMMARY-9c1") || strings.Contains(body, patDraft) {
			t.Errorf("reviewer's %s: alice's submitted %v, pat's draft %v", p, strings.Contains(body, "ALICE-SUMMARY-9c1"), strings.Contains(body, patDraft))
		}
	}
	// Alice, who submitted, still does not see pat's draft.
	if body := f.call("GET", fmt.Sprintf("/api/v1/interviews/%d/scorecards", f.iv.ID), f.alice, "", "").body; strings.Contains(body, patDraft) {
		t.Error("alice sees pat's draft")
	}

	// Pat submits: now pat sees alice's scorecard, in the API and the report.
	f.put(f.pat, f.cara, `{"recommendation":"no","summary":"Pat's own view.","scores":[{"position":1,"score":2,"comment":"weak"}]}`)
	if r := f.post(f.pat, f.cara, "/submit"); r.status != 200 {
		t.Fatalf("pat's submit: %d %s", r.status, r.body)
	}
	api := f.call("GET", fmt.Sprintf("/api/v1/interviews/%d/scorecards", f.iv.ID), f.pat, "", "").body
	report := pat.get(f.path("/report")).body
	for _, s := range aliceSecrets {
		if !strings.Contains(api, s) {
			t.Errorf("after submitting, pat's API lacks %q", s)
		}
	}
	for _, s := range aliceSecrets[:2] {
		if !strings.Contains(report, s) {
			t.Errorf("after submitting, pat's report lacks %q", s)
		}
	}
	// 4 and 2 disagree by 2.
	if !strings.Contains(report, `data-disagree="true"`) || !strings.Contains(report, "Mean score: <strong>3</strong>") {
		t.Error("the report has no mean 3 with a disagreement marker")
	}
	// Having seen the panel, pat amends: the amendment says so.
	f.post(f.pat, f.cara, "/amend")
	f.put(f.pat, f.cara, `{"recommendation":"yes","summary":"Changed my mind.","scores":[{"position":1,"score":3,"comment":"ok"}]}`)
	var sc struct {
		SeenPanel bool `json:"seen_panel"`
		Version   int  `json:"version"`
	}
	r := f.post(f.pat, f.cara, "/submit")
	r.json(t, &sc)
	if sc.Version != 2 || !sc.SeenPanel {
		t.Fatalf("pat's amendment: %s", r.body)
	}
	if body := reviewer.get(f.path("/report")).body; !strings.Contains(body, "changed after seeing the panel") || !strings.Contains(body, "Pat&#39;s own view.") {
		t.Error("the report does not mark the amendment or keep the earlier version")
	}
	// Alice's first version was blind.
	if strings.Contains(api, `"seen_panel":true`) {
		t.Errorf("a blind submission is marked as seen: %s", api)
	}

	// For Dan nobody has submitted: pat, who submitted for Cara only, sees
	// nothing of alice's draft for Dan.
	f.put(f.alice, f.dan, `{"recommendation":"strong_no","summary":"ALICE-DAN-DRAFT","scores":[]}`)
	if body := f.call("GET", fmt.Sprintf("/api/v1/interviews/%d/scorecards", f.iv.ID), f.pat, "", "").body; strings.Contains(body, "ALICE-DAN-DRAFT") {
		t.Error("pat sees alice's draft for Dan")
	}

	// The candidate's socket never carried a scorecard event: it gets a
	// chat message sent after them all, in seq order.
	f.dialRoom(f.iv.ID, f.alice).request("chat.send", map[string]any{"text": "all done"})
	waitUntil(t, "the chat message on the candidate's socket", func() bool { return strings.Contains(caraFrames.text(), "all done") })
	if txt := caraFrames.text(); strings.Contains(txt, "scorecard") {
		t.Errorf("the candidate received a scorecard frame:\n%s", txt)
	}
}
