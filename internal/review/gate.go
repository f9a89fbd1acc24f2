// Package review is what staff read about a recorded interview: the
// blind-panel gate over scorecards, the per-candidate report and each
// candidate's replay (replay.go). Pages, the API and exports all take
// scorecards through VisibleScorecards.
package review

import "github.com/ace-interviews/ace/internal/store"

// Kind is how a viewer stands towards an interview's scorecards.
type Kind int

const (
	// Nobody sees no scorecard: candidates, anonymous visitors, staff who
	// may not open the interview.
	Nobody Kind = iota
	// Panel is an interviewer (or an admin) on the interview's panel: an
	// author, blind to the others' scorecards for a candidate until they
	// have submitted their own.
	Panel
	// Overseer is a reviewer, or an admin who is not on the panel: they see
	// every submitted scorecard and never a draft.
	Overseer
)

// Viewer is who is looking.
type Viewer struct {
	Kind          Kind
	UserID        int64
	ParticipantID int64 // the viewer's participant id, on the panel only
	// Admin: an admin may join the panel at any time (by scoring, or by
	// opening the console), so what they were shown counts for them too.
	Admin bool
}

// ViewerFor decides the viewer from the staff user (nil when there is
// none) and their participant row in the interview (nil when they have
// none). A reviewer is an overseer even with a stale panel row: they change
// nothing and author nothing.
func ViewerFor(u *store.User, p *store.Participant) Viewer {
	switch {
	case u == nil:
		return Viewer{}
	case u.Role == store.RoleReviewer:
		return Viewer{Kind: Overseer, UserID: u.ID}
	case p != nil && p.Role == store.PartInterviewer:
		return Viewer{Kind: Panel, UserID: u.ID, ParticipantID: p.ID, Admin: u.Role == store.RoleAdmin}
	case u.Role == store.RoleAdmin:
		return Viewer{Kind: Overseer, UserID: u.ID, Admin: true}
	}
	return Viewer{}
}

// VisibleScorecards is the one blind-panel gate: the versions of all that
// v may see. An author sees their own versions, drafts included; another
// author's only once submitted, and only after v has submitted their own
// scorecard for that candidate. Overseers see submitted versions only.
// all must hold every scorecard of the candidates concerned (the viewer's
// own among them), as store.Scorecards returns.
func VisibleScorecards(all []store.Scorecard, v Viewer) []store.Scorecard {
	var submitted map[int64]bool
	if v.Kind == Panel {
		submitted = map[int64]bool{}
		for _, sc := range all {
			if sc.AuthorID == v.ParticipantID && sc.Submitted() {
				submitted[sc.CandidateID] = true
			}
		}
	}
	out := []store.Scorecard{}
	for _, sc := range all {
		if Visible(sc, v, submitted[sc.CandidateID]) {
			out = append(out, sc)
		}
	}
	return out
}

// Visible decides one scorecard version for v; viewerSubmitted says whether
// v has submitted their own scorecard for that candidate.
func Visible(sc store.Scorecard, v Viewer, viewerSubmitted bool) bool {
	switch v.Kind {
	case Panel:
		if sc.AuthorID == v.ParticipantID {
			return true
		}
		return sc.Submitted() && viewerSubmitted
	case Overseer:
		return sc.Submitted()
	}
	return false
}

// OthersShown lists the candidates for whom visible (the gate's answer for
// v) holds another author's scorecard: once shown, v has seen the panel,
// and an amendment v makes later is marked as changed after seeing it.
func OthersShown(visible []store.Scorecard, v Viewer) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, sc := range visible {
		if sc.AuthorID != v.ParticipantID && !seen[sc.CandidateID] {
			seen[sc.CandidateID] = true
			out = append(out, sc.CandidateID)
		}
	}
	return out
}

// MayWrite reports whether v writes, or may come to write, scorecards: then
// being shown the panel matters for what they submit later.
func (v Viewer) MayWrite() bool { return v.Kind == Panel || v.Admin }
