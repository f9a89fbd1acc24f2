package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

// readCSV parses an export: a byte-order mark, then RFC 4180 CSV.
func readCSV(t *testing.T, r resp) [][]string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("export: %d %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("export Content-Type %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="`) {
		t.Fatalf("export Content-Disposition %q", cd)
	}
	body, ok := strings.CutPrefix(r.body, "\uFEFF")
	if !ok {
		t.Fatal("the CSV has no byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v\n%s", err, body)
	}
	return rows
}

// exportDoc is the JSON export as a client reads it.
type exportDoc struct {
	Interview struct {
		ID      int64   `json:"id"`
		Title   string  `json:"title"`
		EndedAt *string `json:"ended_at"`
	} `json:"interview"`
	Questions []struct {
		Position int    `json:"position"`
		Prompt   string `json:"prompt"`
		Answer   string `json:"answer"`
	} `json:"questions"`
	Panel      []struct{ ID int64 } `json:"panel"`
	Candidates []struct {
		ID          int64
		Name, Email string
	} `json:"candidates"`
	Answers []struct {
		CandidateID int64  `json:"candidate_id"`
		Position    int    `json:"position"`
		Text        string `json:"text"`
		Submitted   bool   `json:"submitted"`
	} `json:"answers"`
	Scorecards []struct {
		ID             int64  `json:"id"`
		CandidateID    int64  `json:"candidate_id"`
		AuthorID       int64  `json:"author_id"`
		Version        int    `json:"version"`
		Status         string `json:"status"`
		Recommendation string `json:"recommendation"`
		Summary        string `json:"summary"`
		Scores         []struct {
			Position int    `json:"position"`
			Score    *int   `json:"score"`
			Comment  string `json:"comment"`
		} `json:"scores"`
	} `json:"scorecards"`
	Notes []struct {
		CandidateID int64  `json:"candidate_id"`
		Text        string `json:"text"`
	} `json:"notes"`
	Transcript []struct {
		Seq  int64           `json:"seq"`
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	} `json:"transcript"`
}

func (f *panelFixture) exportPath(suffix string) string {
	return fmt.Sprintf("/api/v1/interviews/%d/export.%s", f.iv.ID, suffix)
}

func (f *panelFixture) end() {
	f.t.Helper()
	f.dialRoom(f.iv.ID, f.alice).request("interview.end", nil)
}

// TestReviewPermissions: every new page and endpoint for a reviewer, a
// panel interviewer, another interviewer, an admin, a candidate and an
// anonymous visitor.
func TestReviewPermissions(t *testing.T) {
	f := newPanelFixture(t, store.SQLite)
	f.end()
	caraToken := f.iv.Candidates[0].InviteToken
	comparePick := fmt.Sprintf("/compare?c=%d&c=%d", f.cara, f.dan)
	pages := []string{"/dashboard", "/reviews", f.path("/compare"), comparePick}
	apis := []string{f.exportPath("csv"), f.exportPath("json"), "/api/v1/reviews/export.csv"}

	t.Run("anonymous and candidates", func(t *testing.T) {
		for _, p := range pages {
			r := f.client().get(p)
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next="+url.QueryEscape(p) {
				t.Errorf("anonymous %s: %d to %q", p, r.status, r.header.Get("Location"))
			}
			cb := f.client()
			cb.get("/join/" + caraToken)
			if r := cb.get(p); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
				t.Errorf("candidate cookie %s: %d", p, r.status)
			}
		}
		for _, p := range apis {
			for _, tok := range []string{"", caraToken} {
				if r := f.call("GET", p, tok, "", ""); r.status != http.StatusUnauthorized {
					t.Errorf("%s with token %v: %d %s", p, tok != "", r.status, r.body)
				}
			}
			cb := f.client()
			cb.get("/join/" + caraToken)
			if r := cb.get(p); r.status != http.StatusUnauthorized {
				t.Errorf("%s with the candidate cookie: %d", p, r.status)
			}
		}
	})

	t.Run("staff", func(t *testing.T) {
		for who, want := range map[string]int{"rita@example.test": 200, "alice@example.test": 200, "pat@example.test": 200, "root@example.test": 200, "bob@example.test": 403} {
			c := f.client()
			c.login(who)
			for _, p := range pages {
				w := want
				if p == "/dashboard" || p == "/reviews" {
					w = 200 // every staff member has a home and a list
				}
				if r := c.get(p); r.status != w {
					t.Errorf("%s: %s %d, want %d", who, p, r.status, w)
				}
			}
			for _, p := range apis {
				w := want
				if strings.HasPrefix(p, "/api/v1/reviews/") {
					w = 200
				}
				if r := c.get(p); r.status != w {
					t.Errorf("%s: %s %d, want %d", who, p, r.status, w)
				}
			}
			// The list and its export hold the interview for those who may read it.
			listed := strings.Contains(c.get("/reviews").body, fmt.Sprintf(`data-interview-id="%d"`, f.iv.ID))
			exported := len(readCSV(t, c.get("/api/v1/reviews/export.csv"))) == 3
			if listed != (want == 200) || exported != (want == 200) {
				t.Errorf("%s: listed %v, exported %v", who, listed, exported)
			}
		}
		// Bearer tokens reach the exports too.
		for tok, want := range map[string]int{f.reviewer: 200, f.alice: 200, f.admin: 200, f.bob: 403} {
			if r := f.call("GET", f.exportPath("json"), tok, "", ""); r.status != want {
				t.Errorf("bearer export: %d, want %d", r.status, want)
			}
		}
		// Reviewers still change nothing and join nothing.
		c := f.client()
		c.login("rita@example.test")
		if r := c.get("/dashboard"); strings.Contains(r.body, "/console") || strings.Contains(r.body, "Waiting for your scorecard") {
			t.Error("the reviewer's dashboard offers a console or a scorecard queue")
		}
	})

	t.Run("bad ids and parameters", func(t *testing.T) {
		c := f.client()
		c.login("rita@example.test")
		for p, want := range map[string]int{
			"/compare":                              400,
			"/compare?c=abc":                        400,
			"/compare?c=999999":                     404,
			fmt.Sprintf("/compare?c=%d", 1):         404, // an interviewer, not a candidate
			"/interviews/999/compare":               404,
			f.path(fmt.Sprintf("/compare?c=%d", 1)): 404,
			"/reviews?sort=nope":                    400,
			"/reviews?dir=up":                       400,
			"/reviews?from=yesterday":               400,
			"/reviews?recommendation=maybe":         400,
			"/reviews?awaiting=perhaps":             400,
			"/reviews?page=0":                       400,
			"/reviews?interviewer=x":                400,
			"/api/v1/interviews/999/export.csv":     404,
			"/api/v1/reviews/export.csv?sort=nope":  400,
			"/compare?" + manyCandidates(21):        400,
		} {
			r := c.get(p)
			if r.status != want {
				t.Errorf("%s: %d, want %d", p, r.status, want)
			}
			if strings.HasPrefix(p, "/api/") {
				r.errorCode(t)
			}
		}
	})
}

// secretsIn reports which of the secrets body holds.
func secretsIn(body string, secrets []string) []string {
	var out []string
	for _, s := range secrets {
		if strings.Contains(body, s) {
			out = append(out, s)
		}
	}
	return out
}

// TestBlindPanelInReviews: before pat submits, nothing pat can open among
// the new pages and exports holds alice's scores, comments, summary or
// recommendation for Cara; reviewers never see a draft; after pat submits,
// pat sees them.
func TestBlindPanelInReviews(t *testing.T) {
	f := newPanelFixture(t, store.SQLite)
	f.end()
	const comment, summary = "ALICE-COMMENT-5e2", "ALICE-SUMMARY-b07"
	alice := `{"recommendation":"strong_yes","summary":"` + summary + `","scores":[{"position":1,"score":4,"comment":"` + comment + `"}]}`
	if r := f.put(f.alice, f.cara, alice); r.status != 200 {
		t.Fatalf("alice's draft: %d %s", r.status, r.body)
	}
	rita, pat := f.client(), f.client()
	rita.login("rita@example.test")
	pat.login("pat@example.test")
	// pages and exports of the new channels, as seen by a client.
	channels := func(c *client) map[string]resp {
		return map[string]resp{
			"dashboard":          c.get("/dashboard"),
			"reviews":            c.get("/reviews"),
			"reviews, filtered":  c.get("/reviews?recommendation=strong_yes"),
			"reviews, by mean":   c.get("/reviews?sort=mean"),
			"interview compare":  c.get(f.path("/compare")),
			"compare":            c.get(fmt.Sprintf("/compare?c=%d", f.cara)),
			"export.csv":         c.get(f.exportPath("csv")),
			"export.json":        c.get(f.exportPath("json")),
			"reviews export":     c.get("/api/v1/reviews/export.csv"),
			"reviews export, sy": c.get("/api/v1/reviews/export.csv?recommendation=strong_yes"),
		}
	}
	// What would show alice's scorecard, in each kind of output.
	leaks := func(name string, r resp) []string {
		out := secretsIn(r.body, []string{comment, summary, `data-recommendation="strong_yes"`})
		switch {
		case strings.HasSuffix(name, ".json"):
			var d exportDoc
			r.json(t, &d)
			for _, sc := range d.Scorecards {
				if sc.CandidateID == f.cara && sc.Recommendation == "strong_yes" {
					out = append(out, "a scorecard in the JSON")
				}
			}
		case strings.Contains(name, "export"):
			rows := readCSV(t, r)
			for _, row := range rows[1:] {
				if strings.Contains(name, "reviews") {
					// mean score, then strong_no, no, yes, strong_yes counts
					if row[10] != "" || row[14] != "0" {
						out = append(out, "a mean or a strong_yes in the list export: "+strings.Join(row, "|"))
					}
				} else if row[10] != "" || row[12] != "" {
					out = append(out, "a score or recommendation in the CSV: "+strings.Join(row, "|"))
				}
			}
		case strings.HasPrefix(name, "reviews"):
			if strings.Contains(r.body, `<td class="mean-score">4</td>`) {
				out = append(out, "the mean")
			}
		}
		return out
	}

	// A draft: the reviewer sees nothing of it anywhere.
	for name, r := range channels(rita) {
		if l := leaks(name, r); len(l) > 0 {
			t.Errorf("reviewer's %s shows alice's draft: %v", name, l)
		}
	}
	if r := f.post(f.alice, f.cara, "/submit"); r.status != 200 {
		t.Fatalf("alice's submit: %d %s", r.status, r.body)
	}
	// Submitted: pat, who has not submitted for Cara, still sees nothing.
	for name, r := range channels(pat) {
		if l := leaks(name, r); len(l) > 0 {
			t.Errorf("before pat submits, pat's %s shows alice's scorecard: %v", name, l)
		}
	}
	if body := pat.get("/reviews").body; !strings.Contains(body, "1 hidden until you submit yours") || !strings.Contains(body, "1 of 2 submitted") {
		t.Error("pat's list does not say a scorecard is hidden, or miscounts the submissions")
	}
	// The reviewer now sees it in every channel.
	for name, r := range channels(rita) {
		if name == "dashboard" {
			continue
		}
		if len(leaks(name, r)) == 0 {
			t.Errorf("the reviewer's %s does not show alice's submitted scorecard", name)
		}
	}
	// Pat submits: pat sees it too.
	f.put(f.pat, f.cara, `{"recommendation":"no","summary":"Pat's view.","scores":[{"position":1,"score":2,"comment":"weak"}]}`)
	if r := f.post(f.pat, f.cara, "/submit"); r.status != 200 {
		t.Fatalf("pat's submit: %d %s", r.status, r.body)
	}
	after := channels(pat)
	for _, name := range []string{"reviews, filtered", "interview compare", "compare", "export.csv", "export.json", "reviews export, sy"} {
		if len(leaks(name, after[name])) == 0 {
			t.Errorf("after submitting, pat's %s does not show alice's scorecard", name)
		}
	}
	if !strings.Contains(after["reviews"].body, `<td class="mean-score">3</td>`) {
		t.Error("pat's list lacks the mean 3 of 4 and 2")
	}
}

// TestLoginLandsOnTheDashboard: staff land on /dashboard; an acceptable
// next still wins.
func TestLoginLandsOnTheDashboard(t *testing.T) {
	e := newEnv(t, store.SQLite)
	e.user("ivy@example.test", store.RoleInterviewer)
	c := e.client()
	tok := c.csrf("/login")
	r := c.postForm("/login", url.Values{"_csrf": {tok}, "email": {"ivy@example.test"}, "password": {"password-ivy@example.test"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/dashboard" {
		t.Fatalf("login: %d to %q", r.status, r.header.Get("Location"))
	}
	if r := c.get("/login"); r.header.Get("Location") != "/dashboard" {
		t.Fatalf("the login page for a logged-in user: %q", r.header.Get("Location"))
	}
	if r := c.get("/login?next=/reviews%3Fq%3Dx"); r.header.Get("Location") != "/reviews?q=x" {
		t.Fatalf("next: %q", r.header.Get("Location"))
	}
	d := e.client()
	tok = d.csrf("/login?next=/interviews")
	r = d.postForm("/login", url.Values{"_csrf": {tok}, "email": {"ivy@example.test"}, "password": {"password-ivy@example.test"}, "next": {"/interviews"}})
	if r.header.Get("Location") != "/interviews" {
		t.Fatalf("login with next: %q", r.header.Get("Location"))
	}
	if body := c.get("/dashboard").body; !strings.Contains(body, `<a href="/dashboard">Dashboard</a>`) || !strings.Contains(body, `<a href="/reviews">Reviews</a>`) {
		t.Error("the nav has no Dashboard and Reviews links")
	}
}

// TestDashboard: live, scheduled, waiting for your scorecard (oldest
// first, gone once you have scored everyone) and recent reports.
func TestDashboard(t *testing.T) {
	f := newPanelFixture(t, store.SQLite)
	alice := f.client()
	alice.login("alice@example.test")
	section := func(body, id string) string {
		i := strings.Index(body, `id="`+id+`"`)
		if i < 0 {
			t.Fatalf("no section %s", id)
		}
		j := strings.Index(body[i:], "</section>")
		return body[i : i+j]
	}
	live := fmt.Sprintf(`href="/interviews/%d/console"`, f.iv.ID)
	body := alice.get("/dashboard").body
	if !strings.Contains(section(body, "live"), live) || strings.Contains(section(body, "recent"), "Panel screen") {
		t.Fatalf("the live interview is not under Live now:\n%s", section(body, "live"))
	}
	// Another, still scheduled.
	var later createdInterview
	f.apiJSON("POST", "/api/v1/interviews", f.alice, map[string]any{"title": "Later one", "questions": []any{}, "candidates": []any{map[string]any{"name": "Zed"}}}, &later)
	if !strings.Contains(section(alice.get("/dashboard").body, "scheduled"), "Later one") {
		t.Fatal("the scheduled interview is missing")
	}
	f.end()
	body = alice.get("/dashboard").body
	waiting := section(body, "waiting")
	if !strings.Contains(waiting, "Panel screen") || !strings.Contains(waiting, `data-unscored="2"`) || !strings.Contains(section(body, "recent"), "Panel screen") {
		t.Fatalf("waiting:\n%s", waiting)
	}
	for _, cid := range []int64{f.cara, f.dan} {
		f.put(f.alice, cid, goodScorecard)
		if r := f.post(f.alice, cid, "/submit"); r.status != 200 {
			t.Fatalf("submit: %d %s", r.status, r.body)
		}
	}
	if strings.Contains(section(alice.get("/dashboard").body, "waiting"), "Panel screen") {
		t.Error("still waiting after scoring everyone")
	}
	// Pat has not scored: it waits for pat; bob sees none of it.
	pat := f.client()
	pat.login("pat@example.test")
	if !strings.Contains(section(pat.get("/dashboard").body, "waiting"), "Panel screen") {
		t.Error("not waiting for pat")
	}
	bob := f.client()
	bob.login("bob@example.test")
	if strings.Contains(bob.get("/dashboard").body, "Panel screen") {
		t.Error("bob's dashboard shows an interview he is not on")
	}
}

// TestReviewsListPage: filters stay in the query string (pages, sort
// links, the export link), sort links turn round, and the list pages.
func TestReviewsListPage(t *testing.T) {
	f := newPanelFixture(t, store.SQLite)
	f.end()
	// 30 more ended interviews of one candidate each.
	for i := range 30 {
		var iv createdInterview
		f.apiJSON("POST", "/api/v1/interviews", f.alice, map[string]any{"title": fmt.Sprintf("Batch %02d", i),
			"questions": []any{}, "candidates": []any{map[string]any{"name": fmt.Sprintf("Cand %02d", i)}}}, &iv)
		room := f.dialRoom(iv.ID, f.alice)
		room.request("interview.start", nil)
		room.request("interview.end", nil)
	}
	c := f.client()
	c.login("rita@example.test")
	r := c.get("/reviews?q=batch&sort=title&dir=asc")
	if !strings.Contains(r.body, "30 candidates") {
		t.Fatalf("count: %s", r.body)
	}
	next := `href="/reviews?dir=asc&amp;page=2&amp;q=batch&amp;sort=title"`
	if !strings.Contains(r.body, next) || strings.Count(r.body, `<tr data-candidate-id=`) != 25 {
		t.Fatalf("page 1 has no next link %s, or not 25 rows", next)
	}
	if !strings.Contains(r.body, `href="/api/v1/reviews/export.csv?dir=asc&amp;q=batch&amp;sort=title"`) {
		t.Error("the export link does not keep the filters")
	}
	if !strings.Contains(r.body, `<th scope="col" aria-sort="ascending"><a class="sort-link" href="/reviews?dir=desc&amp;q=batch&amp;sort=title">`) {
		t.Error("the sorted column does not offer the other direction")
	}
	if !strings.Contains(r.body, `value="batch"`) {
		t.Error("the search box lost its value")
	}
	first := strings.Index(r.body, "Batch 00")
	if first < 0 || strings.Index(r.body, "Batch 24") < first || strings.Contains(r.body, "Batch 25") {
		t.Error("page 1 is not Batch 00 to 24")
	}
	p2 := c.get("/reviews?dir=asc&page=2&q=batch&sort=title").body
	if !strings.Contains(p2, "Batch 29") || strings.Contains(p2, "Batch 24") || !strings.Contains(p2, `rel="prev" href="/reviews?dir=asc&amp;q=batch&amp;sort=title"`) {
		t.Error("page 2 is wrong")
	}
	// The export holds every page.
	if rows := readCSV(t, c.get("/api/v1/reviews/export.csv?q=batch")); len(rows) != 31 || rows[0][1] != "interview" {
		t.Errorf("export of %d rows", len(rows))
	}
	if rows := readCSV(t, c.get("/api/v1/reviews/export.csv?awaiting=1&q=panel")); len(rows) != 3 {
		t.Errorf("awaiting export of %d rows", len(rows))
	}
}

// TestExportsEqualTheDatabase: the CSV and the JSON hold what the database
// holds, row for row, through commas, quotes, newlines, non-ASCII text
// and formula prefixes.
func TestExportsEqualTheDatabase(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newPanelFixture(t, d)
			ctx := context.Background()
			tricky := []string{
				"=HYPERLINK(\"http://evil.example\",\"x\")",
				"+1, \"quoted\", and a comma",
				"-2\nsecond line\r\nthird line",
				"@SUM(A1:A9) — naïve 日本語 🙂",
			}
			cand := f.dialRoom(f.iv.ID, f.iv.Candidates[0].InviteToken)
			cand.request("answer.submit", map[string]any{"text": tricky[0] + "\n" + tricky[2], "position": 1})
			dan := f.dialRoom(f.iv.ID, f.iv.Candidates[1].InviteToken)
			dan.draftSaved(map[string]any{"text": tricky[3], "version": 1})
			f.dialRoom(f.iv.ID, f.alice).request("note.save", map[string]any{"candidate_id": f.cara, "position": 1, "text": tricky[1]})
			room := f.dialRoom(f.iv.ID, f.alice)
			room.request("question.push", map[string]any{"position": 2})
			room.request("interview.end", nil)
			sc := func(token string, cid int64, rec, comment string, score any) {
				body, _ := json.Marshal(map[string]any{"recommendation": rec, "summary": comment + " summary",
					"scores": []map[string]any{{"position": 1, "score": score, "comment": comment}, {"position": 2, "score": nil, "comment": ""}}})
				if r := f.put(token, cid, string(body)); r.status != 200 {
					t.Fatalf("draft: %d %s", r.status, r.body)
				}
				if r := f.post(token, cid, "/submit"); r.status != 200 {
					t.Fatalf("submit: %d %s", r.status, r.body)
				}
			}
			sc(f.alice, f.cara, "strong_yes", tricky[1], 4)
			sc(f.pat, f.cara, "no", tricky[2], 2)
			sc(f.alice, f.dan, "yes", tricky[3], nil)
			// An amendment: only the newest submitted version is exported in CSV.
			f.post(f.alice, f.dan, "/amend")
			sc2, _ := json.Marshal(map[string]any{"recommendation": "strong_no", "summary": "amended", "scores": []map[string]any{{"position": 1, "score": 1, "comment": tricky[0]}}})
			f.put(f.alice, f.dan, string(sc2))
			f.post(f.alice, f.dan, "/submit")

			// The database's rows, read straight from the store.
			iv, _ := f.store.GetInterview(ctx, f.iv.ID)
			ps, _ := f.store.Participants(ctx, iv.ID)
			qs, _ := f.store.PlannedQuestions(ctx, iv.ID)
			as, _ := f.store.Answers(ctx, iv.ID, 0)
			scs, _ := f.store.Scorecards(ctx, iv.ID)
			notes, _ := f.store.Notes(ctx, iv.ID)
			evs, _ := f.store.AllEvents(ctx, iv.ID)
			answer := map[string]store.Answer{}
			for _, a := range as {
				answer[fmt.Sprint(a.CandidateID, "/", a.Position)] = a
			}
			// Latest submitted version of each author per candidate.
			latest := map[int64][]store.Scorecard{}
			for _, s := range scs {
				if !s.Submitted() {
					continue
				}
				l := latest[s.CandidateID]
				if n := len(l); n > 0 && l[n-1].AuthorID == s.AuthorID {
					l[n-1] = s
				} else {
					l = append(l, s)
				}
				latest[s.CandidateID] = l
			}
			var want [][]string
			for _, p := range ps {
				if p.Role != store.PartCandidate {
					continue
				}
				for _, q := range qs {
					a := answer[fmt.Sprint(p.ID, "/", q.Position)]
					submitted := "no"
					if a.Submitted == 1 {
						submitted = "yes"
					}
					for _, s := range latest[p.ID] {
						score, comment := "", ""
						if sc, ok := s.ScoreAt(q.Position); ok {
							comment = sc.Comment
							if sc.Score != nil {
								score = strconv.Itoa(*sc.Score)
							}
						}
						want = append(want, []string{iv.Title, p.Name, p.Email, q.Technology, q.Level, q.Prompt, a.Text, submitted, "", s.AuthorName, score, comment, s.Recommendation,
							iv.Pacing, strconv.Itoa(p.ExtraTimePct), strconv.Itoa(p.ExtraTimeS)})
					}
				}
			}

			rows := readCSV(t, f.call("GET", f.exportPath("csv"), f.reviewer, "", ""))
			if strings.Join(rows[0], "|") != strings.Join(review.InterviewCSVHeader, "|") {
				t.Fatalf("header %q", rows[0])
			}
			rows = rows[1:]
			if len(rows) != len(want) || len(want) != 6 {
				t.Fatalf("%d rows, the database has %d:\n%q", len(rows), len(want), rows)
			}
			for i, row := range rows {
				if _, err := strconv.Atoi(row[8]); err != nil {
					t.Errorf("row %d: time used %q", i, row[8])
				}
				row[8] = ""
				for j := range row {
					// encoding/csv's reader reads a CR LF inside a quoted cell
					// as LF; the bytes sent keep it (checked below).
					if w := strings.ReplaceAll(review.SafeCell(want[i][j]), "\r\n", "\n"); row[j] != w {
						t.Errorf("row %d, %s: %q, want %q", i, review.InterviewCSVHeader[j], row[j], w)
					}
				}
			}
			// The formula cells came out neutralised, and the rest as stored.
			raw := f.call("GET", f.exportPath("csv"), f.reviewer, "", "").body
			if strings.Contains(raw, `,=HYPERLINK`) || strings.Contains(raw, `"=HYPERLINK`) || !strings.Contains(raw, `'=HYPERLINK`) {
				t.Error("a formula is not neutralised")
			}
			if !strings.Contains(raw, "second line\r\nthird line") || !strings.Contains(raw, "naïve 日本語 🙂") {
				t.Error("the CSV does not carry the text byte for byte")
			}

			var doc exportDoc
			r := f.call("GET", f.exportPath("json"), f.reviewer, "", "")
			if r.header.Get("Content-Disposition") != fmt.Sprintf(`attachment; filename="interview-%d.json"`, iv.ID) {
				t.Errorf("JSON Content-Disposition %q", r.header.Get("Content-Disposition"))
			}
			r.json(t, &doc)
			if doc.Interview.ID != iv.ID || doc.Interview.Title != iv.Title || doc.Interview.EndedAt == nil {
				t.Errorf("interview %+v", doc.Interview)
			}
			if len(doc.Questions) != len(qs) || doc.Questions[0].Answer != qs[0].Answer || doc.Questions[1].Prompt != qs[1].Prompt {
				t.Errorf("questions %+v", doc.Questions)
			}
			if len(doc.Candidates) != 2 || len(doc.Panel) != 2 {
				t.Errorf("people %+v %+v", doc.Candidates, doc.Panel)
			}
			if len(doc.Answers) != len(as) {
				t.Fatalf("answers %d, database %d", len(doc.Answers), len(as))
			}
			for i, a := range as {
				if got := doc.Answers[i]; got.CandidateID != a.CandidateID || got.Position != a.Position || got.Text != a.Text || got.Submitted != (a.Submitted == 1) {
					t.Errorf("answer %d: %+v, database %+v", i, got, a)
				}
			}
			// The reviewer's scorecards: every submitted version, by the store's order.
			var sub []store.Scorecard
			for _, s := range scs {
				if s.Submitted() {
					sub = append(sub, s)
				}
			}
			if len(doc.Scorecards) != len(sub) {
				t.Fatalf("scorecards %d, database %d submitted", len(doc.Scorecards), len(sub))
			}
			for i, s := range sub {
				got := doc.Scorecards[i]
				if got.ID != s.ID || got.Version != s.Version || got.Recommendation != s.Recommendation || got.Summary != s.Summary || len(got.Scores) != len(s.Scores) {
					t.Errorf("scorecard %d: %+v, database %+v", i, got, s)
					continue
				}
				for j, ss := range s.Scores {
					if g := got.Scores[j]; g.Position != ss.Position || g.Comment != ss.Comment || fmt.Sprint(g.Score) != fmt.Sprint(ss.Score) && (g.Score == nil || ss.Score == nil || *g.Score != *ss.Score) {
						t.Errorf("scorecard %d score %d: %+v, database %+v", i, j, g, ss)
					}
				}
			}
			if len(doc.Notes) != len(notes) || doc.Notes[0].Text != tricky[1] {
				t.Errorf("notes %+v", doc.Notes)
			}
			if len(doc.Transcript) != len(evs) {
				t.Errorf("transcript %d events, database %d", len(doc.Transcript), len(evs))
			}
			for i, ev := range evs {
				if i < len(doc.Transcript) && (doc.Transcript[i].Seq != ev.Seq || doc.Transcript[i].Type != ev.Type || !bytes.Equal(compactJSON(doc.Transcript[i].Data), compactJSON(ev.Data))) {
					t.Errorf("event %d: %+v, database %+v", i, doc.Transcript[i], ev)
				}
			}

			// The list's export: one row per candidate, as the database says.
			list := readCSV(t, f.call("GET", "/api/v1/reviews/export.csv?sort=candidate", f.reviewer, "", ""))
			if len(list) != 3 || list[1][4] != "Cara" || list[1][8] != "2" || list[1][9] != "2" || list[1][10] != "3.00" ||
				list[1][12] != "1" || list[1][14] != "1" || list[2][4] != "Dan" || list[2][10] != "1.00" || list[2][11] != "1" || list[2][13] != "0" {
				t.Errorf("list export %q", list)
			}
		})
	}
}

func compactJSON(b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

func manyCandidates(n int) string {
	v := url.Values{}
	for i := 1; i <= n; i++ {
		v.Add("c", strconv.Itoa(i))
	}
	return v.Encode()
}
