package room_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/livetest"
	"github.com/ace-interviews/ace/internal/store"
)

// TestResumeOnOtherInstance: clients leave in the middle of a session and
// come back to the other instance with the last seq they saw. Each gets
// exactly the missed events its role may see, projected for it, in order,
// then live events, with no gap and no repeat.
func TestResumeOnOtherInstance(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	a, b := c.Instances[0], c.Instances[1]
	staffTok := c.Staff("ivy@example.com", store.RoleInterviewer)
	adminTok := c.Staff("ada@example.com", store.RoleAdmin)
	qs := seedQuestions(t, c)
	iv := createInterview(t, a, staffTok, map[string]any{"title": "Resume", "exam_time_limit_s": 3600,
		"questions":  []map[string]any{{"question_id": qs[0], "time_limit_s": 1800}, {"question_id": qs[1], "time_limit_s": 1800}},
		"candidates": names("Cora", "Dan")})
	coraID, danID := iv.Candidates[0].ID, iv.Candidates[1].ID
	coraTok, danTok := iv.Candidates[0].InviteToken, iv.Candidates[1].InviteToken
	coraSees := func(e event) bool { return candidateSees(e, coraID) }

	staff := livetest.Join(t, a, iv.ID, staffTok, 0)
	admin := livetest.Join(t, a, iv.ID, adminTok, 0)
	cora := livetest.Join(t, a, iv.ID, coraTok, 0)
	dan := livetest.Join(t, b, iv.ID, danTok, 0)

	// The first part of the session, everyone connected.
	staff.Ack("interview.start", nil)
	staff.Ack("question.push", map[string]any{"position": 1})
	cora.WaitType("question.pushed") // drafts are decided on the state the room has delivered
	cora.Ack("answer.draft", map[string]any{"text": "cora draft 1", "version": 1})
	cora.Ack("answer.submit", map[string]any{"text": "cora answer 1", "version": 2})
	dan.Ack("answer.submit", map[string]any{"text": "dan answer 1", "version": 1})
	cora.Ack("chat.send", map[string]any{"text": "cora asks"})
	staff.Ack("chat.send", map[string]any{"text": "staff replies"})
	dan.Ack("signal", map[string]any{"kind": "focus_lost"})
	evs := events(t, a, staffTok, iv.ID)
	waitVisible(t, cora, evs, coraSees)
	waitVisible(t, admin, evs, all)
	coraLast := visibleSeqs(evs, 0, coraSees)
	coraSeen := coraLast[len(coraLast)-1]
	adminSeen := lastOf(evs)
	assertSeqs(t, "candidate before leaving", cora.Seqs(), coraLast)
	cora.Conn.Close()
	admin.Conn.Close()

	// While they are away: events for everyone, for Dan only, for the staff only.
	staff.Ack("chat.send", map[string]any{"text": "while you were away"})
	dan.Ack("chat.send", map[string]any{"text": "DAN-PRIVATE-CHAT"})
	dan.Ack("answer.submit", map[string]any{"text": "DAN-PRIVATE-ANSWER", "version": 3})
	dan.Ack("signal", map[string]any{"kind": "paste", "chars": 40})
	staff.Ack("note.save", map[string]any{"candidate_id": coraID, "position": 1, "text": "NOTE ABOUT CORA"})
	staff.Ack("timer.pause", map[string]any{"scope": "exam"})
	staff.Ack("timer.resume", map[string]any{"scope": "exam"})
	staff.Ack("timer.extend", map[string]any{"seconds": 60})
	staff.Ack("question.push", map[string]any{"position": 2})
	missed := events(t, a, staffTok, iv.ID)
	if lastOf(missed) <= adminSeen+8 {
		t.Fatalf("only %d events while away", lastOf(missed)-adminSeen)
	}

	// Back, on the other instance.
	cora2 := livetest.Join(t, b, iv.ID, coraTok, coraSeen)
	admin2 := livetest.Join(t, b, iv.ID, adminTok, adminSeen)
	welcome := cora2.WaitType("welcome")
	if welcome.Field("last_seq") != float64(lastOf(missed)) {
		t.Fatalf("welcome last_seq %v, want %d", welcome.Field("last_seq"), lastOf(missed))
	}
	wantCora := visibleSeqs(missed, coraSeen, coraSees)
	wantAdmin := visibleSeqs(missed, adminSeen, all)
	if len(wantCora) == 0 || len(wantCora) >= len(wantAdmin) {
		t.Fatalf("the scenario should hide some missed events from the candidate: %v of %v", wantCora, wantAdmin)
	}
	cora2.WaitSeq(wantCora[len(wantCora)-1])
	admin2.WaitSeq(wantAdmin[len(wantAdmin)-1])
	assertSeqs(t, "candidate resumed on B", cora2.Seqs(), wantCora)
	assertSeqs(t, "admin resumed on B", admin2.Seqs(), wantAdmin)

	// What was replayed is the transcript's event, projected for the role.
	bySeq := map[int64]event{}
	for _, e := range missed {
		bySeq[e.Seq] = e
	}
	for _, cl := range []struct {
		name  string
		c     *livetest.Client
		staff bool
	}{{"candidate", cora2, false}, {"admin", admin2, true}} {
		for _, f := range cl.c.Frames() {
			if f.Seq == 0 {
				continue
			}
			e := bySeq[f.Seq]
			want := e.Data
			if e.Type == "question.pushed" && !cl.staff {
				var m map[string]json.RawMessage
				_ = json.Unmarshal(e.Data, &m)
				if _, ok := m["answer"]; !ok {
					t.Fatalf("the staff transcript's question.pushed has no answer: %s", e.Data)
				}
				// Nor the bank's question id: the public bank would show its model answer.
				delete(m, "answer")
				delete(m, "question_id")
				want, _ = json.Marshal(m)
			}
			if f.Type != e.Type || !jsonEqual(f.Data, want) {
				t.Fatalf("%s replay of seq %d: %s, want %s %s", cl.name, f.Seq, f.Raw, e.Type, want)
			}
		}
	}
	for _, f := range cora2.Frames() {
		for _, secret := range []string{"DAN-PRIVATE", "NOTE ABOUT CORA", "MODEL-ANSWER"} {
			if strings.Contains(f.Raw, secret) {
				t.Fatalf("the resumed candidate got %q: %s", secret, f.Raw)
			}
		}
	}

	// Then live events, on from the replay.
	staff.Ack("chat.send", map[string]any{"text": "live again"})
	cora2.Ack("chat.send", map[string]any{"text": "cora is back"})
	now := events(t, b, staffTok, iv.ID)
	waitVisible(t, cora2, now, coraSees)
	waitVisible(t, admin2, now, all)
	assertSeqs(t, "candidate resumed on B, then live", cora2.Seqs(), visibleSeqs(now, coraSeen, coraSees))
	assertSeqs(t, "admin resumed on B, then live", admin2.Seqs(), visibleSeqs(now, adminSeen, all))
	// Those who stayed saw everything once.
	waitVisible(t, staff, now, all)
	waitVisible(t, dan, now, func(e event) bool { return candidateSees(e, danID) })
	assertSeqs(t, "interviewer who stayed", staff.Seqs(), visibleSeqs(now, 0, all))
	assertSeqs(t, "candidate who stayed", dan.Seqs(), visibleSeqs(now, 0, func(e event) bool { return candidateSees(e, danID) }))

	// Resuming with nothing missed replays nothing; from 0 replays it all;
	// a last_seq from the future replays nothing and still gets live events.
	upToDate := livetest.Join(t, a, iv.ID, coraTok, lastOf(now))
	fromZero := livetest.Join(t, b, iv.ID, adminTok, 0)
	future := livetest.Join(t, a, iv.ID, danTok, lastOf(now)+1000)
	staff.Ack("chat.send", map[string]any{"text": "one more"})
	final := events(t, a, staffTok, iv.ID)
	upToDate.WaitSeq(lastOf(final))
	fromZero.WaitSeq(lastOf(final))
	future.WaitSeq(lastOf(final))
	assertSeqs(t, "candidate with nothing missed", upToDate.Seqs(), []int64{lastOf(final)})
	assertSeqs(t, "admin from 0", fromZero.Seqs(), visibleSeqs(final, 0, all))
	assertSeqs(t, "candidate from the future", future.Seqs(), []int64{lastOf(final)})
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// TestResumeAheadOfInstance: a client saw seq N (delivered by one instance,
// or read from the transcript) and resumes on an instance whose room has not
// delivered N yet. The server must not send N again when it arrives there.
func TestResumeAheadOfInstance(t *testing.T) {
	// No seq check and no gap repair during the test: only the publish, held
	// by the test, brings N to instance B.
	rc := livetest.FastRooms
	rc.CheckEvery, rc.GapWait = time.Hour, time.Hour
	c := livetest.NewCluster(t, 2, rc)
	a, b := c.Instances[0], c.Instances[1]
	faults := &faultyPublish{next: a.Hub.Publish}
	a.Hub.Publish = faults.publish
	staffTok := c.Staff("ivy@example.com", store.RoleInterviewer)
	adminTok := c.Staff("ada@example.com", store.RoleAdmin)
	qs := seedQuestions(t, c)
	iv := createInterview(t, a, staffTok, map[string]any{"title": "Ahead",
		"questions": []map[string]any{{"question_id": qs[0], "time_limit_s": 600}}, "candidates": names("Cora")})
	staff := livetest.Join(t, a, iv.ID, staffTok, 0)
	watcher := livetest.Join(t, b, iv.ID, adminTok, 0) // keeps B's room open
	cora := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, 0)
	staff.Ack("interview.start", nil)
	staff.Ack("chat.send", map[string]any{"text": "one"})
	watcher.WaitSeq(2)
	cora.WaitSeq(2)

	// Seq 3 is committed; its publish is held, so no room has delivered it.
	faults.expect("swap")
	staff.Ack("chat.send", map[string]any{"text": "two"})
	n := lastOf(events(t, a, staffTok, iv.ID))
	if n != 3 {
		t.Fatalf("last seq %d", n)
	}
	// A client that has seen 3 resumes on B, which has delivered 2.
	ahead := livetest.Join(t, b, iv.ID, adminTok, n)
	coraAhead := livetest.Join(t, b, iv.ID, iv.Candidates[0].InviteToken, n)
	// Seq 4 goes out, and the held 3 after it.
	staff.Ack("chat.send", map[string]any{"text": "three"})
	watcher.WaitSeq(4)
	ahead.WaitSeq(4)
	coraAhead.WaitSeq(4)
	assertSeqs(t, "the watcher", watcher.Seqs(), []int64{1, 2, 3, 4})
	assertSeqs(t, "a client resumed from 3 on B", ahead.Seqs(), []int64{4})
	assertSeqs(t, "a candidate resumed from 3 on B", coraAhead.Seqs(), []int64{4})
	if swapped, _, _ := faults.report(); len(swapped) != 1 || swapped[0] != 3 {
		t.Fatalf("swapped %v", swapped)
	}
}

// TestUnversionedAnswers: a draft or submission sent without a version gets
// the server time in milliseconds as its version (docs/protocol.md), past
// 2^31, and is stored and shown again on reconnect.
func TestUnversionedAnswers(t *testing.T) {
	c := livetest.NewCluster(t, 2, livetest.FastRooms)
	staffTok, iv := setup(t, c, "Cora")
	staff := livetest.Join(t, c.Instances[0], iv.ID, staffTok, 0)
	cora := livetest.Join(t, c.Instances[1], iv.ID, iv.Candidates[0].InviteToken, 0)
	staff.Ack("interview.start", nil)
	staff.Ack("question.push", map[string]any{"position": 1})
	cora.WaitType("question.pushed")
	before := time.Now().UnixMilli()
	cora.Ack("answer.draft", map[string]any{"text": "no version"})
	saved := cora.WaitType("answer.saved")
	v, _ := saved.Field("version").(float64)
	if int64(v) < before || int64(v) > time.Now().UnixMilli() {
		t.Fatalf("answer.saved %s: want the server time in ms as version", saved.Raw)
	}
	again := livetest.Join(t, c.Instances[0], iv.ID, iv.Candidates[0].InviteToken, 0)
	if w := again.WaitType("welcome"); !strings.Contains(w.Raw, fmt.Sprintf(`"text":"no version","version":%d`, int64(v))) {
		t.Fatalf("welcome after an unversioned draft: %s", w.Raw)
	}
	again.Ack("answer.submit", map[string]any{"text": "no version, final"})
	sub := staff.WaitType("answer.submitted")
	if sv, _ := sub.Field("version").(float64); sv < v {
		t.Fatalf("submitted %s after draft version %d", sub.Raw, int64(v))
	}
	as, err := c.Store.Answers(t.Context(), iv.ID, iv.Candidates[0].ID)
	if err != nil || len(as) != 1 || as[0].Text != "no version, final" || as[0].Submitted != 1 || as[0].Version < int64(v) {
		t.Fatalf("stored %+v %v", as, err)
	}
}
