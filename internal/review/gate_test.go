package review_test

import (
	"fmt"
	"testing"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

// Participants of the gate's tests: interviewers 1 (the viewer on the
// panel) and 2, candidates 10 and 11.
const (
	me, other  = int64(1), int64(2)
	candA      = int64(10)
	candB      = int64(11)
	meUser     = int64(100)
	reviewerID = int64(200)
)

func card(author, candidate int64, version int, status string) store.Scorecard {
	return store.Scorecard{ID: author*1000 + candidate*10 + int64(version), AuthorID: author, CandidateID: candidate, Version: version, Status: status,
		Recommendation: "yes", Summary: fmt.Sprintf("by %d on %d v%d", author, candidate, version)}
}

func TestViewerFor(t *testing.T) {
	onPanel := &store.Participant{ID: me, Role: store.PartInterviewer}
	asCandidate := &store.Participant{ID: candA, Role: store.PartCandidate}
	for _, c := range []struct {
		name string
		u    *store.User
		p    *store.Participant
		want review.Viewer
	}{
		{"anonymous", nil, nil, review.Viewer{}},
		{"candidate (no staff user)", nil, asCandidate, review.Viewer{}},
		{"reviewer", &store.User{ID: reviewerID, Role: store.RoleReviewer}, nil, review.Viewer{Kind: review.Overseer, UserID: reviewerID}},
		{"reviewer with a stale panel row", &store.User{ID: reviewerID, Role: store.RoleReviewer}, onPanel, review.Viewer{Kind: review.Overseer, UserID: reviewerID}},
		{"admin off the panel", &store.User{ID: 5, Role: store.RoleAdmin}, nil, review.Viewer{Kind: review.Overseer, UserID: 5, Admin: true}},
		{"admin on the panel", &store.User{ID: 5, Role: store.RoleAdmin}, onPanel, review.Viewer{Kind: review.Panel, UserID: 5, ParticipantID: me, Admin: true}},
		{"interviewer on the panel", &store.User{ID: meUser, Role: store.RoleInterviewer}, onPanel, review.Viewer{Kind: review.Panel, UserID: meUser, ParticipantID: me}},
		{"interviewer off the panel", &store.User{ID: meUser, Role: store.RoleInterviewer}, nil, review.Viewer{}},
	} {
		if got := review.ViewerFor(c.u, c.p); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestVisible covers every kind of viewer × draft/submitted × own/other's ×
// viewer submitted or not.
func TestVisible(t *testing.T) {
	panel := review.Viewer{Kind: review.Panel, UserID: meUser, ParticipantID: me}
	overseer := review.Viewer{Kind: review.Overseer, UserID: reviewerID}
	admin := review.Viewer{Kind: review.Overseer, UserID: 5, Admin: true}
	nobody := review.Viewer{}
	type row struct {
		viewer          string
		v               review.Viewer
		author          int64
		status          string
		viewerSubmitted bool
		want            bool
	}
	var rows []row
	for _, submittedOwn := range []bool{false, true} {
		rows = append(rows,
			row{"panel", panel, me, store.ScorecardDraft, submittedOwn, true},
			row{"panel", panel, me, store.ScorecardSubmitted, submittedOwn, true},
			row{"panel", panel, other, store.ScorecardDraft, submittedOwn, false},
			row{"panel", panel, other, store.ScorecardSubmitted, submittedOwn, submittedOwn},
		)
		for _, o := range []struct {
			name string
			v    review.Viewer
		}{{"reviewer", overseer}, {"admin off the panel", admin}} {
			for _, author := range []int64{me, other} {
				rows = append(rows,
					row{o.name, o.v, author, store.ScorecardDraft, submittedOwn, false},
					row{o.name, o.v, author, store.ScorecardSubmitted, submittedOwn, true})
			}
		}
		for _, author := range []int64{me, other} {
			for _, st := range []string{store.ScorecardDraft, store.ScorecardSubmitted} {
				rows = append(rows, row{"nobody", nobody, author, st, submittedOwn, false})
			}
		}
	}
	for _, r := range rows {
		sc := card(r.author, candA, 1, r.status)
		if got := review.Visible(sc, r.v, r.viewerSubmitted); got != r.want {
			t.Errorf("%s, author %d, %s, viewer submitted %v: visible %v, want %v", r.viewer, r.author, r.status, r.viewerSubmitted, got, r.want)
		}
	}
}

func summaries(scs []store.Scorecard) []string {
	out := []string{}
	for _, sc := range scs {
		out = append(out, sc.Summary)
	}
	return out
}

// TestVisibleScorecards: the gate over a whole interview decides "the viewer
// has submitted" per candidate from the scorecards themselves.
func TestVisibleScorecards(t *testing.T) {
	all := []store.Scorecard{
		card(me, candA, 1, store.ScorecardSubmitted), // I submitted for A ...
		card(me, candA, 2, store.ScorecardDraft),     // ... and am amending
		card(other, candA, 1, store.ScorecardSubmitted),
		card(other, candA, 2, store.ScorecardDraft), // the other's open amendment
		card(me, candB, 1, store.ScorecardDraft),    // for B I have only a draft
		card(other, candB, 1, store.ScorecardSubmitted),
	}
	cases := []struct {
		name  string
		v     review.Viewer
		want  []string
		shown []int64
	}{
		{"panel", review.Viewer{Kind: review.Panel, UserID: meUser, ParticipantID: me},
			[]string{"by 1 on 10 v1", "by 1 on 10 v2", "by 2 on 10 v1", "by 1 on 11 v1"}, []int64{candA}},
		{"the other interviewer", review.Viewer{Kind: review.Panel, ParticipantID: other},
			[]string{"by 1 on 10 v1", "by 2 on 10 v1", "by 2 on 10 v2", "by 2 on 11 v1"}, []int64{candA}},
		{"reviewer", review.Viewer{Kind: review.Overseer, UserID: reviewerID},
			[]string{"by 1 on 10 v1", "by 2 on 10 v1", "by 2 on 11 v1"}, []int64{candA, candB}},
		{"nobody", review.Viewer{}, []string{}, nil},
	}
	for _, c := range cases {
		got := review.VisibleScorecards(all, c.v)
		if fmt.Sprint(summaries(got)) != fmt.Sprint(c.want) {
			t.Errorf("%s sees %q, want %q", c.name, summaries(got), c.want)
		}
		if shown := review.OthersShown(got, c.v); fmt.Sprint(shown) != fmt.Sprint(c.shown) {
			t.Errorf("%s was shown others' scorecards for %v, want %v", c.name, shown, c.shown)
		}
	}
}
