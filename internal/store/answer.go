package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Draft is one received version of a candidate's answer text.
type Draft struct {
	InterviewID int64     `db:"interview_id"`
	CandidateID int64     `db:"candidate_id"`
	Position    int       `db:"position"`
	Version     int64     `db:"version"`
	Text        string    `db:"text"`
	ReceivedAt  time.Time `db:"received_at"`
}

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

// draftRows is how many drafts go in one INSERT (7 parameters each, well
// under both dialects' parameter limits).
const draftRows = 400

// SaveDrafts stores a batch of drafts in one transaction, many rows per
// statement, and moves each answer forward to its newest version. Drafts are
// kept out of the seq counter: 200 typists must not queue on one row lock.
func (s *Store) SaveDrafts(ctx context.Context, ds []Draft) error {
	if len(ds) == 0 {
		return nil
	}
	latest := map[[3]int64]Draft{}
	for _, d := range ds {
		k := [3]int64{d.InterviewID, d.CandidateID, int64(d.Position)}
		if cur, ok := latest[k]; !ok || d.Version >= cur.Version {
			latest[k] = d
		}
	}
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		for start := 0; start < len(ds); start += draftRows {
			chunk := ds[start:min(start+draftRows, len(ds))]
			var sb strings.Builder
			args := make([]any, 0, 6*len(chunk))
			sb.WriteString(`INSERT INTO drafts (interview_id, candidate_id, position, version, text, received_at) VALUES `)
			for i, d := range chunk {
				if i > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("(?, ?, ?, ?, ?, ?)")
				args = append(args, d.InterviewID, d.CandidateID, d.Position, d.Version, d.Text, d.ReceivedAt)
			}
			if _, err := tx.ExecContext(ctx, s.q(sb.String()), args...); err != nil {
				return err
			}
		}
		var sb strings.Builder
		args := make([]any, 0, 6*len(latest))
		sb.WriteString(`INSERT INTO answers (interview_id, candidate_id, position, text, version, updated_at) VALUES `)
		i := 0
		for _, d := range latest {
			if i > 0 {
				sb.WriteString(", ")
			}
			i++
			sb.WriteString("(?, ?, ?, ?, ?, ?)")
			args = append(args, d.InterviewID, d.CandidateID, d.Position, d.Text, d.Version, d.ReceivedAt)
		}
		// A newer version wins; an older one arriving late changes nothing,
		// and a submitted answer changes only by another submission (a draft
		// may have been queued before the submit committed).
		sb.WriteString(` ON CONFLICT (interview_id, candidate_id, position) DO UPDATE SET text = excluded.text,
			version = excluded.version, updated_at = excluded.updated_at
			WHERE answers.version < excluded.version AND answers.submitted = 0`)
		_, err := tx.ExecContext(ctx, s.q(sb.String()), args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save %d drafts: %w", len(ds), err)
	}
	return nil
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

// DraftHistory returns a candidate's stored drafts of one question, oldest first.
func (s *Store) DraftHistory(ctx context.Context, interviewID, candidateID int64, position int) ([]Draft, error) {
	ds := []Draft{}
	err := s.r.SelectContext(ctx, &ds, s.q(`SELECT interview_id, candidate_id, position, version, text, received_at FROM drafts
		WHERE interview_id = ? AND candidate_id = ? AND position = ? ORDER BY id`), interviewID, candidateID, position)
	if err != nil {
		return nil, fmt.Errorf("store: drafts: %w", err)
	}
	return ds, nil
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
