package room_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/store"
)

// badRoom: Ivy (interviewer) on A and Cora (candidate) on B in a live
// interview with question 1 on screen; Eve is a candidate of another interview.
type badRoom struct {
	c        *livetest.Cluster
	a, b     *livetest.Instance
	staffTok string
	iv       livetest.Created
	eveID    int64
	ivy      *livetest.Client
	cora     *livetest.Client
}

func newBadRoom(t *testing.T) *badRoom {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	r := &badRoom{c: c, a: c.Instances[0], b: c.Instances[1]}
	r.staffTok = c.Staff("ivy@example.com", store.RoleInterviewer)
	qs := seedQuestions(t, c)
	r.iv = createInterview(t, r.a, r.staffTok, map[string]any{"title": "Bad input", "exam_time_limit_s": 3600,
		"questions":  []map[string]any{{"question_id": qs[0], "time_limit_s": 600}, {"question_id": qs[2], "time_limit_s": 1}},
		"candidates": names("Cora")})
	other := createInterview(t, r.a, r.staffTok, map[string]any{"title": "Other", "candidates": names("Eve")})
	r.eveID = other.Candidates[0].ID
	r.ivy = livetest.Join(t, r.a, r.iv.ID, r.staffTok, 0)
	r.cora = livetest.Join(t, r.b, r.iv.ID, r.iv.Candidates[0].InviteToken, 0)
	r.ivy.Ack("interview.start", nil)
	r.ivy.Ack("question.push", map[string]any{"position": 1})
	r.cora.WaitType("question.pushed") // drafts are decided on the state the room has delivered
	r.cora.Ack("answer.draft", map[string]any{"text": "first words", "version": 1})
	r.cora.WaitType("answer.saved")
	r.ivy.Ack("note.save", map[string]any{"candidate_id": r.iv.Candidates[0].ID, "position": 1, "text": "a note"})
	return r
}

// stored is a fingerprint of everything the interview has stored: the
// transcript, the timers, the notes, drafts and answers.
func (r *badRoom) stored(t *testing.T) string {
	t.Helper()
	evs, _ := json.Marshal(events(t, r.a, r.staffTok, r.iv.ID))
	q := func(sql string) int64 { return r.c.QueryInt(sql, r.iv.ID) }
	return fmt.Sprintf("%s\ntimers %d/%d notes %d/%d drafts %d answers %d/%d interview %d/%d", evs,
		q(`SELECT count(*) FROM timers WHERE interview_id = $1`),
		q(`SELECT coalesce(sum(deadline_ms + remaining_ms + duration_ms + length(state)), 0) FROM timers WHERE interview_id = $1`),
		q(`SELECT count(*) FROM notes WHERE interview_id = $1`),
		q(`SELECT coalesce(sum(length(text)), 0) FROM notes WHERE $1::bigint > 0`), // every interview's
		q(`SELECT count(*) FROM drafts WHERE interview_id = $1`),
		q(`SELECT count(*) FROM answers WHERE interview_id = $1`),
		q(`SELECT coalesce(sum(length(text) + version + submitted), 0) FROM answers WHERE interview_id = $1`),
		q(`SELECT current_position FROM interviews WHERE id = $1`),
		q(`SELECT length(status) + last_seq FROM interviews WHERE id = $1`))
}

// refuse sends raw bytes as c, waits for the error with the given code
// (with or without an id), checks nothing stored changed, and that the
// connection still works.
func (r *badRoom) refuse(t *testing.T, c *livetest.Client, name string, raw string, code string) {
	t.Helper()
	before := r.stored(t)
	from := len(c.Frames())
	c.SendRaw([]byte(raw))
	f := frameAfter(t, c, from, name+" error", func(f livetest.Frame) bool { return f.Type == "error" || f.Type == "ack" })
	if f.Type != "error" || f.Field("code") != code || f.Field("message") == "" {
		t.Fatalf("%s: %s, want error %q", name, f.Raw, code)
	}
	if strings.Contains(raw, `"id":"bad"`) && f.ID != "bad" {
		t.Fatalf("%s: the error does not carry the request's id: %s", name, f.Raw)
	}
	if after := r.stored(t); after != before {
		t.Fatalf("%s changed what is stored:\n%s\nthen\n%s", name, before, after)
	}
	// The connection and the room go on (an ended interview takes no chat,
	// but still answers).
	if code := c.ErrorCode("chat.send", map[string]any{"text": "still here after " + name}); code != "" && code != "interview_ended" {
		t.Fatalf("after %s: chat answered %q", name, code)
	}
}

// TestBadFrames: malformed frames, unknown types and bad fields get a clear
// error, change nothing, and leave the connection usable.
func TestBadFrames(t *testing.T) {
	r := newBadRoom(t)
	coraID := r.iv.Candidates[0].ID
	long := strings.Repeat("x", 65)
	cases := []struct {
		who       string
		name, raw string
		code      string
	}{
		{"cora", "broken JSON", `{"type":"chat.send","data":{"text":"hi"`, "bad_json"},
		{"cora", "not JSON", `hello there`, "bad_json"},
		{"cora", "an array", `[{"type":"chat.send"}]`, "bad_json"},
		{"cora", "a string", `"chat.send"`, "bad_json"},
		{"cora", "two objects", `{"type":"chat.send","data":{"text":"a"}}{"type":"chat.send","data":{"text":"b"}}`, "bad_json"},
		{"cora", "unknown top-level field", `{"type":"chat.send","id":"bad","data":{"text":"a"},"seq":4}`, "bad_json"},
		{"cora", "type not a string", `{"type":7,"id":"bad"}`, "bad_json"},
		{"cora", "no type", `{"id":"bad","data":{}}`, "bad_request"},
		{"cora", "id too long", `{"type":"chat.send","id":"` + long + `","data":{"text":"a"}}`, "bad_request"},
		{"cora", "unknown type", `{"type":"answer.delete","id":"bad"}`, "unknown_type"},
		{"ivy", "unknown type (staff)", `{"type":"score.record","id":"bad","data":{"score":5}}`, "unknown_type"},
		{"cora", "hello again", `{"type":"hello","id":"bad","data":{"last_seq":0}}`, "bad_request"},
		{"cora", "data not an object", `{"type":"chat.send","id":"bad","data":[1,2]}`, "bad_request"},
		{"cora", "data a string", `{"type":"answer.draft","id":"bad","data":"text"}`, "bad_request"},
		{"cora", "chat text a number", `{"type":"chat.send","id":"bad","data":{"text":5}}`, "bad_request"},
		{"cora", "chat without text", `{"type":"chat.send","id":"bad","data":{}}`, "bad_request"},
		{"cora", "chat of blanks", `{"type":"chat.send","id":"bad","data":{"text":"   "}}`, "bad_request"},
		{"cora", "chat too long", `{"type":"chat.send","id":"bad","data":{"text":"` + strings.Repeat("y", 2001) + `"}}`, "bad_request"},
		{"cora", "draft version a string", `{"type":"answer.draft","id":"bad","data":{"text":"x","version":"two"}}`, "bad_request"},
		{"cora", "draft text a number", `{"type":"answer.draft","id":"bad","data":{"text":12,"version":3}}`, "bad_request"},
		{"cora", "draft unknown field", `{"type":"answer.draft","id":"bad","data":{"text":"x","version":3,"candidate_id":1}}`, "bad_request"},
		{"cora", "draft too long", `{"type":"answer.draft","id":"bad","data":{"text":"` + strings.Repeat("z", 50001) + `","version":3}}`, "too_large"},
		{"cora", "draft for another position", `{"type":"answer.draft","id":"bad","data":{"text":"x","version":3,"position":2}}`, "not_current"},
		{"cora", "submit position a string", `{"type":"answer.submit","id":"bad","data":{"text":"x","position":"1"}}`, "bad_request"},
		{"cora", "submit for another position", `{"type":"answer.submit","id":"bad","data":{"text":"x","position":2}}`, "not_current"},
		{"cora", "signal without kind", `{"type":"signal","id":"bad","data":{}}`, "bad_request"},
		{"cora", "signal of an unknown kind", `{"type":"signal","id":"bad","data":{"kind":"screenshot"}}`, "bad_request"},
		{"cora", "signal chars on focus", `{"type":"signal","id":"bad","data":{"kind":"focus_lost","chars":3}}`, "bad_request"},
		{"cora", "signal negative chars", `{"type":"signal","id":"bad","data":{"kind":"paste","chars":-3}}`, "bad_request"},
		{"ivy", "push without data", `{"type":"question.push","id":"bad"}`, "bad_request"},
		{"ivy", "push position a string", `{"type":"question.push","id":"bad","data":{"position":"1"}}`, "bad_request"},
		{"ivy", "push position and question", `{"type":"question.push","id":"bad","data":{"position":1,"question_id":1}}`, "bad_request"},
		{"ivy", "push negative position", `{"type":"question.push","id":"bad","data":{"position":-1}}`, "bad_request"},
		{"ivy", "push unknown position", `{"type":"question.push","id":"bad","data":{"position":9}}`, "not_found"},
		{"ivy", "push unknown question", `{"type":"question.push","id":"bad","data":{"question_id":99999}}`, "not_found"},
		{"ivy", "push negative time limit", `{"type":"question.push","id":"bad","data":{"position":1,"time_limit_s":-5}}`, "bad_request"},
		{"ivy", "extend without seconds", `{"type":"timer.extend","id":"bad","data":{}}`, "bad_request"},
		{"ivy", "extend seconds a string", `{"type":"timer.extend","id":"bad","data":{"seconds":"60"}}`, "bad_request"},
		{"ivy", "extend too far", `{"type":"timer.extend","id":"bad","data":{"seconds":3601}}`, "bad_request"},
		{"ivy", "extend backwards", `{"type":"timer.extend","id":"bad","data":{"seconds":-60}}`, "bad_request"},
		{"ivy", "pause of an unknown scope", `{"type":"timer.pause","id":"bad","data":{"scope":"day"}}`, "bad_request"},
		{"ivy", "resume a running timer", `{"type":"timer.resume","id":"bad","data":{"scope":"exam"}}`, "not_paused"},
		{"ivy", "start twice", `{"type":"interview.start","id":"bad"}`, "already_live"},
		{"ivy", "start with data", `{"type":"interview.start","id":"bad","data":{"now":true}}`, "bad_request"},
		{"ivy", "note without candidate", `{"type":"note.save","id":"bad","data":{"position":1,"text":"n"}}`, "bad_request"},
		{"ivy", "note candidate a string", `{"type":"note.save","id":"bad","data":{"candidate_id":"2","position":1,"text":"n"}}`, "bad_request"},
		{"ivy", "note negative position", fmt.Sprintf(`{"type":"note.save","id":"bad","data":{"candidate_id":%d,"position":-1,"text":"n"}}`, coraID), "bad_request"},
		{"ivy", "note for another interview's candidate", fmt.Sprintf(`{"type":"note.save","id":"bad","data":{"candidate_id":%d,"position":1,"text":"n"}}`, r.eveID), "not_found"},
		{"ivy", "note for an interviewer", fmt.Sprintf(`{"type":"note.save","id":"bad","data":{"candidate_id":%v,"position":1,"text":"n"}}`, r.ivy.WaitType("welcome").Field("participant_id")), "not_found"},
		{"ivy", "note for no one", `{"type":"note.save","id":"bad","data":{"candidate_id":987654,"position":1,"text":"n"}}`, "not_found"},
	}
	for _, tc := range cases {
		c := r.cora
		if tc.who == "ivy" {
			c = r.ivy
		}
		r.refuse(t, c, tc.name, tc.raw, tc.code)
	}
	// Every request with an id got exactly one answer.
	for _, c := range []*livetest.Client{r.ivy, r.cora} {
		seen := map[string]int{}
		for _, f := range c.Frames() {
			if (f.Type == "ack" || f.Type == "error") && f.ID != "" && f.ID != "bad" {
				seen[f.ID]++
			}
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("request %s answered %d times", id, n)
			}
		}
	}
}

// TestHelloFirst: a first frame that is not hello is refused with
// hello_first (or bad_json, bad_request), and the hello that follows works.
func TestHelloFirst(t *testing.T) {
	r := newBadRoom(t)
	c, _, err := livetest.Dial(t, r.b, r.iv.ID, r.iv.Candidates[0].InviteToken)
	if err != nil {
		t.Fatal(err)
	}
	before := r.stored(t)
	for _, tc := range []struct{ raw, code string }{
		{`{"type":"chat.send","id":"c1","data":{"text":"before hello"}}`, "hello_first"},
		{`{"type":"answer.submit","id":"c2","data":{"text":"before hello"}}`, "hello_first"},
		{`not json`, "bad_json"},
		{`{"type":"hello","id":"h1","data":{"last_seq":-1}}`, "bad_request"},
		{`{"type":"hello","id":"h2","data":{"last_seq":"3"}}`, "bad_request"},
		{`{"type":"hello","id":"h3","data":{"seq":3}}`, "bad_request"},
	} {
		from := len(c.Frames())
		c.SendRaw([]byte(tc.raw))
		f := frameAfter(t, c, from, tc.raw, func(f livetest.Frame) bool { return true })
		if f.Type != "error" || f.Field("code") != tc.code {
			t.Fatalf("%s: %s, want %s", tc.raw, f.Raw, tc.code)
		}
	}
	if c.Count("welcome") != 0 {
		t.Fatal("welcome before hello")
	}
	c.Send("hello", "h4", map[string]any{"last_seq": 0})
	c.WaitType("welcome")
	c.WaitFor("hello ack", func(f livetest.Frame) bool { return f.Type == "ack" && f.ID == "h4" })
	if after := r.stored(t); after != before {
		t.Fatalf("frames before hello changed what is stored:\n%s\n%s", before, after)
	}
	c.Ack("chat.send", map[string]any{"text": "after hello"})
}

// TestOversizedFrame: a frame over 64 KiB closes the socket with 1009;
// nothing is stored; the room goes on and the candidate reconnects.
func TestOversizedFrame(t *testing.T) {
	r := newBadRoom(t)
	before := r.stored(t)
	big := fmt.Sprintf(`{"type":"answer.draft","id":"big","data":{"text":%q,"version":9}}`, strings.Repeat("w", 70<<10))
	_ = r.cora.Conn.WriteMessage(websocket.TextMessage, []byte(big)) // the server may close before it has read it all
	// The library answers an over-limit frame with its own close 1009 before
	// the room can queue a too_large error, so the close code is the contract.
	if code := closeCode(t, r.cora.WaitClosed()); code != websocket.CloseMessageTooBig {
		t.Fatalf("oversized frame: close code %d, want %d", code, websocket.CloseMessageTooBig)
	}

	// Oversized before hello, too.
	c, _, derr := livetest.Dial(t, r.a, r.iv.ID, r.iv.Candidates[0].InviteToken)
	if derr != nil {
		t.Fatal(derr)
	}
	_ = c.Conn.WriteMessage(websocket.TextMessage, []byte(big))
	if code := closeCode(t, c.WaitClosed()); code != websocket.CloseMessageTooBig {
		t.Fatalf("oversized hello: close code %d, want %d", code, websocket.CloseMessageTooBig)
	}

	if after := r.stored(t); after != before {
		t.Fatalf("an oversized frame changed what is stored")
	}
	again := livetest.Join(t, r.b, r.iv.ID, r.iv.Candidates[0].InviteToken, 0)
	again.Ack("answer.draft", map[string]any{"text": "back, smaller", "version": 10})
	again.WaitFor("answer.saved v10", func(f livetest.Frame) bool { return f.Type == "answer.saved" && f.Field("version") == 10.0 })
	r.ivy.Ack("chat.send", map[string]any{"text": "the room goes on"})
	// Exactly 64 KiB is still accepted as a frame (and refused as an answer
	// over 50,000 characters, without closing).
	exact := `{"type":"answer.draft","id":"bad","data":{"text":"` + "%s" + `","version":11}}`
	pad := (64 << 10) - len(fmt.Sprintf(exact, ""))
	frame := fmt.Sprintf(exact, strings.Repeat("v", pad))
	if len(frame) != 64<<10 {
		t.Fatalf("frame of %d bytes", len(frame))
	}
	r.refuse(t, again, "a 64 KiB draft", frame, "too_large")
}

// TestRateLimit: a flood gets rate_limited errors for what is over the
// limit, nothing of it is stored, and the connection is usable afterwards.
func TestRateLimit(t *testing.T) {
	r := newBadRoom(t)
	before := r.stored(t)
	const n = 200
	var ids []string
	var b strings.Builder
	for i := range n {
		id := fmt.Sprintf("f%d", i)
		ids = append(ids, id)
		// Cheap to refuse (no database), so the server reads them faster than the limit refills.
		b.Reset()
		fmt.Fprintf(&b, `{"type":"chat.send","id":%q,"data":{"text":""}}`, id)
		r.cora.SendRaw([]byte(b.String()))
	}
	codes := map[string]int{}
	for _, id := range ids {
		f := r.cora.WaitFor("answer to "+id, func(f livetest.Frame) bool { return (f.Type == "ack" || f.Type == "error") && f.ID == id })
		codes[answerCode(f)]++
	}
	t.Logf("a flood of %d: %v", n, codes)
	// Every frame counts, hello too: the burst of 60 has 59 left for the flood.
	if codes["rate_limited"] == 0 || codes["bad_request"] < 59 || codes["rate_limited"]+codes["bad_request"] != n {
		t.Fatalf("flood answered %v", codes)
	}
	// Valid messages in a flood: those refused are not stored, those acknowledged are.
	chats := 0
	var chatIDs []string
	for i := range 100 {
		id := fmt.Sprintf("g%d", i)
		chatIDs = append(chatIDs, id)
		r.ivy.Send("chat.send", id, map[string]any{"text": fmt.Sprintf("flood %d", i)})
	}
	limited := 0
	for _, id := range chatIDs {
		f := r.ivy.WaitFor("answer to "+id, func(f livetest.Frame) bool { return (f.Type == "ack" || f.Type == "error") && f.ID == id })
		switch answerCode(f) {
		case "ack":
			chats++
		case "rate_limited":
			limited++
		default:
			t.Fatalf("chat in a flood: %s", f.Raw)
		}
	}
	evs := events(t, r.a, r.staffTok, r.iv.ID)
	var beforeEvs []event
	if err := json.Unmarshal([]byte(strings.SplitN(before, "\n", 2)[0]), &beforeEvs); err != nil {
		t.Fatal(err)
	}
	if got := countEvents(evs, "chat.message") - countEvents(beforeEvs, "chat.message"); got != chats {
		t.Fatalf("%d chats acknowledged, %d stored", chats, got)
	}
	t.Logf("a flood of 100 chats: %d stored, %d rate_limited", chats, limited)
	// The socket is still open and, once the bucket refills, usable.
	livetest.Eventually(t, "a request acknowledged after the flood", func() error {
		if code := r.cora.ErrorCode("chat.send", map[string]any{"text": "calm again"}); code != "" {
			return fmt.Errorf("%s", code)
		}
		return nil
	})
}

// TestUpgradeRefusals: a foreign Origin and a plain (non-upgrade) request.
func TestUpgradeRefusals(t *testing.T) {
	r := newBadRoom(t)
	for _, origin := range []string{"https://evil.example", "null", "http://" + strings.TrimPrefix(r.a.URL, "http://") + ".evil.example", "://bad"} {
		if st, code := refused(t, r.a, r.iv.ID, r.staffTok, "Origin", origin); st != 403 || code != "bad_origin" {
			t.Fatalf("origin %q: %d %q", origin, st, code)
		}
	}
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/ws/interviews/%d", r.b.URL, r.iv.ID), nil)
	req.Header.Set("Authorization", "Bearer "+r.iv.Candidates[0].InviteToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 426 || errorCode(t, res) != "upgrade_required" {
		t.Fatalf("plain GET of the room: %d", res.StatusCode)
	}
	// A refused request changes nothing: an admin not on the panel is added
	// to it when joining, but not by a request that is no upgrade, nor by
	// one from a foreign origin.
	adminTok := r.c.Staff("ada@example.com", store.RoleAdmin)
	participants := func() int64 {
		return r.c.QueryInt(`SELECT count(*) FROM participants WHERE interview_id = $1`, r.iv.ID)
	}
	before := participants()
	req, _ = http.NewRequest("GET", fmt.Sprintf("%s/ws/interviews/%d", r.a.URL, r.iv.ID), nil)
	req.Header.Set("Authorization", "Bearer "+adminTok)
	res2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if st, code := refused(t, r.a, r.iv.ID, adminTok, "Origin", "https://evil.example"); res2.StatusCode != 426 || st != 403 || code != "bad_origin" {
		t.Fatalf("admin: plain GET %d, foreign origin %d %q", res2.StatusCode, st, code)
	}
	if after := participants(); after != before {
		t.Fatalf("refused requests of an admin added %d participants", after-before)
	}
	livetest.Join(t, r.a, r.iv.ID, adminTok, 0)
	if after := participants(); after != before+1 {
		t.Fatalf("an admin joining: %d participants, was %d", after, before)
	}
	r.cora.Ack("chat.send", map[string]any{"text": "unaffected"})
}

// TestAnswerAfterDeadline: once the question's time is up, drafts and
// submissions are refused with time_up and the stored answer stays the
// last one received in time.
func TestAnswerAfterDeadline(t *testing.T) {
	r := newBadRoom(t)
	r.ivy.Ack("question.push", map[string]any{"position": 2}) // 1 s
	r.cora.WaitFor("question 2", func(f livetest.Frame) bool { return f.Type == "question.pushed" && f.Field("position") == 2.0 })
	r.cora.Ack("answer.draft", map[string]any{"text": "in time", "version": 5})
	r.cora.WaitFor("answer.saved v5", func(f livetest.Frame) bool { return f.Type == "answer.saved" && f.Field("version") == 5.0 })
	r.cora.WaitFor("timer.expired", func(f livetest.Frame) bool { return f.Type == "timer.expired" && f.Field("position") == 2.0 })
	r.refuse(t, r.cora, "a late draft", `{"type":"answer.draft","id":"bad","data":{"text":"too late","version":6}}`, "time_up")
	r.refuse(t, r.cora, "a late submission", `{"type":"answer.submit","id":"bad","data":{"text":"too late","version":7}}`, "time_up")
	r.refuse(t, r.cora, "a late submission of position 2", `{"type":"answer.submit","id":"bad","data":{"text":"too late","position":2}}`, "time_up")
	r.refuse(t, r.cora, "a late answer to question 1", `{"type":"answer.submit","id":"bad","data":{"text":"too late","position":1}}`, "not_current")
	as, err := r.c.Store.Answers(t.Context(), r.iv.ID, r.iv.Candidates[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range as {
		if a.Position == 2 {
			found = true
			if a.Text != "in time" || a.Version != 5 || a.Submitted != 0 {
				t.Fatalf("answer to question 2: %+v", a)
			}
		}
	}
	if !found {
		t.Fatalf("no answer to question 2: %+v", as)
	}
	// After the interview ends: interview_ended, for every side.
	r.ivy.Ack("interview.end", nil)
	r.cora.WaitType("interview.ended") // drafts are decided on the state the room has delivered
	r.refuse(t, r.cora, "a draft after the end", `{"type":"answer.draft","id":"bad","data":{"text":"after","version":8}}`, "interview_ended")
	r.refuse(t, r.ivy, "a pause after the end", `{"type":"timer.pause","id":"bad","data":{"scope":"exam"}}`, "interview_ended")
	r.refuse(t, r.ivy, "a push after the end", `{"type":"question.push","id":"bad","data":{"position":1}}`, "not_live")
}
