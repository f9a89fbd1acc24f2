package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// The reviews list: candidates of ended interviews, filtered, sorted and
// paged in SQL. What scorecards show is decided by the blind-panel gate
// (internal/review); the list's SQL filters and sorts by scores only where
// that gate would let the viewer see submitted scorecards (scoresVisible),
// so neither a filter nor an order tells a viewer what the gate hides.

// Sorts of the reviews list.
const (
	ReviewSortEnded     = "ended"
	ReviewSortTitle     = "title"
	ReviewSortCandidate = "candidate"
	ReviewSortMean      = "mean"
	ReviewSortSubmitted = "submitted"
)

// ReviewSorts lists the sorts the list accepts.
var ReviewSorts = []string{ReviewSortEnded, ReviewSortTitle, ReviewSortCandidate, ReviewSortMean, ReviewSortSubmitted}

// ReviewScope is who lists: reviewers and admins see every interview,
// interviewers those whose panel they are on.
type ReviewScope struct {
	UserID int64
	Role   string
}

// ReviewFilter narrows and orders the reviews list.
type ReviewFilter struct {
	From, To       *time.Time // ended in [From, To)
	InterviewerID  int64      // a user on the panel
	Technology     string     // a planned question of this technology
	Recommendation string     // a visible current recommendation
	Awaiting       bool       // someone on the panel has not submitted for the candidate
	Query          string     // in the candidate's name or email or the interview's title
	Sort           string     // one of ReviewSorts ("" is ended)
	Dir            string     // "asc", "desc", or "" for the sort's natural order
	Limit, Offset  int
}

// ReviewRow is one candidate of an ended interview.
type ReviewRow struct {
	InterviewID    int64     `db:"interview_id"`
	Title          string    `db:"title"`
	EndedAt        time.Time `db:"ended_at"`
	CandidateID    int64     `db:"candidate_id"`
	CandidateName  string    `db:"candidate_name"`
	CandidateEmail string    `db:"candidate_email"`
	// ViewerParticipantID is the viewer's row on the panel (0: not on it),
	// for the gate's review.ViewerFor.
	ViewerParticipantID int64 `db:"viewer_pid"`
	// Submitted counts the authors who have submitted a scorecard for the
	// candidate: who submitted is known to the panel (scorecard.submitted),
	// what they wrote is not.
	Submitted int `db:"submitted"`
}

// ReviewPage is one page of the list and the number of rows in all pages.
type ReviewPage struct {
	Rows  []ReviewRow
	Total int
}

// reviewFrom is the list's FROM clause: the viewer's panel row (vp) and the
// candidate's summary (sm) joined to each candidate (c) of an interview (i).
const reviewFrom = ` FROM participants c
	JOIN interviews i ON i.id = c.interview_id
	LEFT JOIN participants vp ON vp.interview_id = c.interview_id AND vp.user_id = ? AND vp.role = 'interviewer' AND vp.revoked_at IS NULL
	LEFT JOIN scorecard_summaries sm ON sm.candidate_id = c.id`

// scoresVisible is SQL that is true where the gate lets the viewer see the
// submitted scorecards of candidate c: reviewers always, admins not on the
// panel always, panel members once they have submitted their own.
func scoresVisible(sc ReviewScope) string {
	if sc.Role == RoleReviewer {
		return `1 = 1`
	}
	return `(vp.id IS NULL OR EXISTS (SELECT 1 FROM scorecards vs WHERE vs.interview_id = c.interview_id
		AND vs.candidate_id = c.id AND vs.author_id = vp.id AND vs.status = 'submitted'))`
}

// reviewWhere builds the WHERE clause and its arguments (after the FROM's).
func reviewWhere(sc ReviewScope, f ReviewFilter) (string, []any, error) {
	conds := []string{`c.role = 'candidate'`, `i.status = 'ended'`}
	var args []any
	if sc.Role == RoleInterviewer {
		conds = append(conds, `vp.id IS NOT NULL`)
	} else if sc.Role != RoleAdmin && sc.Role != RoleReviewer {
		return "", nil, fmt.Errorf("store: reviews for role %q: %w", sc.Role, ErrNotFound)
	}
	if f.From != nil {
		conds = append(conds, `i.ended_at >= ?`)
		args = append(args, f.From.UTC())
	}
	if f.To != nil {
		conds = append(conds, `i.ended_at < ?`)
		args = append(args, f.To.UTC())
	}
	if f.InterviewerID != 0 {
		conds = append(conds, `EXISTS (SELECT 1 FROM participants ip WHERE ip.interview_id = i.id AND ip.user_id = ?
			AND ip.role = 'interviewer' AND ip.revoked_at IS NULL)`)
		args = append(args, f.InterviewerID)
	}
	if f.Technology != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM interview_questions iq WHERE iq.interview_id = i.id AND iq.technology = ?)`)
		args = append(args, f.Technology)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		pat := "%" + likeEscaper.Replace(strings.ToLower(q)) + "%"
		conds = append(conds, `(lower(c.name) LIKE ? ESCAPE '\' OR lower(c.email) LIKE ? ESCAPE '\' OR lower(i.title) LIKE ? ESCAPE '\')`)
		args = append(args, pat, pat, pat)
	}
	if f.Recommendation != "" {
		col, ok := recColumns[f.Recommendation]
		if !ok {
			return "", nil, invalid("recommendation must be one of %s", strings.Join(Recommendations, ", "))
		}
		conds = append(conds, `sm.`+col+` > 0 AND `+scoresVisible(sc))
	}
	if f.Awaiting {
		conds = append(conds, `EXISTS (SELECT 1 FROM participants ap WHERE ap.interview_id = c.interview_id AND ap.role = 'interviewer'
			AND ap.revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.interview_id = c.interview_id
			AND s.candidate_id = c.id AND s.author_id = ap.id AND s.status = 'submitted'))`)
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args, nil
}

var recColumns = map[string]string{"strong_no": "rec_strong_no", "no": "rec_no", "yes": "rec_yes", "strong_yes": "rec_strong_yes"}

// reviewOrder is the ORDER BY of a sort; every order ends on unique keys,
// so pages never overlap.
func reviewOrder(sc ReviewScope, f ReviewFilter) (string, error) {
	if f.Dir != "" && f.Dir != "asc" && f.Dir != "desc" {
		return "", invalid("dir must be asc or desc")
	}
	dir := func(natural string) string {
		if f.Dir == "" {
			return natural
		}
		return strings.ToUpper(f.Dir)
	}
	switch f.Sort {
	case "", ReviewSortEnded:
		d := dir("DESC")
		return ` ORDER BY i.ended_at ` + d + `, i.id ` + d + `, c.id`, nil
	case ReviewSortTitle:
		d := dir("ASC")
		return ` ORDER BY lower(i.title) ` + d + `, i.id ` + d + `, c.id`, nil
	case ReviewSortCandidate:
		d := dir("ASC")
		return ` ORDER BY lower(c.name) ` + d + `, c.id ` + d, nil
	case ReviewSortMean:
		// Highest first; candidates without a visible score last either way.
		mean := `CASE WHEN sm.score_n > 0 AND ` + scoresVisible(sc) + ` THEN sm.score_sum * 1.0 / sm.score_n END`
		return ` ORDER BY (` + mean + `) IS NULL, ` + mean + ` ` + dir("DESC") + `, i.ended_at DESC, i.id DESC, c.id`, nil
	case ReviewSortSubmitted:
		return ` ORDER BY coalesce(sm.submitted, 0) ` + dir("DESC") + `, i.ended_at DESC, i.id DESC, c.id`, nil
	}
	return "", invalid("sort must be one of %s", strings.Join(ReviewSorts, ", "))
}

// ListReviews returns a page of the reviews list for the viewer in sc.
func (s *Store) ListReviews(ctx context.Context, sc ReviewScope, f ReviewFilter) (ReviewPage, error) {
	where, wargs, err := reviewWhere(sc, f)
	if err != nil {
		return ReviewPage{}, err
	}
	order, err := reviewOrder(sc, f)
	if err != nil {
		return ReviewPage{}, err
	}
	args := append([]any{sc.UserID}, wargs...)
	page := ReviewPage{Rows: []ReviewRow{}}
	if err := s.r.GetContext(ctx, &page.Total, s.q(`SELECT count(*)`+reviewFrom+where), args...); err != nil {
		return page, fmt.Errorf("store: count reviews: %w", err)
	}
	if f.Limit <= 0 || page.Total <= f.Offset {
		return page, nil
	}
	err = s.r.SelectContext(ctx, &page.Rows, s.q(`SELECT i.id AS interview_id, i.title, i.ended_at, c.id AS candidate_id,
		c.name AS candidate_name, c.email AS candidate_email, coalesce(vp.id, 0) AS viewer_pid, coalesce(sm.submitted, 0) AS submitted`+
		reviewFrom+where+order+` LIMIT ? OFFSET ?`), append(args, f.Limit, f.Offset)...)
	if err != nil {
		return page, fmt.Errorf("store: list reviews: %w", err)
	}
	return page, nil
}

// PanelMember is an interviewer of an interview, for the lists and exports.
type PanelMember struct {
	InterviewID   int64      `db:"interview_id"`
	ParticipantID int64      `db:"id"`
	UserID        int64      `db:"user_id"`
	Name          string     `db:"name"`
	RevokedAt     *time.Time `db:"revoked_at"`
}

// Panels returns the interviewers of the interviews, removed ones included
// (they may have submitted), by interview and participant.
func (s *Store) Panels(ctx context.Context, interviewIDs []int64) ([]PanelMember, error) {
	out := []PanelMember{}
	if len(interviewIDs) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT interview_id, id, coalesce(user_id, 0) AS user_id, name, revoked_at FROM participants
		WHERE interview_id IN (?) AND role = 'interviewer' ORDER BY interview_id, id`, interviewIDs)
	if err != nil {
		return nil, err
	}
	if err := s.r.SelectContext(ctx, &out, s.q(q), args...); err != nil {
		return nil, fmt.Errorf("store: panels: %w", err)
	}
	return out, nil
}

// InterviewTechnology is one technology an interview's plan asks about.
type InterviewTechnology struct {
	InterviewID int64  `db:"interview_id"`
	Technology  string `db:"technology"`
}

// InterviewTechnologies returns the distinct technologies of the interviews' plans.
func (s *Store) InterviewTechnologies(ctx context.Context, interviewIDs []int64) ([]InterviewTechnology, error) {
	out := []InterviewTechnology{}
	if len(interviewIDs) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT DISTINCT interview_id, technology FROM interview_questions WHERE interview_id IN (?)
		ORDER BY interview_id, technology`, interviewIDs)
	if err != nil {
		return nil, err
	}
	if err := s.r.SelectContext(ctx, &out, s.q(q), args...); err != nil {
		return nil, fmt.Errorf("store: interview technologies: %w", err)
	}
	return out, nil
}

// ReviewTechnologies lists every technology asked in any interview, for
// the list's filter.
func (s *Store) ReviewTechnologies(ctx context.Context) ([]string, error) {
	out := []string{}
	if err := s.r.SelectContext(ctx, &out, `SELECT DISTINCT technology FROM interview_questions ORDER BY technology`); err != nil {
		return nil, fmt.Errorf("store: review technologies: %w", err)
	}
	return out, nil
}

// ScorecardsOfCandidates returns every version of every scorecard of the
// candidates (participant ids), drafts included, by candidate, author and
// version, as Scorecards does for one interview: callers show them only
// through the blind-panel gate.
func (s *Store) ScorecardsOfCandidates(ctx context.Context, candidateIDs []int64) ([]Scorecard, error) {
	scs := []Scorecard{}
	if len(candidateIDs) == 0 {
		return scs, nil
	}
	q, args, err := sqlx.In(`SELECT `+scorecardCols+scorecardFrom+` WHERE sc.candidate_id IN (?)
		ORDER BY sc.candidate_id, sc.author_id, sc.version`, candidateIDs)
	if err != nil {
		return nil, err
	}
	if err := s.r.SelectContext(ctx, &scs, s.q(q), args...); err != nil {
		return nil, fmt.Errorf("store: scorecards of candidates: %w", err)
	}
	if len(scs) == 0 {
		return scs, nil
	}
	ids := make([]int64, len(scs))
	byID := make(map[int64]int, len(scs))
	for i := range scs {
		ids[i] = scs[i].ID
		byID[scs[i].ID] = i
		scs[i].Scores = []Score{}
	}
	q, args, err = sqlx.In(`SELECT scorecard_id, position, score, comment FROM scorecard_scores WHERE scorecard_id IN (?)
		ORDER BY scorecard_id, position`, ids)
	if err != nil {
		return nil, err
	}
	var scores []Score
	if err := s.r.SelectContext(ctx, &scores, s.q(q), args...); err != nil {
		return nil, fmt.Errorf("store: scores of candidates: %w", err)
	}
	for _, sc := range scores {
		if i, ok := byID[sc.ScorecardID]; ok {
			scs[i].Scores = append(scs[i].Scores, sc)
		}
	}
	return scs, nil
}

// summarySelect computes scorecard_summaries rows from the newest
// submitted version of each author (the same query fills the table in
// migration 00009).
const summarySelect = `SELECT sc.candidate_id, sc.interview_id, count(DISTINCT sc.id), coalesce(sum(ss.score), 0), count(ss.score),
	count(DISTINCT CASE WHEN sc.recommendation = 'strong_no' THEN sc.id END),
	count(DISTINCT CASE WHEN sc.recommendation = 'no' THEN sc.id END),
	count(DISTINCT CASE WHEN sc.recommendation = 'yes' THEN sc.id END),
	count(DISTINCT CASE WHEN sc.recommendation = 'strong_yes' THEN sc.id END),
	max(sc.submitted_at)
FROM scorecards sc LEFT JOIN scorecard_scores ss ON ss.scorecard_id = sc.id
WHERE sc.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM scorecards nx WHERE nx.interview_id = sc.interview_id
	AND nx.candidate_id = sc.candidate_id AND nx.author_id = sc.author_id AND nx.status = 'submitted' AND nx.version > sc.version)`

// refreshSummary recomputes one candidate's scorecard summary inside a
// submission's transaction.
func (s *Store) refreshSummary(ctx context.Context, tx *sqlx.Tx, interviewID, candidateID int64) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM scorecard_summaries WHERE candidate_id = ?`), candidateID); err != nil {
		return fmt.Errorf("store: refresh summary: %w", err)
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO scorecard_summaries (candidate_id, interview_id, submitted, score_sum, score_n,
		rec_strong_no, rec_no, rec_yes, rec_strong_yes, last_submitted_at) `+summarySelect+`
		AND sc.interview_id = ? AND sc.candidate_id = ? GROUP BY sc.interview_id, sc.candidate_id`), interviewID, candidateID)
	if err != nil {
		return fmt.Errorf("store: refresh summary: %w", err)
	}
	return nil
}
