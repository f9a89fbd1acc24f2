package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
)

// Scorecard statuses: a draft is the author's working copy; a submitted
// version is locked, and changing it later makes a new version (an amendment).
const (
	ScorecardDraft     = "draft"
	ScorecardSubmitted = "submitted"
)

// Recommendations are the overall verdicts, strongest "no" first. There is
// deliberately no neutral one.
var Recommendations = []string{"strong_no", "no", "yes", "strong_yes"}

// Scorecard limits.
const (
	MaxScorecardSummary = 10000
	MaxScoreComment     = 5000
	MinScore, MaxScore  = 1, 4
)

// Scorecard sentinels, for the web layer to answer with a clear conflict.
var (
	// ErrScorecardLocked: the scorecard is submitted and no amendment is open.
	ErrScorecardLocked = errors.New("the scorecard is submitted: amend it to change it")
	// ErrAlreadySubmitted: there is no draft to submit.
	ErrAlreadySubmitted = errors.New("the scorecard is already submitted: amend it to change it")
	// ErrNotSubmitted: only a submitted scorecard can be amended.
	ErrNotSubmitted = errors.New("the scorecard has not been submitted yet: edit the draft instead")
)

// InvalidError is input the store refuses; its message is for the user.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalid(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

// Score is the rubric score (nil: not assessed) and comment on one pushed question.
type Score struct {
	ScorecardID int64  `db:"scorecard_id" json:"-"`
	Position    int    `db:"position" json:"position"`
	Score       *int   `db:"score" json:"score"`
	Comment     string `db:"comment" json:"comment"`
}

// Scorecard is one version of an interviewer's scorecard for one candidate.
// CandidateID and AuthorID are participant ids.
type Scorecard struct {
	ID             int64      `db:"id" json:"id"`
	InterviewID    int64      `db:"interview_id" json:"-"`
	CandidateID    int64      `db:"candidate_id" json:"candidate_id"`
	AuthorID       int64      `db:"author_id" json:"author_id"`
	AuthorName     string     `db:"author_name" json:"author_name"`
	Version        int        `db:"version" json:"version"`
	Status         string     `db:"status" json:"status"`
	Recommendation string     `db:"recommendation" json:"recommendation"`
	Summary        string     `db:"summary" json:"summary"`
	SeenPanel      bool       `db:"seen_panel" json:"seen_panel"`
	CreatedAt      time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt      time.Time  `db:"updated_at" json:"updated_at"`
	SubmittedAt    *time.Time `db:"submitted_at" json:"submitted_at"`
	Scores         []Score    `db:"-" json:"scores"`
}

// Submitted reports whether this version is locked.
func (sc Scorecard) Submitted() bool { return sc.Status == ScorecardSubmitted }

// Amendment reports whether this version changes an earlier submitted one.
func (sc Scorecard) Amendment() bool { return sc.Version > 1 }

// ScoreAt returns the score on the question at position, if there is one.
func (sc Scorecard) ScoreAt(position int) (Score, bool) {
	for _, s := range sc.Scores {
		if s.Position == position {
			return s, true
		}
	}
	return Score{}, false
}

// ScorecardKey names one author's scorecard for one candidate of an interview.
type ScorecardKey struct {
	InterviewID, CandidateID, AuthorID int64
}

// ScorecardInput is what an author writes into their working copy.
type ScorecardInput struct {
	Recommendation string
	Summary        string
	Scores         []Score
}

// ValidRecommendation reports whether r is one of Recommendations.
func ValidRecommendation(r string) bool { return slices.Contains(Recommendations, r) }

// ValidateScorecard checks a draft's content without the database: a
// recommendation that is empty (not chosen yet) or one of Recommendations,
// a bounded summary, and each score 1–4 or nil on a distinct position.
func ValidateScorecard(in ScorecardInput) error {
	if in.Recommendation != "" && !ValidRecommendation(in.Recommendation) {
		return invalid("recommendation must be one of %s (or empty in a draft)", strings.Join(Recommendations, ", "))
	}
	if n := utf8.RuneCountInString(in.Summary); n > MaxScorecardSummary {
		return invalid("the summary holds at most %d characters (this one has %d)", MaxScorecardSummary, n)
	}
	if len(in.Scores) > 500 {
		return invalid("at most 500 scores")
	}
	seen := map[int]bool{}
	for _, s := range in.Scores {
		switch {
		case s.Position < 1:
			return invalid("each score needs the position of a question (1 or more)")
		case seen[s.Position]:
			return invalid("question %d is scored twice", s.Position)
		case s.Score != nil && (*s.Score < MinScore || *s.Score > MaxScore):
			return invalid("question %d: the score must be 1 to 4, or null for not assessed", s.Position)
		case utf8.RuneCountInString(s.Comment) > MaxScoreComment:
			return invalid("question %d: a comment holds at most %d characters", s.Position, MaxScoreComment)
		}
		seen[s.Position] = true
	}
	return nil
}

// validateFinal is what submitting adds: a recommendation and a summary.
func validateFinal(sc Scorecard) error {
	switch {
	case sc.Recommendation == "":
		return invalid("choose a recommendation before submitting (strong no, no, yes or strong yes)")
	case strings.TrimSpace(sc.Summary) == "":
		return invalid("write a summary before submitting")
	}
	return nil
}

// sqlTx is the room transaction's SQL handle, for the scorecard steps below.
func (rt *RoomTx) sqlTx() *sqlx.Tx { return rt.tx }

const scorecardCols = `sc.id, sc.interview_id, sc.candidate_id, sc.author_id, p.name AS author_name, sc.version, sc.status,
	sc.recommendation, sc.summary, sc.seen_panel, sc.created_at, sc.updated_at, sc.submitted_at`

const scorecardFrom = ` FROM scorecards sc JOIN participants p ON p.id = sc.author_id`

// lockCandidate takes the candidate's row lock, so writes to the scorecards
// of one candidate are serialised, and checks that the candidate belongs
// to the interview (ErrNotFound otherwise).
func (s *Store) lockCandidate(ctx context.Context, tx *sqlx.Tx, k ScorecardKey) error {
	res, err := tx.ExecContext(ctx, s.q(`UPDATE participants SET role = role WHERE id = ? AND interview_id = ? AND role = ?`),
		k.CandidateID, k.InterviewID, PartCandidate)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("candidate %d: %w", k.CandidateID, ErrNotFound)
	}
	return nil
}

// latestScorecard returns the author's newest version (nil when there is none).
func (s *Store) latestScorecard(ctx context.Context, q sqlx.QueryerContext, k ScorecardKey) (*Scorecard, error) {
	var sc Scorecard
	err := sqlx.GetContext(ctx, q, &sc, s.q(`SELECT `+scorecardCols+scorecardFrom+`
		WHERE sc.interview_id = ? AND sc.candidate_id = ? AND sc.author_id = ? ORDER BY sc.version DESC LIMIT 1`),
		k.InterviewID, k.CandidateID, k.AuthorID)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, err
	}
	if err := sqlx.SelectContext(ctx, q, &sc.Scores, s.q(`SELECT scorecard_id, position, score, comment FROM scorecard_scores
		WHERE scorecard_id = ? ORDER BY position`), sc.ID); err != nil {
		return nil, err
	}
	return &sc, nil
}

// checkPositions refuses scores on questions that were never asked: not
// pushed, or, in a self-paced exam (which asks every planned question once
// it starts), not planned or before the start.
func (s *Store) checkPositions(ctx context.Context, tx *sqlx.Tx, interviewID int64, scores []Score) error {
	if len(scores) == 0 {
		return nil
	}
	var asked []int
	if err := tx.SelectContext(ctx, &asked, s.q(`SELECT q.position FROM interview_questions q JOIN interviews i ON i.id = q.interview_id
		WHERE q.interview_id = ? AND (q.pushed_at IS NOT NULL OR (i.pacing = ? AND i.status <> ?))`),
		interviewID, PacingSelfPaced, StatusScheduled); err != nil {
		return err
	}
	for _, sc := range scores {
		if !slices.Contains(asked, sc.Position) {
			return invalid("question %d has not been asked in this interview", sc.Position)
		}
	}
	return nil
}

// putScores replaces a version's scores.
func (s *Store) putScores(ctx context.Context, tx *sqlx.Tx, id int64, scores []Score) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM scorecard_scores WHERE scorecard_id = ?`), id); err != nil {
		return err
	}
	if len(scores) == 0 {
		return nil
	}
	var sb strings.Builder
	args := make([]any, 0, 4*len(scores))
	sb.WriteString(`INSERT INTO scorecard_scores (scorecard_id, position, score, comment) VALUES `)
	for i, sc := range scores {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, ?)")
		var score any
		if sc.Score != nil {
			score = *sc.Score
		}
		args = append(args, id, sc.Position, score, sc.Comment)
	}
	_, err := tx.ExecContext(ctx, s.q(sb.String()), args...)
	return err
}

// insertVersion adds a draft version of the author's scorecard and returns its id.
func (s *Store) insertVersion(ctx context.Context, tx *sqlx.Tx, k ScorecardKey, version int, in ScorecardInput, now time.Time) (int64, error) {
	var id int64
	err := tx.GetContext(ctx, &id, s.q(`INSERT INTO scorecards (interview_id, candidate_id, author_id, version, status, recommendation, summary, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		k.InterviewID, k.CandidateID, k.AuthorID, version, ScorecardDraft, in.Recommendation, in.Summary, now, now)
	if err != nil {
		return 0, err
	}
	return id, s.putScores(ctx, tx, id, in.Scores)
}

// SaveScorecardDraft writes the author's working copy: the first version's
// draft, or the open amendment's. A submitted scorecard with no amendment
// open is locked (ErrScorecardLocked); a score on a question that was
// never pushed is an *InvalidError, and nothing changes.
func (s *Store) SaveScorecardDraft(ctx context.Context, k ScorecardKey, in ScorecardInput) (Scorecard, error) {
	if err := ValidateScorecard(in); err != nil {
		return Scorecard{}, err
	}
	var out *Scorecard
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		if err := s.lockCandidate(ctx, tx, k); err != nil {
			return err
		}
		if err := s.checkPositions(ctx, tx, k.InterviewID, in.Scores); err != nil {
			return err
		}
		cur, err := s.latestScorecard(ctx, tx, k)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		switch {
		case cur == nil:
			if _, err := s.insertVersion(ctx, tx, k, 1, in, now); err != nil {
				return err
			}
		case cur.Submitted():
			return ErrScorecardLocked
		default:
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE scorecards SET recommendation = ?, summary = ?, updated_at = ? WHERE id = ?`),
				in.Recommendation, in.Summary, now, cur.ID); err != nil {
				return err
			}
			if err := s.putScores(ctx, tx, cur.ID, in.Scores); err != nil {
				return err
			}
		}
		out, err = s.latestScorecard(ctx, tx, k)
		return err
	})
	if err != nil {
		return Scorecard{}, fmt.Errorf("store: save scorecard draft: %w", err)
	}
	return *out, nil
}

// ScorecardSubmittedData is the data of the scorecard.submitted transcript
// event. It carries no score, comment or recommendation: interviewers who
// have not submitted their own scorecard receive it too.
type ScorecardSubmittedData struct {
	CandidateID int64 `json:"candidate_id"`
	AuthorID    int64 `json:"author_id"`
	Version     int   `json:"version"`
	Amended     bool  `json:"amended"`
}

// SubmitScorecard validates and locks the author's draft (a recommendation
// and a summary are required) and appends scorecard.submitted (staff only)
// to the transcript in the same transaction, so a submission and its event
// exist together or not at all. It returns the submitted version and the
// stored events, for the caller to publish to the room. A version is marked
// SeenPanel when the author had been shown others' scorecards for this
// candidate before submitting it.
func (s *Store) SubmitScorecard(ctx context.Context, k ScorecardKey) (Scorecard, []Event, error) {
	var out *Scorecard
	evs, err := s.InRoom(ctx, k.InterviewID, func(rt *RoomTx) error {
		tx := rt.sqlTx()
		if err := s.lockCandidate(ctx, tx, k); err != nil {
			return err
		}
		cur, err := s.latestScorecard(ctx, tx, k)
		if err != nil {
			return err
		}
		if cur == nil {
			return validateFinal(Scorecard{})
		}
		if cur.Submitted() {
			return ErrAlreadySubmitted
		}
		if err := validateFinal(*cur); err != nil {
			return err
		}
		var seen int
		if err := tx.GetContext(ctx, &seen, s.q(`SELECT count(*) FROM scorecard_panel_seen ps JOIN participants p ON p.user_id = ps.user_id
			WHERE ps.interview_id = ? AND ps.candidate_id = ? AND p.id = ? AND ps.seen_at <= ?`),
			k.InterviewID, k.CandidateID, k.AuthorID, rt.Now); err != nil {
			return err
		}
		seenPanel := 0
		if seen > 0 {
			seenPanel = 1
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE scorecards SET status = ?, submitted_at = ?, updated_at = ?, seen_panel = ? WHERE id = ?`),
			ScorecardSubmitted, rt.Now, rt.Now, seenPanel, cur.ID); err != nil {
			return err
		}
		if err := s.refreshReviewEntries(ctx, tx, k.InterviewID, k.CandidateID); err != nil {
			return err
		}
		if err := rt.Append("scorecard.submitted", k.AuthorID, AudienceStaff,
			ScorecardSubmittedData{CandidateID: k.CandidateID, AuthorID: k.AuthorID, Version: cur.Version, Amended: cur.Amendment()}); err != nil {
			return err
		}
		out, err = s.latestScorecard(ctx, tx, k)
		return err
	})
	if err != nil {
		return Scorecard{}, nil, fmt.Errorf("store: submit scorecard: %w", err)
	}
	return *out, evs, nil
}

// AmendScorecard opens an amendment: a new draft version copied from the
// last submitted one, which stays as it is. With an amendment already open
// it returns that draft; before the first submission it is ErrNotSubmitted.
func (s *Store) AmendScorecard(ctx context.Context, k ScorecardKey) (Scorecard, error) {
	var out *Scorecard
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		if err := s.lockCandidate(ctx, tx, k); err != nil {
			return err
		}
		cur, err := s.latestScorecard(ctx, tx, k)
		if err != nil {
			return err
		}
		switch {
		case cur == nil || (!cur.Submitted() && cur.Version == 1):
			return ErrNotSubmitted
		case !cur.Submitted():
			out = cur
			return nil
		}
		in := ScorecardInput{Recommendation: cur.Recommendation, Summary: cur.Summary, Scores: cur.Scores}
		if _, err := s.insertVersion(ctx, tx, k, cur.Version+1, in, time.Now().UTC()); err != nil {
			return err
		}
		out, err = s.latestScorecard(ctx, tx, k)
		return err
	})
	if err != nil {
		return Scorecard{}, fmt.Errorf("store: amend scorecard: %w", err)
	}
	return *out, nil
}

// OwnScorecard returns the author's newest version for a candidate, and
// false when they have written none.
func (s *Store) OwnScorecard(ctx context.Context, k ScorecardKey) (Scorecard, bool, error) {
	sc, err := s.latestScorecard(ctx, s.r, k)
	if err != nil {
		return Scorecard{}, false, fmt.Errorf("store: own scorecard: %w", err)
	}
	if sc == nil {
		return Scorecard{}, false, nil
	}
	return *sc, true, nil
}

// Scorecards returns every version of every scorecard of an interview,
// drafts included, by candidate, author and version. Callers show them
// only through the blind-panel gate (review.VisibleScorecards).
func (s *Store) Scorecards(ctx context.Context, interviewID int64) ([]Scorecard, error) {
	scs := []Scorecard{}
	if err := s.r.SelectContext(ctx, &scs, s.q(`SELECT `+scorecardCols+scorecardFrom+`
		WHERE sc.interview_id = ? ORDER BY sc.candidate_id, sc.author_id, sc.version`), interviewID); err != nil {
		return nil, fmt.Errorf("store: scorecards: %w", err)
	}
	var scores []Score
	if err := s.r.SelectContext(ctx, &scores, s.q(`SELECT ss.scorecard_id, ss.position, ss.score, ss.comment FROM scorecard_scores ss
		JOIN scorecards sc ON sc.id = ss.scorecard_id WHERE sc.interview_id = ? ORDER BY ss.scorecard_id, ss.position`), interviewID); err != nil {
		return nil, fmt.Errorf("store: scorecard scores: %w", err)
	}
	byID := make(map[int64]int, len(scs))
	for i := range scs {
		byID[scs[i].ID] = i
		scs[i].Scores = []Score{}
	}
	for _, sc := range scores {
		if i, ok := byID[sc.ScorecardID]; ok {
			scs[i].Scores = append(scs[i].Scores, sc)
		}
	}
	return scs, nil
}

// MarkPanelSeen records that a staff user was shown other interviewers'
// scorecards for these candidates (the first time counts).
func (s *Store) MarkPanelSeen(ctx context.Context, interviewID, userID int64, candidateIDs []int64) error {
	if len(candidateIDs) == 0 || userID == 0 {
		return nil
	}
	var sb strings.Builder
	args := make([]any, 0, 4*len(candidateIDs))
	sb.WriteString(`INSERT INTO scorecard_panel_seen (interview_id, candidate_id, user_id, seen_at) VALUES `)
	// Milliseconds, as the room's clock (RoomTx.Now) that a submit compares
	// it with: seen and submitted in one millisecond is seen before.
	now := time.Now().UTC().Truncate(time.Millisecond)
	for i, cid := range candidateIDs {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, ?)")
		args = append(args, interviewID, cid, userID, now)
	}
	sb.WriteString(` ON CONFLICT (interview_id, candidate_id, user_id) DO NOTHING`)
	if _, err := s.w.ExecContext(ctx, s.q(sb.String()), args...); err != nil {
		return fmt.Errorf("store: mark panel seen: %w", err)
	}
	return nil
}

// AllEvents returns an interview's whole transcript in seq order, read in pages.
func (s *Store) AllEvents(ctx context.Context, interviewID int64) ([]Event, error) {
	var all []Event
	var after int64
	for {
		evs, err := s.EventsAfter(ctx, interviewID, after, 5000)
		if err != nil {
			return nil, err
		}
		all = append(all, evs...)
		if len(evs) < 5000 {
			return all, nil
		}
		after = evs[len(evs)-1].Seq
	}
}
