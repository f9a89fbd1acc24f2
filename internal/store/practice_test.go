package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
	acesql "github.com/ace-interviews/ace/sql"
)

// practiceBank imports public Go questions at every level, one private Go
// question and a public Python one, and returns the public Go ids and the
// private one.
func practiceBank(t *testing.T, s *store.Store) (public []int64, private int64) {
	t.Helper()
	ctx := context.Background()
	qs := []bank.Question{
		q("Go", bank.Beginner, "What is a slice?", "A view of an array."),
		q("Go", bank.Beginner, "What does make do?", "Allocates and initialises."),
		q("Go", bank.Intermediate, "What is a channel?", "A typed conduit."),
		q("Go", bank.Advanced, "How does the scheduler work?", "M, P and G."),
		q("Python", bank.Beginner, "What is a list?", "A mutable sequence."),
	}
	qs[0].TimeLimitS = 120
	secret := q("Go", bank.Beginner, "Secret private question", "Staff only.")
	secret.Visibility = bank.Private
	if _, err := s.ImportQuestions(ctx, append(qs, secret)); err != nil {
		t.Fatal(err)
	}
	all, _, err := s.ListQuestions(ctx, store.QuestionFilter{Technology: "Go", IncludePrivate: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range all {
		if x.Visibility == "private" {
			private = x.ID
		} else {
			public = append(public, x.ID)
		}
	}
	return public, private
}

var attemptsMade int

func newPractice(t *testing.T, s *store.Store, ids []int64, mode string) (store.Interview, store.Participant) {
	t.Helper()
	attemptsMade++
	iv, p, err := s.CreatePractice(context.Background(), store.NewPractice{Technology: "Go", TimeMode: mode, ExamTimeLimitS: 600, QuestionIDs: ids,
		HolderHash: "holder", TokenHash: fmt.Sprintf("practice-token-%d", attemptsMade), ClientAddr: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	return iv, p
}

func TestPracticeAttempt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		pub, priv := practiceBank(t, s)

		ids, err := s.PracticeQuestionIDs(ctx, "Go", "")
		if err != nil || len(ids) != len(pub) {
			t.Fatalf("practice ids %v (%v), want the %d public Go ones", ids, err, len(pub))
		}
		for _, id := range ids {
			if id == priv {
				t.Fatal("the private question is offered to practice")
			}
		}
		if ids, _ := s.PracticeQuestionIDs(ctx, "Go", "beginner"); len(ids) != 2 {
			t.Fatalf("beginner ids %v, want 2", ids)
		}

		iv, p := newPractice(t, s, pub[:2], store.PracticeSuggested)
		if !iv.Practice || iv.CreatedBy != 0 || iv.Pacing != store.PacingSelfPaced || iv.ExamTimeLimitS != 0 || iv.Status != store.StatusScheduled {
			t.Fatalf("attempt %+v", iv)
		}
		if p.Role != store.PartCandidate || p.Name != store.PracticeCandidateName {
			t.Fatalf("candidate %+v", p)
		}
		qs, err := s.PlannedQuestions(ctx, iv.ID)
		if err != nil || len(qs) != 2 {
			t.Fatalf("plan %v, %v", qs, err)
		}
		if qs[0].TimeLimitS != 120 {
			t.Fatalf("suggested mode keeps the bank's limit: %d", qs[0].TimeLimitS)
		}
		a, err := s.GetPractice(ctx, iv.ID)
		if err != nil || a.HolderHash != "holder" || a.QuestionCount != 2 || a.TimeMode != store.PracticeSuggested || a.ShareToken != nil {
			t.Fatalf("attempt row %+v, %v", a, err)
		}

		ex, _ := newPractice(t, s, pub[:1], store.PracticeExam)
		if ex.ExamTimeLimitS != 600 {
			t.Fatalf("exam mode limit %d", ex.ExamTimeLimitS)
		}
		if qs, _ := s.PlannedQuestions(ctx, ex.ID); qs[0].TimeLimitS != 0 {
			t.Fatalf("exam mode: the question keeps its own limit %d", qs[0].TimeLimitS)
		}

		// A private question never enters an attempt, even when asked for by id.
		_, _, err = s.CreatePractice(ctx, store.NewPractice{Technology: "Go", TimeMode: store.PracticeSuggested, QuestionIDs: []int64{pub[0], priv},
			HolderHash: "h", TokenHash: "private-try", ClientAddr: "a"})
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("private question in an attempt: %v", err)
		}
		if list, _ := s.ListInterviews(ctx, 0, true); len(list) != 0 {
			t.Fatalf("practice attempts in the staff list: %v", list)
		}

		if _, err := s.GetPractice(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown attempt: %v", err)
		}
	})
}

func TestPracticeRatingsShareAndStats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		pub, _ := practiceBank(t, s)
		a, _ := newPractice(t, s, pub[:3], store.PracticeSuggested)
		b, _ := newPractice(t, s, pub[:1], store.PracticeSuggested)
		for _, r := range []struct {
			iv  int64
			pos int
			r   string
		}{{a.ID, 1, store.RatingGot}, {a.ID, 1, store.RatingMissed}, {a.ID, 2, store.RatingPartly}, {b.ID, 1, store.RatingMissed}} {
			if err := s.RatePractice(ctx, r.iv, r.pos, r.r); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RatePractice(ctx, a.ID, 9, store.RatingGot); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("rating a position the attempt lacks: %v", err)
		}
		if err := s.RatePractice(ctx, a.ID, 3, "great"); err == nil {
			t.Fatal("a rating outside the three was stored")
		}
		got, err := s.PracticeRatings(ctx, a.ID)
		if err != nil || len(got) != 2 || got[1] != store.RatingMissed || got[2] != store.RatingPartly {
			t.Fatalf("ratings %v, %v", got, err)
		}
		stats, err := s.PracticeMissStats(ctx, pub)
		if err != nil {
			t.Fatal(err)
		}
		if st := stats[pub[0]]; st.Rated != 2 || st.Missed != 2 {
			t.Fatalf("question 1: %+v, want 2 of 2 missed (a rating replaced counts once)", st)
		}
		if st := stats[pub[1]]; st.Rated != 1 || st.Missed != 0 {
			t.Fatalf("question 2: %+v", st)
		}
		if _, ok := stats[pub[2]]; ok {
			t.Fatal("an unrated question has stats")
		}

		if err := s.SetPracticeShare(ctx, a.ID, "share-token-a"); err != nil {
			t.Fatal(err)
		}
		if sh, err := s.PracticeByShareToken(ctx, "share-token-a"); err != nil || sh.InterviewID != a.ID {
			t.Fatalf("share lookup %+v, %v", sh, err)
		}
		if err := s.SetPracticeShare(ctx, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PracticeByShareToken(ctx, "share-token-a"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a removed share link still opens: %v", err)
		}
		if err := s.SetPracticeShare(ctx, 999999, "x"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("share of no attempt: %v", err)
		}
	})
}

func TestPracticeThrottleAndPurge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for i := 1; i <= 3; i++ {
			n, err := s.CountPracticeStart(ctx, "192.0.2.7", time.Hour)
			if err != nil || n != i {
				t.Fatalf("count %d: %d, %v", i, n, err)
			}
		}
		if n, _ := s.CountPracticeStart(ctx, "192.0.2.8", time.Hour); n != 1 {
			t.Fatalf("another address shares the count: %d", n)
		}
		// A window that has run out starts again at 1.
		if n, _ := s.CountPracticeStart(ctx, "192.0.2.7", time.Millisecond); n != 1 {
			time.Sleep(5 * time.Millisecond)
			if n, _ := s.CountPracticeStart(ctx, "192.0.2.7", time.Millisecond); n != 1 {
				t.Fatalf("expired window: %d", n)
			}
		}

		pub, _ := practiceBank(t, s)
		old, _ := newPractice(t, s, pub[:2], store.PracticeSuggested)
		keep, _ := newPractice(t, s, pub[:2], store.PracticeSuggested)
		if err := s.RatePractice(ctx, old.ID, 1, store.RatingMissed); err != nil {
			t.Fatal(err)
		}
		if _, err := s.InRoom(ctx, old.ID, func(rt *store.RoomTx) error {
			return rt.Append("question.opened", 0, store.AudienceAll, map[string]int{"position": 1})
		}); err != nil {
			t.Fatal(err)
		}
		cut := time.Now()
		time.Sleep(10 * time.Millisecond)
		if err := s.TouchPractice(ctx, keep.ID); err != nil {
			t.Fatal(err)
		}
		n, err := s.PurgePractice(ctx, cut, time.Now().Add(time.Minute))
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		if _, err := s.GetInterview(ctx, old.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the abandoned attempt is still there: %v", err)
		}
		if evs, _ := s.EventsAfter(ctx, old.ID, 0, 10); len(evs) != 0 {
			t.Fatalf("its events stayed: %v", evs)
		}
		if _, err := s.GetPractice(ctx, keep.ID); err != nil {
			t.Fatalf("the recent attempt went too: %v", err)
		}
		// The rating outlives its attempt, as the bank's signal.
		if st, _ := s.PracticeMissStats(ctx, pub[:1]); st[pub[0]].Missed != 1 {
			t.Fatalf("the purged attempt's rating is gone: %+v", st)
		}
		// The throttle rows went with the window.
		if n, _ := s.CountPracticeStart(ctx, "192.0.2.8", time.Hour); n != 1 {
			t.Fatalf("throttle counter survived the purge: %d", n)
		}
	})
}

func TestPracticeHiddenFromStaffLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		pub, _ := practiceBank(t, s)
		u, err := s.CreateUser(ctx, "ada@example.com", "Ada", store.RoleAdmin, "h")
		if err != nil {
			t.Fatal(err)
		}
		real, _, err := s.CreateInterview(ctx, store.NewInterview{Title: "real", CreatedBy: u.ID, Panel: []int64{u.ID},
			Questions: []store.PlanItem{{QuestionID: pub[3]}}, Candidates: []store.NewCandidate{{Name: "Cy", TokenHash: "cy"}}})
		if err != nil {
			t.Fatal(err)
		}
		// The only Python question is asked in practice only.
		py, _ := s.PracticeQuestionIDs(ctx, "Python", "")
		for _, status := range []string{store.StatusLive, store.StatusEnded} {
			iv, _ := newPractice(t, s, pub[:1], store.PracticeSuggested)
			pyIv, _, err := s.CreatePractice(ctx, store.NewPractice{Technology: "Python", TimeMode: store.PracticeSuggested, QuestionIDs: py,
				HolderHash: "h", TokenHash: "py-" + status, ClientAddr: "a"})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []int64{iv.ID, pyIv.ID} {
				if _, err := s.InRoom(ctx, id, func(rt *store.RoomTx) error { return rt.SetStatus(ctx, status) }); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := s.InRoom(ctx, real.ID, func(rt *store.RoomTx) error { return rt.SetStatus(ctx, store.StatusEnded) }); err != nil {
			t.Fatal(err)
		}
		only := func(what string, ids []int64) {
			t.Helper()
			if len(ids) != 1 || ids[0] != real.ID {
				t.Fatalf("%s lists %v, want only the real interview %d", what, ids, real.ID)
			}
		}
		list, _ := s.ListInterviews(ctx, u.ID, true)
		only("ListInterviews(all)", ivIDs(list))
		list, _ = s.ListInterviews(ctx, u.ID, false)
		only("ListInterviews(panel)", ivIDs(list))
		sc := store.ReviewScope{UserID: u.ID, Role: store.RoleAdmin}
		for _, st := range []string{store.StatusLive, store.StatusEnded} {
			d, err := s.InterviewsByStatus(ctx, sc, st, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range d {
				if x.ID != real.ID {
					t.Fatalf("dashboard (%s) shows practice attempt %d", st, x.ID)
				}
			}
		}
		w, _ := s.AwaitingScorecard(ctx, u.ID, 50)
		for _, x := range w {
			if x.ID != real.ID {
				t.Fatalf("awaiting scorecard shows practice attempt %d", x.ID)
			}
		}
		page, err := s.ListReviews(ctx, sc, store.ReviewFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 1 {
			t.Fatalf("reviews list holds %d rows, want the real candidate only", page.Total)
		}
		techs, _ := s.ReviewTechnologies(ctx)
		if strings.Join(techs, ",") != "Go" {
			t.Fatalf("review technologies %v: practice's Python leaks in", techs)
		}
	})
}

func ivIDs(ivs []store.Interview) []int64 {
	out := make([]int64, len(ivs))
	for i, iv := range ivs {
		out[i] = iv.ID
	}
	return out
}

// TestPracticeMigrationKeepsInterviews migrates a database holding an
// interview at 00010 to 00011 (on SQLite, the edit of the table's
// statement): rows, ids and cascades survive, and created_by may be NULL afterwards.
func TestPracticeMigrationKeepsInterviews(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			_, _, open := openRaw(t, d)
			s := open()
			if _, err := s.MigrateFS(ctx, migrationsUpTo(t, string(d), 10)); err != nil {
				t.Fatal(err)
			}
			u, err := s.CreateUser(ctx, "ivy@example.com", "Ivy", store.RoleInterviewer, "h")
			if err != nil {
				t.Fatal(err)
			}
			// Interview and participant columns as of 00010 only.
			var first, gone int64
			for i, title := range []string{"kept", "deleted"} {
				var id int64
				if err := s.RawGet(ctx, &id, `INSERT INTO interviews (title, created_by, created_at, pacing) VALUES (?, ?, ?, 'self_paced') RETURNING id`, title, u.ID, time.Now().UTC()); err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = id
				} else {
					gone = id
				}
			}
			if err := s.RawExec(ctx, `INSERT INTO participants (interview_id, role, name, token_hash, created_at) VALUES (?, 'candidate', 'Cy', 'tok', ?)`, first, time.Now().UTC()); err != nil {
				t.Fatal(err)
			}
			if err := s.RawExec(ctx, `DELETE FROM interviews WHERE id = ?`, gone); err != nil {
				t.Fatal(err)
			}
			n, err := s.Migrate(ctx)
			if err != nil || n != 1 {
				t.Fatalf("migrated %d, %v; want 00011 alone", n, err)
			}
			iv, err := s.GetInterview(ctx, first)
			if err != nil || iv.Title != "kept" || iv.CreatedBy != u.ID || iv.Pacing != store.PacingSelfPaced || iv.Practice {
				t.Fatalf("interview after the migration %+v, %v", iv, err)
			}
			if ps, _ := s.Participants(ctx, first); len(ps) != 1 {
				t.Fatalf("participants after the migration: %v", ps)
			}
			// No id is handed out twice, and a practice attempt has no creator.
			pub, _ := practiceBank(t, s)
			att, _ := newPractice(t, s, pub[:1], store.PracticeSuggested)
			if att.ID <= gone {
				t.Fatalf("new id %d reuses an old one (last was %d)", att.ID, gone)
			}
			if d == store.SQLite {
				var bad int
				if err := s.RawGet(ctx, &bad, `SELECT count(*) FROM pragma_foreign_key_check`); err != nil || bad != 0 {
					t.Fatalf("foreign key check: %d, %v", bad, err)
				}
				var ok string
				if err := s.RawGet(ctx, &ok, `PRAGMA integrity_check`); err != nil || ok != "ok" {
					t.Fatalf("integrity check: %q, %v", ok, err)
				}
				var on int
				if err := s.RawGet(ctx, &on, `PRAGMA foreign_keys`); err != nil || on != 1 {
					t.Fatalf("foreign keys are off after the migration: %d, %v", on, err)
				}
			}
			// Cascades still reach the children of the rebuilt table.
			if err := s.RawExec(ctx, `DELETE FROM interviews WHERE id = ?`, first); err != nil {
				t.Fatal(err)
			}
			var left int
			if err := s.RawGet(ctx, &left, `SELECT count(*) FROM participants WHERE interview_id = ?`, first); err != nil || left != 0 {
				t.Fatalf("participants of a deleted interview: %d, %v", left, err)
			}
		})
	}
}

// migrationsUpTo is the dialect's migrations numbered up to last.
func migrationsUpTo(t *testing.T, dialect string, last int) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	entries, err := fs.ReadDir(acesql.FS, dialect)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		var n int
		if _, err := fmt.Sscanf(e.Name(), "%05d_", &n); err != nil || n > last {
			continue
		}
		b, err := fs.ReadFile(acesql.FS, dialect+"/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = &fstest.MapFile{Data: b}
	}
	return out
}
