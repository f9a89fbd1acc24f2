package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// answerOf returns one candidate's answer to one question, failing if absent.
func answerOf(t *testing.T, s *store.Store, interviewID, candidateID int64, position int) store.Answer {
	t.Helper()
	as, err := s.Answers(context.Background(), interviewID, candidateID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.Position == position {
			return a
		}
	}
	t.Fatalf("no answer of candidate %d to question %d among %+v", candidateID, position, as)
	return store.Answer{}
}

func submit(t *testing.T, s *store.Store, interviewID, candidateID int64, position int, text string, version int64) {
	t.Helper()
	if _, err := s.InRoom(context.Background(), interviewID, func(rt *store.RoomTx) error {
		return rt.SubmitAnswer(context.Background(), candidateID, position, text, version)
	}); err != nil {
		t.Fatalf("submit: %v", err)
	}
}

func saveDrafts(t *testing.T, s *store.Store, ds ...store.Draft) {
	t.Helper()
	if err := s.SaveDrafts(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
}

// TestSaveDraftsBatch: one batch larger than a statement's worth of rows
// (several INSERTs in one transaction) keeps every received version in the
// history, in arrival order, and moves each answer to its newest version.
func TestSaveDraftsBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRoom(t, s, "Cora", "Dan")
		cora, dan := r.candidates[0].ID, r.candidates[1].ID
		at := time.Now().UTC().Truncate(time.Millisecond)
		var ds []store.Draft
		const perKey = 250 // 4 keys: 1000 rows, more than one INSERT holds
		for v := int64(1); v <= perKey; v++ {
			for _, c := range []int64{cora, dan} {
				for _, pos := range []int{1, 2} {
					ds = append(ds, store.Draft{InterviewID: r.iv.ID, CandidateID: c, Position: pos, Version: v,
						Text: fmt.Sprintf("c%d q%d v%d", c, pos, v), ReceivedAt: at.Add(time.Duration(v) * time.Millisecond)})
				}
			}
		}
		saveDrafts(t, s, ds...)

		for _, c := range []int64{cora, dan} {
			for _, pos := range []int{1, 2} {
				h, err := s.DraftHistory(ctx, r.iv.ID, c, pos)
				if err != nil {
					t.Fatal(err)
				}
				if len(h) != perKey {
					t.Fatalf("candidate %d q%d: %d drafts in the history, want %d", c, pos, len(h), perKey)
				}
				for i, d := range h {
					if d.Version != int64(i+1) || d.Text != fmt.Sprintf("c%d q%d v%d", c, pos, i+1) || d.CandidateID != c || d.Position != pos {
						t.Fatalf("history entry %d: %+v", i, d)
					}
				}
				a := answerOf(t, s, r.iv.ID, c, pos)
				if a.Version != perKey || a.Text != fmt.Sprintf("c%d q%d v%d", c, pos, perKey) || a.Submitted != 0 {
					t.Fatalf("answer %+v", a)
				}
			}
		}
		all, err := s.Answers(ctx, r.iv.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, a := range all {
			keys = append(keys, fmt.Sprintf("%d/%d", a.CandidateID, a.Position))
		}
		if want := fmt.Sprintf("[%d/1 %d/2 %d/1 %d/2]", cora, cora, dan, dan); fmt.Sprint(keys) != want {
			t.Fatalf("every answer of the interview: %v, want %s", keys, want)
		}
		// An empty batch is nothing to do.
		if err := s.SaveDrafts(ctx, nil); err != nil {
			t.Fatal(err)
		}
		// Another interview's answers are not this one's.
		other := newRoom(t, s, "Eve")
		saveDrafts(t, s, store.Draft{InterviewID: other.iv.ID, CandidateID: other.candidates[0].ID, Position: 1, Version: 1, Text: "x", ReceivedAt: at})
		if as, _ := s.Answers(ctx, r.iv.ID, 0); len(as) != 4 {
			t.Fatalf("%d answers after another interview's draft", len(as))
		}
		if h, _ := s.DraftHistory(ctx, other.iv.ID, cora, 1); len(h) != 0 {
			t.Fatalf("Cora has drafts in an interview she is not in: %+v", h)
		}
	})
}

// TestOlderDraftNeverOverwritesNewer: versions are the client's; a batch
// may hold them out of order, and a late batch may hold an older one.
func TestOlderDraftNeverOverwritesNewer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRoom(t, s, "Cora")
		cora := r.candidates[0].ID
		at := time.Now().UTC()
		d := func(v int64, text string) store.Draft {
			return store.Draft{InterviewID: r.iv.ID, CandidateID: cora, Position: 1, Version: v, Text: text, ReceivedAt: at}
		}
		// Out of order within one batch: the newest version wins.
		saveDrafts(t, s, d(7, "seven"), d(6, "six"))
		if a := answerOf(t, s, r.iv.ID, cora, 1); a.Version != 7 || a.Text != "seven" {
			t.Fatalf("after 7, 6 in one batch: %+v", a)
		}
		// An older version in a later batch changes nothing.
		saveDrafts(t, s, d(3, "three"))
		if a := answerOf(t, s, r.iv.ID, cora, 1); a.Version != 7 || a.Text != "seven" {
			t.Fatalf("after a late v3: %+v", a)
		}
		// Nor does the same version again (a resend after a reconnect).
		saveDrafts(t, s, d(7, "seven, resent with other text"))
		if a := answerOf(t, s, r.iv.ID, cora, 1); a.Text != "seven" {
			t.Fatalf("after a resent v7: %+v", a)
		}
		// Versions above 2^31 (the client uses a timestamp) order too.
		saveDrafts(t, s, d(1<<40, "big"), d(1<<40-1, "big minus one"))
		if a := answerOf(t, s, r.iv.ID, cora, 1); a.Version != 1<<40 || a.Text != "big" {
			t.Fatalf("after 64-bit versions: %+v", a)
		}
		// The history keeps what was received, old versions included.
		h, err := s.DraftHistory(ctx, r.iv.ID, cora, 1)
		if err != nil {
			t.Fatal(err)
		}
		var vs []int64
		for _, x := range h {
			vs = append(vs, x.Version)
		}
		if want := []int64{7, 6, 3, 7, 1 << 40, 1<<40 - 1}; fmt.Sprint(vs) != fmt.Sprint(want) {
			t.Fatalf("history versions %v, want %v", vs, want)
		}
	})
}

// TestSubmitAnswer: a submission is the answer that counts; a draft queued
// before it commits never rewrites it, until the question is pushed again.
func TestSubmitAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		r := newRoom(t, s, "Cora", "Dan")
		cora, dan := r.candidates[0].ID, r.candidates[1].ID
		at := time.Now().UTC()
		d := func(c int64, v int64, text string) store.Draft {
			return store.Draft{InterviewID: r.iv.ID, CandidateID: c, Position: 1, Version: v, Text: text, ReceivedAt: at}
		}

		// A submission without any draft before it.
		submit(t, s, r.iv.ID, dan, 1, "dan's final", 1)
		if a := answerOf(t, s, r.iv.ID, dan, 1); a.Submitted != 1 || a.Text != "dan's final" || a.Version != 1 {
			t.Fatalf("dan %+v", a)
		}

		saveDrafts(t, s, d(cora, 4, "draft four"))
		// A submission with an older version than the stored draft: its text
		// counts, the version never goes back.
		submit(t, s, r.iv.ID, cora, 1, "cora's final", 2)
		a := answerOf(t, s, r.iv.ID, cora, 1)
		if a.Submitted != 1 || a.Text != "cora's final" || a.Version != 4 {
			t.Fatalf("cora after submit %+v", a)
		}
		// A newer draft that was queued before the submit committed.
		saveDrafts(t, s, d(cora, 10, "typed after the submit"))
		if a := answerOf(t, s, r.iv.ID, cora, 1); a.Text != "cora's final" || a.Submitted != 1 || a.Version != 4 {
			t.Fatalf("a draft rewrote a submitted answer: %+v", a)
		}
		// It is still in the history, for review.
		if h, _ := s.DraftHistory(ctx, r.iv.ID, cora, 1); len(h) != 2 || h[1].Text != "typed after the submit" {
			t.Fatalf("history %+v", h)
		}
		sub, err := s.SubmittedAnswers(ctx, r.iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprint([]store.AnswerKey{{CandidateID: cora, Position: 1}, {CandidateID: dan, Position: 1}}); fmt.Sprint(sortKeys(sub)) != want {
			t.Fatalf("submitted %v, want %s", sub, want)
		}
		// Submitting again replaces the submission.
		submit(t, s, r.iv.ID, cora, 1, "cora's second final", 11)
		if a := answerOf(t, s, r.iv.ID, cora, 1); a.Text != "cora's second final" || a.Version != 11 {
			t.Fatalf("resubmit %+v", a)
		}

		// Pushing the question again reopens it: drafts count again.
		q, err := s.CreateQuestion(ctx, bank.Question{Technology: "Go", Level: bank.Beginner, Prompt: "Reopened?", Answer: "yes"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.InRoom(ctx, r.iv.ID, func(rt *store.RoomTx) error {
			if _, err := rt.AppendPlanned(ctx, store.PlanItem{QuestionID: q.ID}); err != nil {
				return err
			}
			_, err := rt.PushQuestion(ctx, 1, nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		saveDrafts(t, s, d(cora, 12, "reworked"))
		if a := answerOf(t, s, r.iv.ID, cora, 1); a.Text != "reworked" || a.Submitted != 0 || a.Version != 12 {
			t.Fatalf("after reopen %+v", a)
		}
		if sub, _ := s.SubmittedAnswers(ctx, r.iv.ID); len(sub) != 0 {
			t.Fatalf("still submitted after reopen: %v", sub)
		}
		// A submission in an interview that does not exist is refused.
		if _, err := s.InRoom(ctx, 9999, func(rt *store.RoomTx) error { return rt.SubmitAnswer(ctx, cora, 1, "x", 1) }); err == nil {
			t.Fatal("submitted to an unknown interview")
		}
	})
}

func sortKeys(ks []store.AnswerKey) []store.AnswerKey {
	out := slices.Clone(ks)
	slices.SortFunc(out, func(a, b store.AnswerKey) int {
		return cmp.Or(cmp.Compare(a.CandidateID, b.CandidateID), cmp.Compare(a.Position, b.Position))
	})
	return out
}
