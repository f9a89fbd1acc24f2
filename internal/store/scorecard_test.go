package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// scoreFixture is an interview with two interviewers (ann, ben), one
// candidate and two planned questions, the first of them pushed.
type scoreFixture struct {
	s        *store.Store
	iv       store.Interview
	ann, ben store.Participant
	annUser  store.User
	cand     store.Participant
}

func newScoreFixture(t *testing.T, s *store.Store) scoreFixture {
	t.Helper()
	ctx := context.Background()
	ann, err := s.CreateUser(ctx, "ann@example.com", "Ann", store.RoleInterviewer, "h")
	if err != nil {
		t.Fatal(err)
	}
	ben, _ := s.CreateUser(ctx, "ben@example.com", "Ben", store.RoleInterviewer, "h")
	if _, err := s.ImportQuestions(ctx, []bank.Question{
		{Technology: "Go", Level: bank.Beginner, Prompt: "One?", Answer: "1", TimeLimitS: 60},
		{Technology: "Go", Level: bank.Beginner, Prompt: "Two?", Answer: "2", TimeLimitS: 60},
	}); err != nil {
		t.Fatal(err)
	}
	qs, _, err := s.ListQuestions(ctx, store.QuestionFilter{Limit: 10})
	if err != nil || len(qs) != 2 {
		t.Fatalf("questions %v %v", qs, err)
	}
	iv, ps, err := s.CreateInterview(ctx, store.NewInterview{Title: "t", CreatedBy: ann.ID, Panel: []int64{ann.ID, ben.ID},
		Questions:  []store.PlanItem{{QuestionID: qs[0].ID}, {QuestionID: qs[1].ID}},
		Candidates: []store.NewCandidate{{Name: "Cy", TokenHash: "x1"}}})
	if err != nil {
		t.Fatal(err)
	}
	f := scoreFixture{s: s, iv: iv, annUser: ann}
	for _, p := range ps {
		switch {
		case p.Role == store.PartCandidate:
			f.cand = p
		case *p.UserID == ann.ID:
			f.ann = p
		default:
			f.ben = p
		}
	}
	f.push(t, 1)
	return f
}

// push marks a planned question as pushed, as the room does.
func (f scoreFixture) push(t *testing.T, position int) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.s.InRoom(ctx, f.iv.ID, func(rt *store.RoomTx) error {
		_, err := rt.PushQuestion(ctx, position, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func (f scoreFixture) key(author store.Participant) store.ScorecardKey {
	return store.ScorecardKey{InterviewID: f.iv.ID, CandidateID: f.cand.ID, AuthorID: author.ID}
}

func intp(n int) *int { return &n }

func TestScorecardDraftSubmitAmend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newScoreFixture(t, s)
		k := f.key(f.ann)

		if _, ok, err := s.OwnScorecard(ctx, k); ok || err != nil {
			t.Fatalf("a scorecard before any was written: %v %v", ok, err)
		}
		// Submitting nothing says what is missing.
		var inv *store.InvalidError
		if _, _, err := s.SubmitScorecard(ctx, k); !errors.As(err, &inv) {
			t.Fatalf("submit of nothing: %v", err)
		}

		// A draft: no recommendation yet, one score, one not assessed.
		sc, err := s.SaveScorecardDraft(ctx, k, store.ScorecardInput{Summary: "so far", Scores: []store.Score{{Position: 1, Score: intp(3), Comment: "good"}}})
		if err != nil {
			t.Fatal(err)
		}
		if sc.Version != 1 || sc.Status != store.ScorecardDraft || len(sc.Scores) != 1 || *sc.Scores[0].Score != 3 || sc.AuthorName != "Ann" {
			t.Fatalf("draft %+v", sc)
		}
		// Saving again replaces the working copy (same version).
		sc, err = s.SaveScorecardDraft(ctx, k, store.ScorecardInput{Recommendation: "yes", Summary: "", Scores: []store.Score{{Position: 1, Comment: "not assessed"}}})
		if err != nil || sc.Version != 1 || sc.Scores[0].Score != nil || sc.Recommendation != "yes" {
			t.Fatalf("second save %+v %v", sc, err)
		}

		// Bad input changes nothing.
		for name, in := range map[string]store.ScorecardInput{
			"score 5":            {Recommendation: "yes", Scores: []store.Score{{Position: 1, Score: intp(5)}}},
			"score 0":            {Scores: []store.Score{{Position: 1, Score: intp(0)}}},
			"neutral":            {Recommendation: "maybe"},
			"unpushed question":  {Scores: []store.Score{{Position: 2, Score: intp(2)}}},
			"unplanned question": {Scores: []store.Score{{Position: 9, Score: intp(2)}}},
			"twice":              {Scores: []store.Score{{Position: 1}, {Position: 1}}},
		} {
			if _, err := s.SaveScorecardDraft(ctx, k, in); !errors.As(err, &inv) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if got, _, _ := s.OwnScorecard(ctx, k); got.Recommendation != "yes" || len(got.Scores) != 1 || got.Scores[0].Comment != "not assessed" {
			t.Fatalf("refused input changed the draft: %+v", got)
		}
		// Another interview's candidate, or no candidate at all.
		if _, err := s.SaveScorecardDraft(ctx, store.ScorecardKey{InterviewID: f.iv.ID, CandidateID: f.ann.ID, AuthorID: f.ann.ID}, store.ScorecardInput{}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("scoring an interviewer: %v", err)
		}

		// Submit needs a summary.
		if _, _, err := s.SubmitScorecard(ctx, k); !errors.As(err, &inv) {
			t.Fatalf("submit without a summary: %v", err)
		}
		if _, err := s.SaveScorecardDraft(ctx, k, store.ScorecardInput{Recommendation: "yes", Summary: "Solid.", Scores: []store.Score{{Position: 1, Score: intp(3), Comment: "clear"}}}); err != nil {
			t.Fatal(err)
		}
		sc, evs, err := s.SubmitScorecard(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if !sc.Submitted() || sc.SubmittedAt == nil || sc.Version != 1 || sc.SeenPanel {
			t.Fatalf("submitted %+v", sc)
		}
		if len(evs) != 1 || evs[0].Type != "scorecard.submitted" || evs[0].Audience != store.AudienceStaff || evs[0].ActorID != f.ann.ID {
			t.Fatalf("events %+v", evs)
		}
		var data map[string]any
		_ = json.Unmarshal(evs[0].Data, &data)
		if len(data) != 4 || data["candidate_id"] != float64(f.cand.ID) || data["version"] != float64(1) || data["amended"] != false {
			t.Fatalf("event data %s", evs[0].Data)
		}

		// Locked: no more drafts, no second submit.
		if _, err := s.SaveScorecardDraft(ctx, k, store.ScorecardInput{Recommendation: "no"}); !errors.Is(err, store.ErrScorecardLocked) {
			t.Fatalf("draft after submit: %v", err)
		}
		if _, _, err := s.SubmitScorecard(ctx, k); !errors.Is(err, store.ErrAlreadySubmitted) {
			t.Fatalf("second submit: %v", err)
		}
		if _, err := s.AmendScorecard(ctx, f.key(f.ben)); !errors.Is(err, store.ErrNotSubmitted) {
			t.Fatalf("amending nothing: %v", err)
		}

		// Ann is shown Ben's scorecard, then amends: version 2, marked.
		if err := s.MarkPanelSeen(ctx, f.iv.ID, f.annUser.ID, []int64{f.cand.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkPanelSeen(ctx, f.iv.ID, f.annUser.ID, []int64{f.cand.ID}); err != nil {
			t.Fatalf("seen twice: %v", err)
		}
		am, err := s.AmendScorecard(ctx, k)
		if err != nil || am.Version != 2 || am.Status != store.ScorecardDraft || am.Recommendation != "yes" || len(am.Scores) != 1 || *am.Scores[0].Score != 3 {
			t.Fatalf("amendment %+v %v", am, err)
		}
		if again, err := s.AmendScorecard(ctx, k); err != nil || again.ID != am.ID {
			t.Fatalf("amend twice: %+v %v", again, err)
		}
		f.push(t, 2)
		if _, err := s.SaveScorecardDraft(ctx, k, store.ScorecardInput{Recommendation: "strong_yes", Summary: "Better than I thought.",
			Scores: []store.Score{{Position: 1, Score: intp(4)}, {Position: 2, Score: intp(4)}}}); err != nil {
			t.Fatal(err)
		}
		v2, evs, err := s.SubmitScorecard(ctx, k)
		if err != nil || v2.Version != 2 || !v2.SeenPanel || !v2.Amendment() {
			t.Fatalf("amended %+v %v", v2, err)
		}
		if len(evs) != 1 || string(evs[0].Data) != `{"candidate_id":`+itoa(f.cand.ID)+`,"author_id":`+itoa(f.ann.ID)+`,"version":2,"amended":true}` {
			t.Fatalf("amend event %s", evs[0].Data)
		}

		// Every version is kept.
		all, err := s.Scorecards(ctx, f.iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all[0].Version != 1 || all[0].Recommendation != "yes" || len(all[0].Scores) != 1 || *all[0].Scores[0].Score != 3 ||
			all[1].Version != 2 || all[1].Recommendation != "strong_yes" || len(all[1].Scores) != 2 {
			t.Fatalf("versions %+v", all)
		}
		stored, _ := s.AllEvents(ctx, f.iv.ID)
		n := 0
		for _, e := range stored {
			if e.Type == "scorecard.submitted" {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("%d scorecard.submitted events stored", n)
		}
	})
}

func TestNotes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newScoreFixture(t, s)
		if err := s.SaveNote(ctx, f.iv.ID, f.ann.ID, f.cand.ID, 1, "talks <fast>"); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveNote(ctx, f.iv.ID, f.ben.ID, f.cand.ID, 1, ""); err != nil {
			t.Fatal(err)
		}
		ns, err := s.Notes(ctx, f.iv.ID)
		if err != nil || len(ns) != 2 || ns[0].AuthorID != f.ann.ID || ns[0].Text != "talks <fast>" || ns[0].Position != 1 {
			t.Fatalf("notes %+v %v", ns, err)
		}
	})
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
