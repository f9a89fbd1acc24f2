package review

import (
	"slices"

	"github.com/ace-interviews/ace/internal/store"
)

// ListInput is one page of the reviews list as the store returns it, with
// what the page shows of each row's interview and candidate.
type ListInput struct {
	Rows         []store.ReviewRow
	Panels       []store.PanelMember         // of the rows' interviews
	Technologies []store.InterviewTechnology // of the rows' interviews
	Scorecards   []store.Scorecard           // every version of the rows' candidates
}

// ListItem is one candidate of the reviews list as the viewer may see it.
type ListItem struct {
	store.ReviewRow
	Technologies []string
	Interviewers []string // the panel's names
	// Submitted of Panel interviewers have submitted a scorecard (the panel
	// is who sits on it now, and anyone removed since who had submitted).
	Submitted, Panel int
	// Mean is over every score of the scorecards the gate shows (nil: none).
	Mean *float64
	// Recommendations counts the shown scorecards' verdicts, one entry per
	// store.Recommendations value that occurs, strongest "no" first.
	Recommendations []RecCount
	// Hidden counts submitted scorecards the gate keeps from the viewer.
	Hidden int
	// SeenPanel: the viewer writes (or may come to write) scorecards and is
	// shown another author's here, which is recorded as for the report.
	SeenPanel bool
}

// RecCount is how many shown scorecards recommend one verdict.
type RecCount struct {
	Recommendation string
	N              int
}

// Has reports whether a shown scorecard recommends rec.
func (it ListItem) Has(rec string) bool {
	return slices.ContainsFunc(it.Recommendations, func(r RecCount) bool { return r.Recommendation == rec })
}

// List shapes a page of the reviews list for u: each row's scorecards go
// through VisibleScorecards with the viewer u is in that row's interview.
func List(in ListInput, u *store.User) []ListItem {
	byCand := map[int64][]store.Scorecard{}
	for _, sc := range in.Scorecards {
		byCand[sc.CandidateID] = append(byCand[sc.CandidateID], sc)
	}
	panels := map[int64][]store.PanelMember{}
	for _, p := range in.Panels {
		panels[p.InterviewID] = append(panels[p.InterviewID], p)
	}
	techs := map[int64][]string{}
	for _, t := range in.Technologies {
		techs[t.InterviewID] = append(techs[t.InterviewID], t.Technology)
	}
	out := make([]ListItem, 0, len(in.Rows))
	for _, row := range in.Rows {
		var p *store.Participant
		if row.ViewerParticipantID != 0 {
			p = &store.Participant{ID: row.ViewerParticipantID, InterviewID: row.InterviewID, Role: store.PartInterviewer}
		}
		v := ViewerFor(u, p)
		all := byCand[row.CandidateID]
		it := ListItem{ReviewRow: row, Technologies: techs[row.InterviewID], Interviewers: []string{}, Recommendations: []RecCount{}}
		if it.Technologies == nil {
			it.Technologies = []string{}
		}
		submitted := map[int64]bool{}
		for _, sc := range all {
			if sc.Submitted() {
				submitted[sc.AuthorID] = true
			}
		}
		it.Submitted = len(submitted)
		for _, m := range panels[row.InterviewID] {
			if m.RevokedAt == nil {
				it.Interviewers = append(it.Interviewers, m.Name)
			}
			if m.RevokedAt == nil || submitted[m.ParticipantID] {
				it.Panel++
			}
		}
		visible := VisibleScorecards(all, v)
		cs, _ := cards(visible, row.CandidateID, v)
		it.SeenPanel = v.MayWrite() && len(OthersShown(visible, v)) > 0
		it.Hidden = it.Submitted - len(cs)
		it.Mean, it.Recommendations = summarise(cs)
		out = append(out, it)
	}
	return out
}

// summarise is the mean of every score on the cards and their verdicts.
func summarise(cs []Card) (*float64, []RecCount) {
	var sum, n int
	count := map[string]int{}
	for _, c := range cs {
		for _, s := range c.Scores {
			if s.Score != nil {
				sum += *s.Score
				n++
			}
		}
		count[c.Recommendation]++
	}
	recs := []RecCount{}
	for _, r := range store.Recommendations {
		if count[r] > 0 {
			recs = append(recs, RecCount{Recommendation: r, N: count[r]})
		}
	}
	if n == 0 {
		return nil, recs
	}
	mean := float64(sum) / float64(n)
	return &mean, recs
}
