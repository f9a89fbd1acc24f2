package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ace-interviews/ace/internal/bank"
)

// Practice attempts (issue 11): a self-paced interview of one anonymous
// candidate ("Practice") with no creator and no panel, marked practice so
// no staff list shows it. Its questions come from the public bank only:
// CreatePractice copies a question only while it is public, whoever picked it.

// Practice time modes: each question's suggested limit, or one limit for
// the whole exam.
const (
	PracticeSuggested = "suggested"
	PracticeExam      = "exam"
)

// Self-ratings of a practice answer.
const (
	RatingMissed = "missed"
	RatingPartly = "partly"
	RatingGot    = "got"
)

// PracticeCandidateName is the name of every practice attempt's candidate.
const PracticeCandidateName = "Practice"

// PracticeAttempt is one attempt's own row.
type PracticeAttempt struct {
	InterviewID   int64     `db:"interview_id"`
	HolderHash    string    `db:"holder_hash"`
	Technology    string    `db:"technology"`
	Level         string    `db:"level"` // "" for mixed levels
	QuestionCount int       `db:"question_count"`
	TimeMode      string    `db:"time_mode"`
	ShareToken    *string   `db:"share_token"`
	ClientAddr    string    `db:"client_addr"`
	CreatedAt     time.Time `db:"created_at"`
	LastActiveAt  time.Time `db:"last_active_at"`
}

const practiceCols = `interview_id, holder_hash, technology, level, question_count, time_mode, share_token, client_addr, created_at, last_active_at`

// NewPractice is what CreatePractice stores.
type NewPractice struct {
	Technology     string
	Level          string
	TimeMode       string
	ExamTimeLimitS int // PracticeExam only
	QuestionIDs    []int64
	HolderHash     string // SHA-256 of the holder's cookie
	TokenHash      string // the candidate's own token hash (unique, never handed out)
	ClientAddr     string
}

// PracticeQuestionIDs lists the public questions of a technology (and
// level, unless empty) to draw an attempt from, in the listing order
// (beginner first): ids only, read from the public listing index.
func (s *Store) PracticeQuestionIDs(ctx context.Context, technology, level string) ([]int64, error) {
	ids := []int64{}
	q, args := `SELECT id FROM questions WHERE `+visibilityCond(bank.Public)+` AND technology = ?`, []any{technology}
	if level != "" {
		q += ` AND level = ?`
		args = append(args, level)
	}
	if err := s.r.SelectContext(ctx, &ids, s.q(q+questionOrder), args...); err != nil {
		return nil, fmt.Errorf("store: practice questions: %w", err)
	}
	return ids, nil
}

// CreatePractice stores an attempt and its planned questions in one
// transaction. Each question is copied only if it is public at that moment:
// ErrNotFound names one that is not (or no longer) there, and nothing is
// stored. In PracticeExam mode the questions carry no limit of their own.
func (s *Store) CreatePractice(ctx context.Context, in NewPractice) (Interview, Participant, error) {
	var id, pid int64
	now := time.Now().UTC()
	suggested := in.TimeMode == PracticeSuggested
	exam := 0
	if !suggested {
		exam = in.ExamTimeLimitS
	}
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &id, s.q(`INSERT INTO interviews (title, pacing, exam_time_limit_s, created_at, practice) VALUES (?, ?, ?, ?, 1) RETURNING id`),
			"Practice: "+in.Technology, PacingSelfPaced, exam, now); err != nil {
			return err
		}
		for i, qid := range in.QuestionIDs {
			res, err := tx.ExecContext(ctx, s.q(`INSERT INTO interview_questions (interview_id, position, question_id, technology, level, prompt, answer, time_limit_s)
				SELECT ?, ?, id, technology, level, prompt, answer, CASE WHEN ? = 1 THEN time_limit_s ELSE 0 END
				FROM questions WHERE id = ? AND `+visibilityCond(bank.Public)), id, i+1, b2i(suggested), qid)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("public question %d: %w", qid, ErrNotFound)
			}
		}
		if err := tx.GetContext(ctx, &pid, s.q(`INSERT INTO participants (interview_id, role, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
			id, PartCandidate, PracticeCandidateName, in.TokenHash, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO practice_attempts (interview_id, holder_hash, technology, level, question_count, time_mode, client_addr, created_at, last_active_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), id, in.HolderHash, in.Technology, in.Level, len(in.QuestionIDs), in.TimeMode, in.ClientAddr, now, now)
		return err
	})
	if err != nil {
		return Interview{}, Participant{}, fmt.Errorf("store: create practice attempt: %w", err)
	}
	iv, err := s.GetInterview(ctx, id)
	if err != nil {
		return iv, Participant{}, err
	}
	p, err := s.ParticipantByID(ctx, pid)
	return iv, p, err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// GetPractice returns an attempt's row, or ErrNotFound (also for an
// interview that is no practice attempt).
func (s *Store) GetPractice(ctx context.Context, interviewID int64) (PracticeAttempt, error) {
	var a PracticeAttempt
	if err := s.r.GetContext(ctx, &a, s.q(`SELECT `+practiceCols+` FROM practice_attempts WHERE interview_id = ?`), interviewID); err != nil {
		return a, fmt.Errorf("store: practice attempt %d: %w", interviewID, notFound(err))
	}
	return a, nil
}

// PracticeByShareToken returns the attempt a share link opens, or ErrNotFound.
func (s *Store) PracticeByShareToken(ctx context.Context, token string) (PracticeAttempt, error) {
	var a PracticeAttempt
	if err := s.r.GetContext(ctx, &a, s.q(`SELECT `+practiceCols+` FROM practice_attempts WHERE share_token = ?`), token); err != nil {
		return a, fmt.Errorf("store: shared practice attempt: %w", notFound(err))
	}
	return a, nil
}

// TouchPractice records that the holder opened the attempt: the purge
// measures abandonment from here.
func (s *Store) TouchPractice(ctx context.Context, interviewID int64) error {
	if _, err := s.w.ExecContext(ctx, s.q(`UPDATE practice_attempts SET last_active_at = ? WHERE interview_id = ?`), time.Now().UTC(), interviewID); err != nil {
		return fmt.Errorf("store: touch practice attempt: %w", err)
	}
	return nil
}

// SetPracticeShare sets (token non-empty) or removes (empty) an attempt's share link.
func (s *Store) SetPracticeShare(ctx context.Context, interviewID int64, token string) error {
	var v any
	if token != "" {
		v = token
	}
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE practice_attempts SET share_token = ?, last_active_at = ? WHERE interview_id = ?`), v, time.Now().UTC(), interviewID)
	if err != nil {
		return fmt.Errorf("store: share practice attempt: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: share practice attempt %d: %w", interviewID, ErrNotFound)
	}
	return nil
}

// RatePractice stores the taker's self-rating of the question at position
// (replacing an earlier one); ErrNotFound for a position the attempt lacks.
func (s *Store) RatePractice(ctx context.Context, interviewID int64, position int, rating string) error {
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		var qid *int64
		if err := tx.GetContext(ctx, &qid, s.q(`SELECT question_id FROM interview_questions WHERE interview_id = ? AND position = ?`), interviewID, position); err != nil {
			return notFound(err)
		}
		var bankID int64
		if qid != nil {
			bankID = *qid
		}
		now := time.Now().UTC()
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO practice_ratings (interview_id, position, question_id, rating, rated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (interview_id, position) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at`),
			interviewID, position, bankID, rating, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE practice_attempts SET last_active_at = ? WHERE interview_id = ?`), now, interviewID)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: rate practice question %d: %w", position, err)
	}
	return nil
}

// PracticeRatings returns an attempt's self-ratings by position.
func (s *Store) PracticeRatings(ctx context.Context, interviewID int64) (map[int]string, error) {
	var rows []struct {
		Position int    `db:"position"`
		Rating   string `db:"rating"`
	}
	if err := s.r.SelectContext(ctx, &rows, s.q(`SELECT position, rating FROM practice_ratings WHERE interview_id = ?`), interviewID); err != nil {
		return nil, fmt.Errorf("store: practice ratings: %w", err)
	}
	out := make(map[int]string, len(rows))
	for _, r := range rows {
		out[r.Position] = r.Rating
	}
	return out, nil
}

// MissStat is how practice takers rated one bank question: Missed of Rated.
type MissStat struct {
	QuestionID int64 `db:"question_id"`
	Rated      int   `db:"rated"`
	Missed     int   `db:"missed"`
}

// PracticeMissStats returns the rating counts of the questions asked for
// (those never rated are absent). Ratings of purged attempts still count.
func (s *Store) PracticeMissStats(ctx context.Context, questionIDs []int64) (map[int64]MissStat, error) {
	out := make(map[int64]MissStat, len(questionIDs))
	if len(questionIDs) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT question_id, count(*) AS rated, sum(CASE WHEN rating = 'missed' THEN 1 ELSE 0 END) AS missed
		FROM practice_ratings WHERE question_id IN (?) GROUP BY question_id`, questionIDs)
	if err != nil {
		return nil, err
	}
	var rows []MissStat
	if err := s.r.SelectContext(ctx, &rows, s.q(q), args...); err != nil {
		return nil, fmt.Errorf("store: practice miss stats: %w", err)
	}
	for _, r := range rows {
		out[r.QuestionID] = r
	}
	return out, nil
}

// CountPracticeStart counts a new attempt from addr in a fixed window and
// returns the count, this one included.
func (s *Store) CountPracticeStart(ctx context.Context, addr string, window time.Duration) (int, error) {
	now := time.Now().UnixMilli()
	expired := now - window.Milliseconds()
	var n int
	err := s.w.GetContext(ctx, &n, s.q(`INSERT INTO practice_throttle (addr, attempts, window_start) VALUES (?, 1, ?)
		ON CONFLICT (addr) DO UPDATE SET
			attempts = CASE WHEN practice_throttle.window_start <= ? THEN 1 ELSE practice_throttle.attempts + 1 END,
			window_start = CASE WHEN practice_throttle.window_start <= ? THEN excluded.window_start ELSE practice_throttle.window_start END
		RETURNING attempts`), addr, now, expired, expired)
	if err != nil {
		return 0, fmt.Errorf("store: count practice start: %w", err)
	}
	return n, nil
}

// purgeBatch bounds one purge transaction, so a large purge never holds
// the writer for long.
const purgeBatch = 500

// PurgePractice deletes the attempts whose holder has not opened them
// since before (everything of theirs goes with the interview; their
// ratings stay, detached) and the throttle counters whose window began
// before windowBefore. It returns how many attempts it deleted.
func (s *Store) PurgePractice(ctx context.Context, before, windowBefore time.Time) (int, error) {
	total := 0
	for {
		res, err := s.w.ExecContext(ctx, s.q(`DELETE FROM interviews WHERE practice = 1 AND id IN
			(SELECT interview_id FROM practice_attempts WHERE last_active_at < ? ORDER BY last_active_at LIMIT ?)`), before.UTC(), purgeBatch)
		if err != nil {
			return total, fmt.Errorf("store: purge practice attempts: %w", err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
		if n < purgeBatch {
			break
		}
	}
	if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM practice_throttle WHERE window_start < ?`), windowBefore.UnixMilli()); err != nil {
		return total, fmt.Errorf("store: purge practice throttle: %w", err)
	}
	return total, nil
}

// PracticeQuestion is a planned question of an attempt; Withdrawn is set
// when its bank question has since been made private: practice pages show
// such a question's text to nobody.
type PracticeQuestion struct {
	PlannedQuestion
	Withdrawn bool `db:"withdrawn"`
}

// PracticeQuestions lists an attempt's questions by position.
func (s *Store) PracticeQuestions(ctx context.Context, interviewID int64) ([]PracticeQuestion, error) {
	qs := []PracticeQuestion{}
	err := s.r.SelectContext(ctx, &qs, s.q(`SELECT iq.interview_id, iq.position, iq.question_id, iq.technology, iq.level, iq.prompt, iq.answer, iq.time_limit_s, iq.pushed_at,
		CASE WHEN q.visibility = 'private' THEN 1 ELSE 0 END AS withdrawn
		FROM interview_questions iq LEFT JOIN questions q ON q.id = iq.question_id WHERE iq.interview_id = ? ORDER BY iq.position`), interviewID)
	if err != nil {
		return nil, fmt.Errorf("store: practice questions: %w", err)
	}
	return qs, nil
}
