package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
)

// The reviews list: candidates of ended interviews, filtered, sorted and
// paged in SQL over review_entries (migration 00009). What scorecards show
// is decided by the blind-panel gate (internal/review); the list's SQL
// filters and sorts by scores only where that gate would let the viewer
// see submitted scorecards (scoresVisible), so neither a filter nor an
// order tells a viewer what the gate hides.

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
	ViewerParticipantID int64 `db:"-"`
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

// reviewFrom is the list's FROM clause: one table, review_entries (e),
// one row per candidate of an ended interview.
const reviewFrom = ` FROM review_entries e`

// panelOf is SQL for the interviews whose panel user ? sits on.
const panelOf = `SELECT interview_id FROM participants WHERE user_id = ? AND role = 'interviewer' AND revoked_at IS NULL`

// scoresVisible is SQL that is true where the gate lets the viewer see the
// submitted scorecards of candidate e, and its arguments: reviewers always;
// admins and interviewers unless they sit on the panel and have not
// submitted their own scorecard for that candidate (blind_users).
func scoresVisible(sc ReviewScope) (string, []any) {
	if sc.Role == RoleReviewer {
		return `1 = 1`, nil
	}
	return `e.blind_users NOT LIKE ?`, []any{"%," + strconv.FormatInt(sc.UserID, 10) + ",%"}
}

// reviewWhere builds the WHERE clause and its arguments.
func (s *Store) reviewWhere(sc ReviewScope, f ReviewFilter) (string, []any, error) {
	conds := []string{`1 = 1`}
	var args []any
	if sc.Role == RoleInterviewer {
		conds = append(conds, `e.interview_id IN (`+panelOf+`)`)
		args = append(args, sc.UserID)
	} else if sc.Role != RoleAdmin && sc.Role != RoleReviewer {
		return "", nil, fmt.Errorf("store: reviews for role %q: %w", sc.Role, ErrNotFound)
	}
	if f.From != nil {
		conds = append(conds, `e.ended_at >= ?`)
		args = append(args, f.From.UTC())
	}
	if f.To != nil {
		conds = append(conds, `e.ended_at < ?`)
		args = append(args, f.To.UTC())
	}
	if f.InterviewerID != 0 {
		conds = append(conds, `e.interview_id IN (`+panelOf+`)`)
		args = append(args, f.InterviewerID)
	}
	if f.Technology != "" {
		conds = append(conds, `e.interview_id IN (SELECT interview_id FROM interview_questions WHERE technology = ?)`)
		args = append(args, f.Technology)
	}
	if c, a := s.reviewSearchCond(f.Query); c != "" {
		conds = append(conds, c)
		args = append(args, a...)
	}
	if f.Recommendation != "" {
		col, ok := recColumns[f.Recommendation]
		if !ok {
			return "", nil, invalid("recommendation must be one of %s", strings.Join(Recommendations, ", "))
		}
		vis, vargs := scoresVisible(sc)
		conds = append(conds, `e.`+col+` > 0`, vis)
		args = append(args, vargs...)
	}
	if f.Awaiting {
		conds = append(conds, `e.blind_users <> ''`)
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args, nil
}

// reviewSearchCond is where the list's search differs by dialect, as the
// question bank's does (searchCond): every word is a case-insensitive
// substring of the candidate's name or email or the interview's title.
// SQLite serves words of three or more characters from the FTS5 trigram
// index; PostgreSQL matches the lowered search column with LIKE, served by
// pg_trgm.
func (s *Store) reviewSearchCond(query string) (string, []any) {
	words := strings.Fields(query)
	if len(words) > 8 {
		words = words[:8]
	}
	var conds, match []string
	var args []any
	for _, w := range words {
		if s.dialect == SQLite && utf8.RuneCountInString(w) >= 3 {
			match = append(match, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
			continue
		}
		conds = append(conds, `e.search LIKE lower(?) ESCAPE '\'`)
		args = append(args, "%"+likeEscaper.Replace(w)+"%")
	}
	if len(match) > 0 {
		conds = append(conds, `e.candidate_id IN (SELECT rowid FROM review_entries_fts WHERE review_entries_fts MATCH ?)`)
		args = append(args, strings.Join(match, " AND "))
	}
	return strings.Join(conds, " AND "), args
}

var recColumns = map[string]string{"strong_no": "rec_strong_no", "no": "rec_no", "yes": "rec_yes", "strong_yes": "rec_strong_yes"}

// reviewOrder is the ORDER BY of a sort and its arguments; every order
// ends on unique keys, so pages never overlap.
func reviewOrder(sc ReviewScope, f ReviewFilter) (string, []any, error) {
	if f.Dir != "" && f.Dir != "asc" && f.Dir != "desc" {
		return "", nil, invalid("dir must be asc or desc")
	}
	dir := func(natural string) string {
		if f.Dir == "" {
			return natural
		}
		return strings.ToUpper(f.Dir)
	}
	// Ties break on the interview and the candidate in the same direction,
	// so each sort walks its index (migration 00009).
	switch f.Sort {
	case "", ReviewSortEnded:
		d := dir("DESC")
		return ` ORDER BY e.ended_at ` + d + `, e.interview_id ` + d + `, e.candidate_id ` + d, nil, nil
	case ReviewSortTitle:
		d := dir("ASC")
		return ` ORDER BY e.title_key ` + d + `, e.interview_id ` + d + `, e.candidate_id ` + d, nil, nil
	case ReviewSortCandidate:
		d := dir("ASC")
		return ` ORDER BY e.name_key ` + d + `, e.candidate_id ` + d, nil, nil
	case ReviewSortMean:
		// Highest first; candidates without a score the viewer may see
		// come last either way.
		d := dir("DESC")
		mean, vargs := `e.mean`, []any(nil)
		if sc.Role != RoleReviewer {
			var vis string
			vis, vargs = scoresVisible(sc)
			mean = `CASE WHEN ` + vis + ` THEN e.mean END`
		}
		return ` ORDER BY ` + mean + ` ` + d + ` NULLS LAST, e.ended_at ` + d + `, e.interview_id ` + d + `, e.candidate_id ` + d, vargs, nil
	case ReviewSortSubmitted:
		d := dir("DESC")
		return ` ORDER BY e.submitted ` + d + `, e.ended_at ` + d + `, e.interview_id ` + d + `, e.candidate_id ` + d, nil, nil
	}
	return "", nil, invalid("sort must be one of %s", strings.Join(ReviewSorts, ", "))
}

// ListReviews returns a page of the reviews list for the viewer in sc.
func (s *Store) ListReviews(ctx context.Context, sc ReviewScope, f ReviewFilter) (ReviewPage, error) {
	where, args, err := s.reviewWhere(sc, f)
	if err != nil {
		return ReviewPage{}, err
	}
	order, oargs, err := reviewOrder(sc, f)
	if err != nil {
		return ReviewPage{}, err
	}
	page := ReviewPage{Rows: []ReviewRow{}}
	if err := s.r.GetContext(ctx, &page.Total, s.q(`SELECT count(*)`+reviewFrom+where), args...); err != nil {
		return page, fmt.Errorf("store: count reviews: %w", err)
	}
	if f.Limit <= 0 || page.Total <= f.Offset {
		return page, nil
	}
	args = append(append(args, oargs...), f.Limit, f.Offset)
	err = s.r.SelectContext(ctx, &page.Rows, s.q(`SELECT e.interview_id, e.title, e.ended_at, e.candidate_id, e.candidate_name,
		e.candidate_email, e.submitted`+reviewFrom+where+order+` LIMIT ? OFFSET ?`), args...)
	if err != nil {
		return page, fmt.Errorf("store: list reviews: %w", err)
	}
	// The viewer's panel rows in the page's interviews, for the gate.
	ivs := make([]int64, 0, len(page.Rows))
	for _, r := range page.Rows {
		ivs = append(ivs, r.InterviewID)
	}
	var mine []struct {
		InterviewID int64 `db:"interview_id"`
		ID          int64 `db:"id"`
	}
	q, qargs, err := sqlx.In(`SELECT interview_id, id FROM participants WHERE user_id = ? AND role = 'interviewer' AND revoked_at IS NULL
		AND interview_id IN (?)`, sc.UserID, ivs)
	if err != nil {
		return page, err
	}
	if err := s.r.SelectContext(ctx, &mine, s.q(q), qargs...); err != nil {
		return page, fmt.Errorf("store: the viewer's panel rows: %w", err)
	}
	pid := make(map[int64]int64, len(mine))
	for _, m := range mine {
		pid[m.InterviewID] = m.ID
	}
	for i := range page.Rows {
		page.Rows[i].ViewerParticipantID = pid[page.Rows[i].InterviewID]
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
	if err := s.r.SelectContext(ctx, &out, `SELECT DISTINCT q.technology FROM interview_questions q
		WHERE NOT EXISTS (SELECT 1 FROM interviews i WHERE i.id = q.interview_id AND i.practice = 1) ORDER BY q.technology`); err != nil {
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

// entriesInsert writes the review_entries rows of one interview (and, with
// the optional condition added, of one candidate); %s is the dialect's
// string aggregate (userList). Migration 00009 fills the table with the
// same query.
const entriesInsert = `INSERT INTO review_entries (candidate_id, interview_id, ended_at, title, candidate_name, candidate_email, search,
	title_key, name_key, submitted, score_sum, score_n, mean, rec_strong_no, rec_no, rec_yes, rec_strong_yes, blind_users)
SELECT c.id, i.id, i.ended_at, i.title, c.name, c.email, lower(c.name || ' ' || c.email || ' ' || i.title), lower(i.title), lower(c.name),
	coalesce(sm.submitted, 0), coalesce(sm.score_sum, 0), coalesce(sm.score_n, 0),
	CASE WHEN sm.score_n > 0 THEN sm.score_sum * 1.0 / sm.score_n END,
	coalesce(sm.rec_strong_no, 0), coalesce(sm.rec_no, 0), coalesce(sm.rec_yes, 0), coalesce(sm.rec_strong_yes, 0),
	coalesce((SELECT ',' || %s || ',' FROM participants ap WHERE ap.interview_id = i.id AND ap.role = 'interviewer'
		AND ap.revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM scorecards s WHERE s.interview_id = i.id AND s.candidate_id = c.id
		AND s.author_id = ap.id AND s.status = 'submitted')), '')
FROM participants c
JOIN interviews i ON i.id = c.interview_id
LEFT JOIN (SELECT sc.candidate_id, count(DISTINCT sc.id) AS submitted, coalesce(sum(ss.score), 0) AS score_sum, count(ss.score) AS score_n,
		count(DISTINCT CASE WHEN sc.recommendation = 'strong_no' THEN sc.id END) AS rec_strong_no,
		count(DISTINCT CASE WHEN sc.recommendation = 'no' THEN sc.id END) AS rec_no,
		count(DISTINCT CASE WHEN sc.recommendation = 'yes' THEN sc.id END) AS rec_yes,
		count(DISTINCT CASE WHEN sc.recommendation = 'strong_yes' THEN sc.id END) AS rec_strong_yes
	FROM scorecards sc LEFT JOIN scorecard_scores ss ON ss.scorecard_id = sc.id
	WHERE sc.interview_id = ? AND sc.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM scorecards nx WHERE nx.interview_id = sc.interview_id
		AND nx.candidate_id = sc.candidate_id AND nx.author_id = sc.author_id AND nx.status = 'submitted' AND nx.version > sc.version)
	GROUP BY sc.candidate_id) sm ON sm.candidate_id = c.id
WHERE i.id = ? AND i.status = 'ended' AND i.practice = 0 AND c.role = 'candidate'`

// userList is SQL aggregating the panel rows' user ids with commas: the
// one place where the entries' SQL differs by dialect.
func (s *Store) userList() string {
	if s.dialect == Postgres {
		return `string_agg(ap.user_id::text, ',')`
	}
	return `group_concat(ap.user_id, ',')`
}

// refreshReviewEntries rewrites the review_entries rows of an interview
// (of one candidate when candidateID is not 0) inside the transaction of
// the change: nothing when the interview has not ended.
func (s *Store) refreshReviewEntries(ctx context.Context, tx sqlx.ExecerContext, interviewID, candidateID int64) error {
	del, ins, args := `DELETE FROM review_entries WHERE interview_id = ?`, fmt.Sprintf(entriesInsert, s.userList()), []any{interviewID, interviewID}
	delArgs := []any{interviewID}
	if candidateID != 0 {
		del += ` AND candidate_id = ?`
		ins += ` AND c.id = ?`
		delArgs = append(delArgs, candidateID)
		args = append(args, candidateID)
	}
	if _, err := tx.ExecContext(ctx, s.q(del), delArgs...); err != nil {
		return fmt.Errorf("store: refresh review entries: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q(ins), args...); err != nil {
		return fmt.Errorf("store: refresh review entries: %w", err)
	}
	return nil
}
