package crashtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/fasthttp/websocket"

	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// timeLimitS is the pushed question's limit: long enough for the drafts
// before the crash, short enough that expiry comes soon after it.
const timeLimitS = 4

// drafts is how many acknowledged versions the candidate types before the crash.
const drafts = 3

// session is one interview across two real `ace serve` processes on one
// PostgreSQL database and one NATS server.
type session struct {
	t        *testing.T
	a, b     *proc
	db       *store.Store // the test's own handle, to read what is stored
	token    string       // the interviewer's API token
	iv       livetest.Created
	staff    *livetest.Client
	cand     *livetest.Client
	acked    []string // the texts the server acknowledged with answer.saved, by version-1
	cid      int64    // the candidate's participant id
	position int
}

// newSession starts A and B, creates an interviewer with the `ace user add`
// and `ace token create` commands, and creates an interview over the API.
func newSession(t *testing.T) *session {
	t.Helper()
	dsn := storetest.NewPostgresDatabase(t)
	ns := livetest.NATS(t)
	// A first: it migrates the empty database and loads the demo bank.
	s := &session{t: t, a: serve(t, "A", dsn, ns.ClientURL())}
	s.b = serve(t, "B", dsn, ns.ClientURL())
	db, err := store.OpenPostgres(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s.db = db

	ace(t, "a-long-password\n", "user", "add", "--database-url", dsn, "--email", "ivy@example.com", "--name", "Ivy", "--role", "interviewer")
	out := strings.Fields(ace(t, "", "token", "create", "--database-url", dsn, "--email", "ivy@example.com"))
	s.token = out[len(out)-1]

	var qs struct {
		Questions []struct {
			ID int64 `json:"id"`
		} `json:"questions"`
	}
	if st := livetest.API(t, "GET", s.a.URL+"/api/v1/questions?limit=1", s.token, nil, &qs); st != 200 || len(qs.Questions) != 1 {
		t.Fatalf("questions: status %d, %+v", st, qs)
	}
	body := map[string]any{"title": "crash", "questions": []map[string]any{{"question_id": qs.Questions[0].ID, "time_limit_s": timeLimitS}},
		"candidates": []map[string]any{{"name": "Cora"}}}
	if st := livetest.API(t, "POST", s.a.URL+"/api/v1/interviews", s.token, body, &s.iv); st != 201 || len(s.iv.Candidates) != 1 {
		t.Fatalf("create interview: status %d %+v", st, s.iv)
	}
	s.cid = s.iv.Candidates[0].ID
	s.position = 1
	return s
}

func (s *session) join(p *proc, token string, lastSeq int64) *livetest.Client {
	return livetest.Join(s.t, livetest.Remote(p.URL), s.iv.ID, token, lastSeq)
}

// startQuestion starts the interview and pushes the question with its
// short limit, and waits until the candidate sees the timer.
func (s *session) startQuestion() {
	s.t.Helper()
	s.staff.Ack("interview.start", nil)
	s.staff.Ack("question.push", map[string]any{"position": s.position, "time_limit_s": timeLimitS})
	s.cand.WaitType("timer.started")
}

// typeDrafts sends versions 1..drafts and waits for each answer.saved: each
// is then acknowledged, and a crash may not lose it.
func (s *session) typeDrafts() {
	s.t.Helper()
	for v := 1; v <= drafts; v++ {
		text := fmt.Sprintf("goroutines are scheduled by the runtime (version %d)", v)
		if f := s.cand.Request("answer.draft", map[string]any{"text": text, "version": v}); f.Type != "ack" {
			s.t.Fatalf("draft %d refused (has the %d s timer run out already?): %s", v, timeLimitS, f.Raw)
		}
		s.cand.WaitFor(fmt.Sprintf("answer.saved of version %d", v), func(f livetest.Frame) bool {
			return f.Type == "answer.saved" && f.Field("version") == float64(v)
		})
		s.acked = append(s.acked, text)
	}
}

// crashed asserts that a client's connection ended without a close frame:
// the process was killed, nothing said goodbye. The client library reports
// that as 1006, a code that never travels on the wire.
func crashed(t *testing.T, c *livetest.Client, who string) {
	t.Helper()
	err := c.WaitClosed()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseAbnormalClosure {
		t.Fatalf("%s: connection ended with %v, want 1006 (no close frame): a graceful close, not a crash", who, err)
	}
}

func lastSeq(c *livetest.Client) int64 {
	var last int64
	for _, s := range c.Seqs() {
		last = max(last, s)
	}
	return last
}

// checkDraftsStored: every acknowledged version is in the drafts table, and
// the answer that counts is at least the last acknowledged one.
func (s *session) checkDraftsStored() {
	s.t.Helper()
	ctx := context.Background()
	h, err := s.db.DraftHistory(ctx, s.iv.ID, s.cid, s.position)
	if err != nil {
		s.t.Fatal(err)
	}
	stored := map[int64]string{}
	for _, d := range h {
		stored[d.Version] = d.Text
	}
	for i, text := range s.acked {
		if got, ok := stored[int64(i+1)]; !ok || got != text {
			s.t.Errorf("acknowledged version %d is not in the drafts table (stored: %v)", i+1, stored)
		}
	}
	as, err := s.db.Answers(ctx, s.iv.ID, s.cid)
	if err != nil {
		s.t.Fatal(err)
	}
	if len(as) != 1 || as[0].Position != s.position || as[0].Version != drafts || as[0].Text != s.acked[drafts-1] {
		s.t.Fatalf("answers %+v, want version %d %q", as, drafts, s.acked[drafts-1])
	}
}

// checkResumed: the candidate's welcome on the survivor carries the last
// acknowledged text.
func (s *session) checkResumed(c *livetest.Client) {
	s.t.Helper()
	var w struct {
		Answers []struct {
			Position int    `json:"position"`
			Text     string `json:"text"`
			Version  int64  `json:"version"`
		} `json:"answers"`
	}
	welcome := c.WaitType("welcome")
	if err := json.Unmarshal(welcome.Data, &w); err != nil {
		s.t.Fatal(err)
	}
	if len(w.Answers) != 1 || w.Answers[0].Position != s.position || w.Answers[0].Version != drafts || w.Answers[0].Text != s.acked[drafts-1] {
		s.t.Fatalf("welcome.answers %+v, want version %d %q", w.Answers, drafts, s.acked[drafts-1])
	}
}

// expiredOnce waits until timer.expired reaches every client given, once
// each, and then checks that the transcript holds it once. A chat message
// sent after the expiry and received by all marks the point up to which a
// second expiry would have had to show.
func (s *session) expiredOnce(via *proc, clients ...*livetest.Client) {
	s.t.Helper()
	for _, c := range clients {
		c.WaitType("timer.expired")
	}
	clients[0].Ack("chat.send", map[string]any{"text": "time is up"})
	for _, c := range clients {
		c.WaitFor("the chat after the expiry", func(f livetest.Frame) bool { return f.Type == "chat.message" })
	}
	for i, c := range clients {
		if n := c.Count("timer.expired"); n != 1 {
			s.t.Errorf("client %d got timer.expired %d times:\n%s", i, n, c.Dump())
		}
	}
	var tr struct {
		Events []struct {
			Seq  int64  `json:"seq"`
			Type string `json:"type"`
		} `json:"events"`
	}
	if st := livetest.API(s.t, "GET", fmt.Sprintf("%s/api/v1/interviews/%d/events?limit=5000", via.URL, s.iv.ID), s.token, nil, &tr); st != 200 {
		s.t.Fatalf("transcript: status %d", st)
	}
	n := 0
	for i, e := range tr.Events {
		if e.Seq != int64(i+1) {
			s.t.Fatalf("transcript not contiguous: entry %d has seq %d", i, e.Seq)
		}
		if e.Type == "timer.expired" {
			n++
		}
	}
	if n != 1 {
		s.t.Fatalf("timer.expired %d times in the transcript %+v", n, tr.Events)
	}
	ts, err := s.db.RoomTimers(context.Background(), s.iv.ID)
	if err != nil || len(ts) != 1 || ts[0].State != store.TimerExpired {
		s.t.Fatalf("timers %+v %v", ts, err)
	}
}

// TestKillCandidatesInstance: the interviewer is on A, the candidate on B.
// B is SIGKILLed right after the candidate's last acknowledged draft: every
// acknowledged version is stored, the candidate resumes on A with its last
// text, and A expires the timer once, to both.
func TestKillCandidatesInstance(t *testing.T) {
	s := newSession(t)
	s.staff = s.join(s.a, s.token, 0)
	s.cand = s.join(s.b, s.iv.Candidates[0].InviteToken, 0)
	s.startQuestion()
	s.typeDrafts()

	s.b.kill()
	crashed(t, s.cand, "the candidate on B")
	s.checkDraftsStored()

	back := s.join(s.a, s.iv.Candidates[0].InviteToken, lastSeq(s.cand))
	s.checkResumed(back)
	s.expiredOnce(s.a, s.staff, back)
}

// TestKillArmingInstance: the interviewer on A pushes the question, so A
// commits the timer; the candidate is on B. A is SIGKILLed before the
// deadline: the interviewer reconnects to B, and B alone expires the timer,
// once, to both.
func TestKillArmingInstance(t *testing.T) {
	s := newSession(t)
	s.staff = s.join(s.a, s.token, 0)
	s.cand = s.join(s.b, s.iv.Candidates[0].InviteToken, 0)
	s.startQuestion()
	s.typeDrafts()

	s.a.kill()
	crashed(t, s.staff, "the interviewer on A")
	s.checkDraftsStored()

	staff := s.join(s.b, s.token, lastSeq(s.staff))
	s.expiredOnce(s.b, staff, s.cand)
}

// TestKillInstanceServingEveryone: the whole room is on A, which armed the
// timer; B serves nobody in it. A is SIGKILLed: B's sweeper expires the
// timer from the database, once, and both reconnect to B and resume.
func TestKillInstanceServingEveryone(t *testing.T) {
	s := newSession(t)
	s.staff = s.join(s.a, s.token, 0)
	s.cand = s.join(s.a, s.iv.Candidates[0].InviteToken, 0)
	s.startQuestion()
	s.typeDrafts()

	s.a.kill()
	crashed(t, s.staff, "the interviewer on A")
	crashed(t, s.cand, "the candidate on A")
	s.checkDraftsStored()

	// Nobody is on B until the sweeper has expired the timer.
	livetest.Eventually(t, "B's sweeper expires the timer", func() error {
		ts, err := s.db.RoomTimers(context.Background(), s.iv.ID)
		if err != nil {
			return err
		}
		if len(ts) != 1 || ts[0].State != store.TimerExpired {
			return fmt.Errorf("timers %+v", ts)
		}
		return nil
	})
	staff := s.join(s.b, s.token, lastSeq(s.staff))
	cand := s.join(s.b, s.iv.Candidates[0].InviteToken, lastSeq(s.cand))
	s.checkResumed(cand)
	s.expiredOnce(s.b, staff, cand)
}
