package room_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/store"
)

// authzWorld: an interview run by Ivy with candidates Cora, Dan and Rex
// (whose invite gets revoked), another run by Oz with candidate Eve, one
// that has ended (candidate Ned), an admin not on any panel and a reviewer.
type authzWorld struct {
	c                    *livetest.Cluster
	a, b                 *livetest.Instance
	ivy, ada, oz, rev    string // API tokens
	iv, other, ended     livetest.Created
	cora, dan, rex, eve  string // invite tokens
	ned                  string
	coraID, danID, rexID int64
	unknownInterview     int64
}

func newAuthzWorld(t *testing.T) *authzWorld {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	w := &authzWorld{c: c, a: c.Instances[0], b: c.Instances[1]}
	w.ivy = c.Staff("ivy@example.com", store.RoleInterviewer)
	w.ada = c.Staff("ada@example.com", store.RoleAdmin)
	w.oz = c.Staff("oz@example.com", store.RoleInterviewer)
	w.rev = c.Staff("rev@example.com", store.RoleReviewer)
	qs := seedQuestions(t, c)
	w.iv = createInterview(t, w.a, w.ivy, map[string]any{"title": "Authz", "exam_time_limit_s": 3600,
		"questions": []map[string]any{{"question_id": qs[0], "time_limit_s": 600}}, "candidates": names("Cora", "Dan", "Rex")})
	w.cora, w.dan, w.rex = w.iv.Candidates[0].InviteToken, w.iv.Candidates[1].InviteToken, w.iv.Candidates[2].InviteToken
	w.coraID, w.danID, w.rexID = w.iv.Candidates[0].ID, w.iv.Candidates[1].ID, w.iv.Candidates[2].ID
	w.other = createInterview(t, w.b, w.oz, map[string]any{"title": "Oz's", "candidates": names("Eve")})
	w.eve = w.other.Candidates[0].InviteToken
	w.ended = createInterview(t, w.a, w.ivy, map[string]any{"title": "Over", "candidates": names("Ned")})
	w.ned = w.ended.Candidates[0].InviteToken
	staff := livetest.Join(t, w.a, w.ended.ID, w.ivy, 0)
	staff.Ack("interview.start", nil)
	staff.Ack("interview.end", nil)
	staff.Conn.Close()
	w.unknownInterview = w.ended.ID + 1000
	return w
}

// TestUpgradeAuthorisation: who may open a room, and the exact refusal of
// everyone else, before the upgrade.
func TestUpgradeAuthorisation(t *testing.T) {
	w := newAuthzWorld(t)
	id := w.iv.ID

	// Rex is connected (on B) when his invite is revoked (through A): his
	// socket is closed with 4001, everywhere.
	rex := livetest.Join(t, w.b, id, w.rex, 0)
	watcher := livetest.Join(t, w.b, id, w.ivy, 0)
	if st := livetest.API(t, "DELETE", fmt.Sprintf("%s/api/v1/interviews/%d/candidates/%d/invite", w.a.URL, id, w.rexID), w.rev, nil, nil); st != 403 {
		t.Fatalf("a reviewer revoked an invite: %d", st)
	}
	if st := livetest.API(t, "DELETE", fmt.Sprintf("%s/api/v1/interviews/%d/candidates/%d/invite", w.a.URL, id, w.rexID), w.ivy, nil, nil); st != 204 {
		t.Fatalf("revoke: %d", st)
	}
	if code := closeCode(t, rex.WaitClosed()); code != 4001 {
		t.Fatalf("the revoked candidate's socket closed with %d, want 4001", code)
	}
	watcher.WaitFor("candidate.revoked", func(f livetest.Frame) bool {
		return f.Type == "candidate.revoked" && f.Field("candidate_id") == float64(w.rexID)
	})
	if st := livetest.API(t, "DELETE", fmt.Sprintf("%s/api/v1/interviews/%d/candidates/%d/invite", w.a.URL, id, w.coraID+5000), w.ivy, nil, nil); st != 404 {
		t.Fatalf("revoke of no candidate: %d", st)
	}

	for _, in := range []*livetest.Instance{w.a, w.b} {
		cases := []struct {
			name   string
			id     int64
			token  string
			header []string
			status int
			code   string
		}{
			{"anonymous", id, "", nil, 401, "unauthorized"},
			{"unknown token", id, "not-a-real-token", nil, 401, "bad_token"},
			{"malformed authorization", id, "", []string{"Authorization", "Basic eDp5"}, 401, "bad_token"},
			{"revoked candidate", id, w.rex, nil, 401, "revoked"},
			{"revoked candidate by cookie", id, "", []string{"Cookie", "ace_candidate=" + w.rex}, 401, "revoked"},
			{"unknown cookie", id, "", []string{"Cookie", "ace_candidate=nope"}, 401, "bad_token"},
			{"candidate of an ended interview", w.ended.ID, w.ned, nil, 401, "invite_expired"},
			{"interviewer not on the panel", id, w.oz, nil, 403, "forbidden"},
			{"reviewer", id, w.rev, nil, 403, "forbidden"},
			{"another interview's candidate", id, w.eve, nil, 403, "forbidden"},
			{"unknown interview", w.unknownInterview, w.ivy, nil, 404, "not_found"},
			{"unknown interview, anonymous", w.unknownInterview, "", nil, 404, "not_found"},
			{"foreign origin", id, w.ivy, []string{"Origin", "https://evil.example"}, 403, "bad_origin"},
			{"foreign origin, candidate cookie", id, "", []string{"Origin", "https://evil.example", "Cookie", "ace_candidate=" + w.cora}, 403, "bad_origin"},
		}
		for _, tc := range cases {
			status, code := refused(t, in, tc.id, tc.token, tc.header...)
			if status != tc.status || code != tc.code {
				t.Errorf("%s: upgrade refused with %d %q, want %d %q", tc.name, status, code, tc.status, tc.code)
			}
		}
		// Not an id, and not an upgrade at all.
		_, res, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(in.URL, "http")+"/ws/interviews/abc", http.Header{"Authorization": {"Bearer " + w.ivy}})
		if err == nil || res == nil || res.StatusCode != 400 || errorCode(t, res) != "bad_id" {
			t.Errorf("bad id: %v %v", res, err)
		}
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/ws/interviews/%d", in.URL, id), nil)
		req.Header.Set("Authorization", "Bearer "+w.ivy)
		plain, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if plain.StatusCode != 426 || errorCode(t, plain) != "upgrade_required" {
			t.Errorf("plain GET: %d", plain.StatusCode)
		}
		plain.Body.Close()

		// Those who may join, and as what.
		for _, ok := range []struct {
			name   string
			token  string
			header []string
			role   string
			pid    int64
		}{
			{"creator", w.ivy, nil, store.PartInterviewer, 0},
			{"admin, not on the panel", w.ada, nil, store.PartInterviewer, 0},
			{"candidate by bearer", w.cora, nil, store.PartCandidate, w.coraID},
			{"candidate by cookie", "", []string{"Cookie", "ace_candidate=" + w.dan}, store.PartCandidate, w.danID},
			{"own origin", w.ivy, []string{"Origin", in.URL}, store.PartInterviewer, 0},
		} {
			cl, res, err := livetest.Dial(t, in, id, ok.token, ok.header...)
			if err != nil {
				t.Fatalf("%s: %v %v", ok.name, res, err)
			}
			cl.Send("hello", "", map[string]any{"last_seq": 0})
			wf := cl.WaitType("welcome")
			if wf.Field("role") != ok.role || (ok.pid != 0 && wf.Field("participant_id") != float64(ok.pid)) {
				t.Fatalf("%s: welcome %s", ok.name, wf.Raw)
			}
			cl.Conn.Close()
		}
	}

	// The REST transcript and the interview refuse a candidate's credentials.
	for _, path := range []string{"/events", ""} {
		url := fmt.Sprintf("%s/api/v1/interviews/%d%s", w.a.URL, id, path)
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		if st := livetest.API(t, "GET", url, w.cora, nil, &e); st != 401 || e.Error.Code != "bad_token" {
			t.Errorf("GET %s with an invite token: %d %q", url, st, e.Error.Code)
		}
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Cookie", "ace_candidate="+w.cora)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 401 || errorCode(t, res) != "unauthorized" {
			t.Errorf("GET %s with the candidate cookie: %d", url, res.StatusCode)
		}
		res.Body.Close()
		for who, want := range map[string]int{w.oz: 403, w.rev: 200, w.ada: 200, w.ivy: 200} {
			if st := livetest.API(t, "GET", url, who, nil, nil); st != want {
				t.Errorf("GET %s as staff: %d, want %d", url, st, want)
			}
		}
	}
}

// matrixRow is what each role gets for one message type: "" is an ack,
// otherwise the error code.
type matrixRow struct {
	typ                           string
	data                          func(cand int64) any
	admin, interviewer, candidate string
}

// TestActionMatrix: every client message type sent by each role, in a
// session where each is valid for the side allowed to send it. The wrong
// side gets forbidden and changes nothing stored.
func TestActionMatrix(t *testing.T) {
	w := newAuthzWorld(t)
	rows := []matrixRow{
		{"interview.start", nil, "", "", "forbidden"},
		{"question.push", func(int64) any { return map[string]any{"position": 1} }, "", "", "forbidden"},
		{"timer.pause", func(int64) any { return map[string]any{"scope": "exam"} }, "", "", "forbidden"},
		{"timer.resume", func(int64) any { return map[string]any{"scope": "exam"} }, "", "", "forbidden"},
		{"timer.extend", func(int64) any { return map[string]any{"seconds": 60} }, "", "", "forbidden"},
		{"answer.draft", func(int64) any { return map[string]any{"text": "a draft", "version": 1} }, "forbidden", "forbidden", ""},
		{"answer.submit", func(int64) any { return map[string]any{"text": "an answer", "version": 2} }, "forbidden", "forbidden", ""},
		{"chat.send", func(int64) any { return map[string]any{"text": "hello"} }, "", "", ""},
		{"note.save", func(c int64) any { return map[string]any{"candidate_id": c, "position": 1, "text": "a note"} }, "", "", "forbidden"},
		{"signal", func(int64) any { return map[string]any{"kind": "focus_lost"} }, "forbidden", "forbidden", ""},
		{"interview.end", nil, "", "", "forbidden"},
	}
	qs := seedQuestionsAgain(t, w)
	for _, staffRole := range []string{"admin", "interviewer"} {
		t.Run(staffRole, func(t *testing.T) {
			iv := createInterview(t, w.a, w.ivy, map[string]any{"title": "Matrix " + staffRole, "exam_time_limit_s": 3600,
				"questions": []map[string]any{{"question_id": qs, "time_limit_s": 600}}, "candidates": names("Cora")})
			cand := iv.Candidates[0]
			staffTok := w.ivy
			if staffRole == "admin" {
				staffTok = w.ada
			}
			staff := livetest.Join(t, w.a, iv.ID, staffTok, 0)
			cora := livetest.Join(t, w.b, iv.ID, cand.InviteToken, 0)
			stored := func() string {
				// notes, drafts and answers rows, 1000 apart, in one query
				rows := w.c.QueryInt(`SELECT (SELECT count(*) FROM notes WHERE interview_id = $1) * 1000000
					+ (SELECT count(*) FROM drafts WHERE interview_id = $1) * 1000 + (SELECT count(*) FROM answers WHERE interview_id = $1)`, iv.ID)
				return fmt.Sprintf("events %d, notes %d, drafts %d, answers %d", lastOf(events(t, w.b, w.ivy, iv.ID)), rows/1000000, rows/1000%1000, rows%1000)
			}
			for _, row := range rows {
				var data any
				if row.data != nil {
					data = row.data(cand.ID)
				}
				want := map[string]string{"staff": row.interviewer, "candidate": row.candidate}
				if staffRole == "admin" {
					want["staff"] = row.admin
				}
				order := []string{"staff", "candidate"}
				if want["candidate"] != "" {
					order = []string{"candidate", "staff"} // the refused side first
				}
				for _, who := range order {
					c := staff
					if who == "candidate" {
						c = cora
					}
					before := stored()
					if row.typ == "answer.draft" && who == "candidate" {
						cora.WaitType("question.pushed") // decided on the state the room has delivered
					}
					got := c.ErrorCode(row.typ, data)
					if got != want[who] {
						t.Fatalf("%s as %s: %q, want %q", row.typ, who, got, want[who])
					}
					if got == "" && row.typ == "answer.draft" {
						// Stored in a batch shortly after the ack: wait for it.
						cora.WaitType("answer.saved")
					}
					if got != "" {
						if after := stored(); after != before {
							t.Fatalf("a refused %s by the %s changed what is stored: %s, then %s", row.typ, who, before, after)
						}
					}
				}
			}
			evs := events(t, w.b, w.ivy, iv.ID)
			for _, e := range evs {
				if (e.Type == "interview.started" || e.Type == "question.pushed" || strings.HasPrefix(e.Type, "timer.") && e.Type != "timer.started" ||
					e.Type == "interview.ended") && e.Actor == cand.ID {
					t.Fatalf("the candidate is the actor of %s", e.Type)
				}
			}
		})
	}
}

// seedQuestionsAgain returns the id of the first seeded question (the
// world already seeded the bank).
func seedQuestionsAgain(t *testing.T, w *authzWorld) int64 {
	t.Helper()
	var out struct {
		Questions []struct {
			ID     int64  `json:"id"`
			Prompt string `json:"prompt"`
		} `json:"questions"`
	}
	if st := livetest.API(t, "GET", w.a.URL+"/api/v1/questions?technology=Go&limit=10", "", nil, &out); st != 200 || len(out.Questions) == 0 {
		t.Fatalf("questions: %d", st)
	}
	return out.Questions[0].ID
}

// TestCandidateCannotReadOthers: one candidate's draft, submission, chat,
// signals, the notes about her and the model answer never reach another
// candidate, live, on replay, or through the REST API.
func TestCandidateCannotReadOthers(t *testing.T) {
	w := newAuthzWorld(t)
	id := w.iv.ID
	staff := livetest.Join(t, w.a, id, w.ivy, 0)
	admin := livetest.Join(t, w.b, id, w.ada, 0)
	cora := livetest.Join(t, w.a, id, w.cora, 0)
	dan := livetest.Join(t, w.b, id, w.dan, 0)

	staff.Ack("interview.start", nil)
	staff.Ack("question.push", map[string]any{"position": 1})
	cora.WaitType("question.pushed") // drafts are decided on the state the room has delivered
	cora.Ack("answer.draft", map[string]any{"text": "CORA-DRAFT-SECRET", "version": 1})
	cora.Ack("answer.submit", map[string]any{"text": "CORA-SUBMIT-SECRET", "version": 2})
	cora.Ack("chat.send", map[string]any{"text": "CORA-CHAT-SECRET"})
	cora.Ack("signal", map[string]any{"kind": "paste", "chars": 99})
	cora.Ack("signal", map[string]any{"kind": "focus_lost"})
	staff.Ack("note.save", map[string]any{"candidate_id": w.coraID, "position": 1, "text": "NOTE-SECRET about Cora"})
	staff.Ack("note.save", map[string]any{"candidate_id": w.danID, "position": 1, "text": "NOTE-SECRET about Dan"})
	cora.WaitType("answer.saved")

	// Dan tries every way in.
	attempts := []struct {
		typ  string
		data any
		code string
	}{
		{"note.save", map[string]any{"candidate_id": w.coraID, "position": 1, "text": "x"}, "forbidden"},
		{"answer.draft", map[string]any{"text": "x", "version": 1, "candidate_id": w.coraID}, "bad_request"},
		{"answer.submit", map[string]any{"text": "x", "candidate_id": w.coraID}, "bad_request"},
		{"hello", map[string]any{"last_seq": 0}, "bad_request"},
		{"timer.pause", nil, "forbidden"},
		{"question.push", map[string]any{"position": 1}, "forbidden"},
	}
	for _, a := range attempts {
		if code := dan.ErrorCode(a.typ, a.data); code != a.code {
			t.Fatalf("Dan's %s: %q, want %q", a.typ, code, a.code)
		}
	}

	// A marker after everything, from the instance where Cora's work came in:
	// what could have leaked to Dan would have arrived before it.
	staff.Ack("chat.send", map[string]any{"text": "MARKER"})
	evs := events(t, w.a, w.ivy, id)
	marker := lastOf(evs)
	dan.WaitSeq(marker)
	admin.WaitSeq(marker)
	// The staff did get all of it, so it was there to leak.
	for _, s := range []string{"CORA-DRAFT-SECRET", "CORA-SUBMIT-SECRET", "CORA-CHAT-SECRET", "NOTE-SECRET about Cora", modelAnswer} {
		admin.WaitFor(s, func(f livetest.Frame) bool { return strings.Contains(f.Raw, s) })
	}
	admin.WaitType("candidate.pasted")

	// Dan again, from 0, on the other instance: the replay is as clean.
	replay := livetest.Join(t, w.a, id, w.dan, 0)
	replay.WaitSeq(marker)
	danSees := func(e event) bool { return candidateSees(e, w.danID) }
	assertSeqs(t, "Dan", dan.Seqs(), visibleSeqs(evs, 0, danSees))
	assertSeqs(t, "Dan's replay", replay.Seqs(), visibleSeqs(evs, 0, danSees))
	for _, cl := range []*livetest.Client{dan, replay} {
		for _, f := range cl.Frames() {
			for _, secret := range []string{"CORA-", "NOTE-SECRET", "MODEL-ANSWER"} {
				if strings.Contains(f.Raw, secret) {
					t.Fatalf("Dan got %q: %s", secret, f.Raw)
				}
			}
			switch f.Type {
			case "answer.draft", "answer.saved", "answer.submitted", "note.saved", "candidate.pasted", "candidate.focus_lost", "presence.changed":
				t.Fatalf("Dan got a %s frame: %s", f.Type, f.Raw)
			}
			if f.Field("candidate_id") == float64(w.coraID) || f.Field("from") == float64(w.coraID) {
				t.Fatalf("Dan got a frame about Cora: %s", f.Raw)
			}
		}
	}
	if wf := replay.WaitType("welcome"); strings.Contains(wf.Raw, `"answer"`) || !strings.Contains(wf.Raw, `"answers":[]`) {
		t.Fatalf("Dan's welcome: %s", wf.Raw)
	}

	// Nor through the REST API, with his invite token or his cookie.
	for _, path := range []string{"/events", "", "/events?after=0&limit=10"} {
		url := fmt.Sprintf("%s/api/v1/interviews/%d%s", w.b.URL, id, path)
		if st := livetest.API(t, "GET", url, w.dan, nil, nil); st != 401 {
			t.Fatalf("GET %s with Dan's invite token: %d", url, st)
		}
	}
	if st := livetest.API(t, "GET", w.b.URL+"/api/v1/interviews", w.dan, nil, nil); st != 401 {
		t.Fatalf("list interviews with an invite token: %d", st)
	}
}
