package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Interview statuses.
const (
	StatusScheduled = "scheduled"
	StatusLive      = "live"
	StatusEnded     = "ended"
)

// Participant roles within one interview.
const (
	PartInterviewer = "interviewer"
	PartCandidate   = "candidate"
)

// MaxCandidates is the largest room (a group mock exam).
const MaxCandidates = 200

// Interview is a live session or exam.
type Interview struct {
	ID              int64  `db:"id" json:"id"`
	Title           string `db:"title" json:"title"`
	Status          string `db:"status" json:"status"`
	Pacing          string `db:"pacing" json:"pacing"`
	ExamTimeLimitS  int    `db:"exam_time_limit_s" json:"exam_time_limit_s"`
	LastSeq         int64  `db:"last_seq" json:"last_seq"`
	CurrentPosition int    `db:"current_position" json:"current_position"`
	// CreatedBy is the creating user's id; 0 for a practice attempt, which
	// has no creator.
	CreatedBy int64     `db:"created_by" json:"created_by"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	// EndedAt is when the interview moved to ended (nil before).
	EndedAt *time.Time `db:"ended_at" json:"ended_at"`
	// Practice marks a practice attempt (practice.go): never in a staff list.
	Practice bool `db:"practice" json:"-"`
}

// Participant is an interviewer or a candidate of one interview.
type Participant struct {
	ID          int64      `db:"id" json:"id"`
	InterviewID int64      `db:"interview_id" json:"-"`
	Role        string     `db:"role" json:"role"`
	UserID      *int64     `db:"user_id" json:"user_id,omitempty"`
	Name        string     `db:"name" json:"name"`
	Email       string     `db:"email" json:"email,omitempty"`
	TokenHash   *string    `db:"token_hash" json:"-"`
	RevokedAt   *time.Time `db:"revoked_at" json:"revoked_at,omitempty"`
	CreatedAt   time.Time  `db:"created_at" json:"-"`
	// The candidate's accommodation, added to each of their timers.
	ExtraTimePct int `db:"extra_time_pct" json:"extra_time_pct"`
	ExtraTimeS   int `db:"extra_time_s" json:"extra_time_s"`
	// Position is the question a self-paced candidate has open (0 before the first).
	Position int `db:"position" json:"position"`
}

// Pacing of an interview.
const (
	PacingPushed    = "pushed"
	PacingSelfPaced = "self_paced"
)

// ExtraMS is how much longer than baseMS one of the candidate's timers runs.
func (p Participant) ExtraMS(baseMS int64) int64 {
	return ExtraMS(baseMS, p.ExtraTimePct, p.ExtraTimeS)
}

// ExtraMS is the extra time an accommodation of pct percent plus s seconds
// adds to a timer of baseMS.
func ExtraMS(baseMS int64, pct, s int) int64 {
	return baseMS*int64(pct)/100 + int64(s)*1000
}

// PlannedQuestion is a question of an interview, copied from the bank.
type PlannedQuestion struct {
	InterviewID int64      `db:"interview_id" json:"-"`
	Position    int        `db:"position" json:"position"`
	QuestionID  *int64     `db:"question_id" json:"question_id,omitempty"`
	Technology  string     `db:"technology" json:"technology"`
	Level       string     `db:"level" json:"level"`
	Prompt      string     `db:"prompt" json:"prompt"`
	Answer      string     `db:"answer" json:"answer"`
	TimeLimitS  int        `db:"time_limit_s" json:"time_limit_s"`
	PushedAt    *time.Time `db:"pushed_at" json:"pushed_at,omitempty"`
}

// PlanItem asks for a bank question with a time limit (0 keeps the bank's suggestion).
type PlanItem struct {
	QuestionID int64
	TimeLimitS int
}

// NewCandidate is a candidate to invite; TokenHash is the hash of their invite token.
type NewCandidate struct {
	Name, Email, TokenHash   string
	ExtraTimePct, ExtraTimeS int
}

// NewInterview is everything CreateInterview stores at once.
type NewInterview struct {
	Title          string
	Pacing         string // PacingPushed when empty
	ExamTimeLimitS int
	CreatedBy      int64
	Questions      []PlanItem
	Candidates     []NewCandidate
	Panel          []int64 // user ids of the interviewers, the creator included
}

const plannedCols = `interview_id, position, question_id, technology, level, prompt, answer, time_limit_s, pushed_at`
const participantCols = `id, interview_id, role, user_id, name, email, token_hash, revoked_at, created_at, extra_time_pct, extra_time_s, position`
const interviewCols = `id, title, status, pacing, exam_time_limit_s, last_seq, current_position, COALESCE(created_by, 0) AS created_by, created_at, ended_at, practice`

// CreateInterview stores an interview, its planned questions (snapshots of
// the bank) and its participants in one transaction. ErrNotFound names a
// missing bank question.
func (s *Store) CreateInterview(ctx context.Context, in NewInterview) (Interview, []Participant, error) {
	var id int64
	now := time.Now().UTC()
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		pacing := in.Pacing
		if pacing == "" {
			pacing = PacingPushed
		}
		if err := tx.GetContext(ctx, &id, s.q(`INSERT INTO interviews (title, pacing, exam_time_limit_s, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`),
			in.Title, pacing, in.ExamTimeLimitS, nullID(in.CreatedBy), now); err != nil {
			return err
		}
		for i, p := range in.Questions {
			if err := s.addPlanned(ctx, tx, id, i+1, p); err != nil {
				return err
			}
		}
		for _, uid := range in.Panel {
			var u User
			if err := tx.GetContext(ctx, &u, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), uid); err != nil {
				return fmt.Errorf("interviewer %d: %w", uid, notFound(err))
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO participants (interview_id, role, user_id, name, email, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
				id, PartInterviewer, uid, u.Name, u.Email, now); err != nil {
				return err
			}
		}
		for _, c := range in.Candidates {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO participants (interview_id, role, name, email, token_hash, created_at, extra_time_pct, extra_time_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
				id, PartCandidate, c.Name, c.Email, c.TokenHash, now, c.ExtraTimePct, c.ExtraTimeS); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Interview{}, nil, fmt.Errorf("store: create interview: %w", err)
	}
	iv, err := s.GetInterview(ctx, id)
	if err != nil {
		return iv, nil, err
	}
	ps, err := s.Participants(ctx, id)
	return iv, ps, err
}

// nullID stores id 0 as NULL (no such row).
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// addPlanned copies bank question p into the interview at position.
func (s *Store) addPlanned(ctx context.Context, tx *sqlx.Tx, interviewID int64, position int, p PlanItem) error {
	var q Question
	if err := tx.GetContext(ctx, &q, s.q(`SELECT `+questionCols+` FROM questions WHERE id = ?`), p.QuestionID); err != nil {
		return fmt.Errorf("question %d: %w", p.QuestionID, notFound(err))
	}
	limit := p.TimeLimitS
	if limit == 0 {
		limit = q.TimeLimitS
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO interview_questions (interview_id, position, question_id, technology, level, prompt, answer, time_limit_s)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), interviewID, position, q.ID, q.Technology, q.Level, q.Prompt, q.Answer, limit)
	return err
}

// AppendPlanned adds a bank question at the end of the plan and returns its position.
func (s *Store) AppendPlanned(ctx context.Context, tx *sqlx.Tx, interviewID int64, p PlanItem) (int, error) {
	var pos int
	if err := tx.GetContext(ctx, &pos, s.q(`SELECT COALESCE(MAX(position), 0) + 1 FROM interview_questions WHERE interview_id = ?`), interviewID); err != nil {
		return 0, err
	}
	return pos, s.addPlanned(ctx, tx, interviewID, pos, p)
}

// GetInterview returns one interview or ErrNotFound.
func (s *Store) GetInterview(ctx context.Context, id int64) (Interview, error) {
	var iv Interview
	if err := s.r.GetContext(ctx, &iv, s.q(`SELECT `+interviewCols+` FROM interviews WHERE id = ?`), id); err != nil {
		return iv, fmt.Errorf("store: interview %d: %w", id, notFound(err))
	}
	return iv, nil
}

// ListInterviews returns the interviews a user may run, those whose panel
// they are on (all of them for admins and reviewers), newest first.
func (s *Store) ListInterviews(ctx context.Context, userID int64, all bool) ([]Interview, error) {
	ivs := []Interview{}
	var err error
	if all {
		err = s.r.SelectContext(ctx, &ivs, `SELECT `+interviewCols+` FROM interviews WHERE practice = 0 ORDER BY id DESC`)
	} else {
		// The panel decides, not who created it: a creator removed from the
		// panel no longer runs the interview.
		err = s.r.SelectContext(ctx, &ivs, s.q(`SELECT `+interviewCols+` FROM interviews
			WHERE practice = 0 AND id IN (SELECT interview_id FROM participants WHERE user_id = ? AND revoked_at IS NULL) ORDER BY id DESC`), userID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: list interviews: %w", err)
	}
	return ivs, nil
}

// Participants lists an interview's participants, interviewers first.
func (s *Store) Participants(ctx context.Context, interviewID int64) ([]Participant, error) {
	ps := []Participant{}
	err := s.r.SelectContext(ctx, &ps, s.q(`SELECT `+participantCols+` FROM participants WHERE interview_id = ? ORDER BY role DESC, id`), interviewID)
	if err != nil {
		return nil, fmt.Errorf("store: participants: %w", err)
	}
	return ps, nil
}

// PlannedQuestions lists an interview's questions by position.
func (s *Store) PlannedQuestions(ctx context.Context, interviewID int64) ([]PlannedQuestion, error) {
	qs := []PlannedQuestion{}
	err := s.r.SelectContext(ctx, &qs, s.q(`SELECT `+plannedCols+`
		FROM interview_questions WHERE interview_id = ? ORDER BY position`), interviewID)
	if err != nil {
		return nil, fmt.Errorf("store: planned questions: %w", err)
	}
	return qs, nil
}

// AddCandidates invites more candidates; ErrConflict past MaxCandidates.
func (s *Store) AddCandidates(ctx context.Context, interviewID int64, cs []NewCandidate) ([]Participant, error) {
	var ids []int64
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, s.q(`SELECT count(*) FROM interviews WHERE id = ?`), interviewID); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if err := tx.GetContext(ctx, &n, s.q(`SELECT count(*) FROM participants WHERE interview_id = ? AND role = ?`), interviewID, PartCandidate); err != nil {
			return err
		}
		if n+len(cs) > MaxCandidates {
			return fmt.Errorf("at most %d candidates per interview: %w", MaxCandidates, ErrConflict)
		}
		for _, c := range cs {
			var id int64
			if err := tx.GetContext(ctx, &id, s.q(`INSERT INTO participants (interview_id, role, name, email, token_hash, created_at, extra_time_pct, extra_time_s)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
				interviewID, PartCandidate, c.Name, c.Email, c.TokenHash, time.Now().UTC(), c.ExtraTimePct, c.ExtraTimeS); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return s.refreshReviewEntries(ctx, tx, interviewID, 0)
	})
	if err != nil {
		return nil, fmt.Errorf("store: add candidates: %w", err)
	}
	out := make([]Participant, 0, len(ids))
	for _, id := range ids {
		p, err := s.ParticipantByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// RevokeInvite revokes a candidate's invite; ErrNotFound if no such candidate.
func (s *Store) RevokeInvite(ctx context.Context, interviewID, candidateID int64) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE participants SET revoked_at = ? WHERE id = ? AND interview_id = ? AND role = ? AND revoked_at IS NULL`),
		time.Now().UTC(), candidateID, interviewID, PartCandidate)
	if err != nil {
		return fmt.Errorf("store: revoke invite: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var exists int
		_ = s.w.GetContext(ctx, &exists, s.q(`SELECT count(*) FROM participants WHERE id = ? AND interview_id = ? AND role = ?`), candidateID, interviewID, PartCandidate)
		if exists == 0 {
			return fmt.Errorf("store: revoke invite: %w", ErrNotFound)
		}
	}
	return nil
}

// ParticipantByID returns one participant or ErrNotFound.
func (s *Store) ParticipantByID(ctx context.Context, id int64) (Participant, error) {
	var p Participant
	if err := s.r.GetContext(ctx, &p, s.q(`SELECT `+participantCols+` FROM participants WHERE id = ?`), id); err != nil {
		return p, fmt.Errorf("store: participant %d: %w", id, notFound(err))
	}
	return p, nil
}

// ParticipantByToken returns the candidate holding an invite token (revoked
// or not: the caller tells the two apart); ErrNotFound otherwise.
func (s *Store) ParticipantByToken(ctx context.Context, tokenHash string) (Participant, error) {
	var p Participant
	if err := s.r.GetContext(ctx, &p, s.q(`SELECT `+participantCols+` FROM participants WHERE token_hash = ?`), tokenHash); err != nil {
		return p, fmt.Errorf("store: participant by token: %w", notFound(err))
	}
	return p, nil
}

// ParticipantByUser returns a staff user's participant row in an interview
// while they are on its panel; ErrNotFound if they never were or were removed.
func (s *Store) ParticipantByUser(ctx context.Context, interviewID, userID int64) (Participant, error) {
	var p Participant
	if err := s.r.GetContext(ctx, &p, s.q(`SELECT `+participantCols+` FROM participants WHERE interview_id = ? AND user_id = ? AND revoked_at IS NULL`),
		interviewID, userID); err != nil {
		return p, fmt.Errorf("store: participant of user %d: %w", userID, notFound(err))
	}
	return p, nil
}

// EnsureInterviewer makes a staff user a participant (an admin joining a room
// they are not on) and returns the row. Admins may join every room, so this
// also puts back an admin who was removed from the panel.
func (s *Store) EnsureInterviewer(ctx context.Context, interviewID int64, u User) (Participant, error) {
	p, err := s.ParticipantByUser(ctx, interviewID, u.ID)
	if err == nil {
		return p, nil
	}
	err = s.tx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO participants (interview_id, role, user_id, name, email, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (interview_id, user_id) DO UPDATE SET revoked_at = NULL`), interviewID, PartInterviewer, u.ID, u.Name, u.Email, time.Now().UTC()); err != nil {
			return err
		}
		// A new panel member has submitted nothing: the candidates await them.
		return s.refreshReviewEntries(ctx, tx, interviewID, 0)
	})
	if err != nil {
		return p, fmt.Errorf("store: add interviewer: %w", err)
	}
	return s.ParticipantByUser(ctx, interviewID, u.ID)
}

// ErrLastInterviewer refuses to remove the only interviewer of a panel: the
// interview would have nobody (but admins) to run it.
var ErrLastInterviewer = errors.New("the last interviewer stays on the panel")

// RemoveInterviewer takes an interviewer off an interview's panel. The row
// stays, marked removed (revoked_at), because events and notes name its id.
// Removing someone already removed changes nothing; ErrNotFound if there is
// no such interviewer, ErrLastInterviewer for the last one.
func (s *Store) RemoveInterviewer(ctx context.Context, interviewID, participantID int64) error {
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		var p Participant
		if err := tx.GetContext(ctx, &p, s.q(`SELECT `+participantCols+` FROM participants WHERE id = ? AND interview_id = ? AND role = ?`),
			participantID, interviewID, PartInterviewer); err != nil {
			return notFound(err)
		}
		if p.RevokedAt != nil {
			return nil
		}
		var live int
		if err := tx.GetContext(ctx, &live, s.q(`SELECT count(*) FROM participants WHERE interview_id = ? AND role = ? AND revoked_at IS NULL`),
			interviewID, PartInterviewer); err != nil {
			return err
		}
		if live <= 1 {
			return ErrLastInterviewer
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE participants SET revoked_at = ? WHERE id = ?`), time.Now().UTC(), participantID); err != nil {
			return err
		}
		return s.refreshReviewEntries(ctx, tx, interviewID, 0)
	})
	if err != nil {
		return fmt.Errorf("store: remove interviewer %d from interview %d: %w", participantID, interviewID, err)
	}
	return nil
}

// RotateInvite gives a candidate a new invite token (hash), which also lifts
// a revocation: the old link stops working, the new one is shown once.
func (s *Store) RotateInvite(ctx context.Context, interviewID, candidateID int64, tokenHash string) (Participant, error) {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE participants SET token_hash = ?, revoked_at = NULL WHERE id = ? AND interview_id = ? AND role = ?`),
		tokenHash, candidateID, interviewID, PartCandidate)
	if err != nil {
		return Participant{}, fmt.Errorf("store: rotate invite: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Participant{}, fmt.Errorf("store: rotate invite: %w", ErrNotFound)
	}
	return s.ParticipantByID(ctx, candidateID)
}
