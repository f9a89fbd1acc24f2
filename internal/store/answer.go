package store

import (
	"context"
	"fmt"
	"time"
)

// Answer is the answer that counts for one candidate and question.
type Answer struct {
	InterviewID int64     `db:"interview_id" json:"-"`
	CandidateID int64     `db:"candidate_id" json:"candidate_id"`
	Position    int       `db:"position" json:"position"`
	Text        string    `db:"text" json:"text"`
	Version     int64     `db:"version" json:"version"`
	Submitted   int       `db:"submitted" json:"submitted"`
	UpdatedAt   time.Time `db:"updated_at" json:"updated_at"`
}

// AnswerKey names one candidate's answer to one question.
type AnswerKey struct {
	CandidateID int64 `db:"candidate_id"`
	Position    int   `db:"position"`
}

// SubmittedAnswers returns which answers of an interview are submitted.
func (s *Store) SubmittedAnswers(ctx context.Context, interviewID int64) ([]AnswerKey, error) {
	ks := []AnswerKey{}
	if err := s.r.SelectContext(ctx, &ks, s.q(`SELECT candidate_id, position FROM answers WHERE interview_id = ? AND submitted = 1`), interviewID); err != nil {
		return nil, fmt.Errorf("store: submitted answers: %w", err)
	}
	return ks, nil
}

// Answers returns an interview's answers; candidateID 0 means every candidate's.
func (s *Store) Answers(ctx context.Context, interviewID, candidateID int64) ([]Answer, error) {
	as := []Answer{}
	q := `SELECT interview_id, candidate_id, position, text, version, submitted, updated_at FROM answers WHERE interview_id = ?`
	args := []any{interviewID}
	if candidateID != 0 {
		q += ` AND candidate_id = ?`
		args = append(args, candidateID)
	}
	if err := s.r.SelectContext(ctx, &as, s.q(q+` ORDER BY candidate_id, position`), args...); err != nil {
		return nil, fmt.Errorf("store: answers: %w", err)
	}
	return as, nil
}

// SaveNote stores an interviewer's private note.
func (s *Store) SaveNote(ctx context.Context, interviewID, authorID, candidateID int64, position int, text string) error {
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO notes (interview_id, author_id, candidate_id, position, text, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (interview_id, author_id, candidate_id, position) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`),
		interviewID, authorID, candidateID, position, text, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("store: save note: %w", err)
	}
	return nil
}

// Note is an interviewer's private note on a candidate (position 0: the
// candidate as a whole).
type Note struct {
	InterviewID int64     `db:"interview_id" json:"-"`
	AuthorID    int64     `db:"author_id" json:"author_id"`
	CandidateID int64     `db:"candidate_id" json:"candidate_id"`
	Position    int       `db:"position" json:"position"`
	Text        string    `db:"text" json:"text"`
	UpdatedAt   time.Time `db:"updated_at" json:"updated_at"`
}

// Notes returns every note of an interview, by candidate, position and author.
func (s *Store) Notes(ctx context.Context, interviewID int64) ([]Note, error) {
	ns := []Note{}
	err := s.r.SelectContext(ctx, &ns, s.q(`SELECT interview_id, author_id, candidate_id, position, text, updated_at FROM notes
		WHERE interview_id = ? ORDER BY candidate_id, position, author_id`), interviewID)
	if err != nil {
		return nil, fmt.Errorf("store: notes: %w", err)
	}
	return ns, nil
}
