package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// The room's hot statements (hot.go).
var (
	stmtLockRoom = hotFor(
		`UPDATE interviews SET last_seq = last_seq WHERE id = ? RETURNING `+interviewCols+`, `+nowMSPostgres+` AS now_ms`,
		`UPDATE interviews SET last_seq = last_seq WHERE id = ? RETURNING `+interviewCols+`, `+nowMSSQLite+` AS now_ms`)
	stmtPushPostgres = hotFor(`WITH q AS (
			UPDATE interview_questions SET pushed_at = ?, time_limit_s = COALESCE(?, time_limit_s) WHERE interview_id = ? AND position = ?
			RETURNING `+plannedCols+`
		), i AS (
			UPDATE interviews SET current_position = ? WHERE id = ?
		), a AS (
			UPDATE answers SET submitted = 0 WHERE interview_id = ? AND position = ? AND submitted = 1
		)
		SELECT * FROM q`, "")
	stmtPutTimer = hot(`INSERT INTO timers (interview_id, scope, position, candidate_id, state, duration_ms, deadline_ms, remaining_ms, extra_ms, ended)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (interview_id, scope, position, candidate_id) DO UPDATE SET state = excluded.state, duration_ms = excluded.duration_ms,
		deadline_ms = excluded.deadline_ms, remaining_ms = excluded.remaining_ms, extra_ms = excluded.extra_ms, ended = excluded.ended RETURNING id`)
	stmtTimers = hot(`SELECT ` + timerCols + ` FROM timers WHERE interview_id = ? ORDER BY id`)
	// (scope, position, candidate) is unique in timers: at most one row joins.
	stmtTimerCandidates = hot(`SELECT ` + prefixed("p.", participantCols) + `, t.id IS NOT NULL AS personal
		FROM participants p LEFT JOIN timers t ON t.interview_id = p.interview_id AND t.scope = ? AND t.position = ? AND t.candidate_id = p.id
		WHERE p.interview_id = ? AND p.role = ?
		AND ((p.revoked_at IS NULL AND (p.extra_time_pct > 0 OR p.extra_time_s > 0)) OR t.id IS NOT NULL)
		ORDER BY p.id`)
	stmtSubmitAnswer = hot(`INSERT INTO answers (interview_id, candidate_id, position, text, version, submitted, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, ?)
		ON CONFLICT (interview_id, candidate_id, position) DO UPDATE SET text = excluded.text, submitted = 1,
		version = CASE WHEN answers.version > excluded.version THEN answers.version ELSE excluded.version END, updated_at = excluded.updated_at`)
	// The seq and up to four events in one statement (PostgreSQL): an action appends one to three.
	stmtAppendEvents = []hotStmt{
		hotFor(appendEventsText(Postgres, 1), ""), hotFor(appendEventsText(Postgres, 2), ""),
		hotFor(appendEventsText(Postgres, 3), ""), hotFor(appendEventsText(Postgres, 4), ""),
	}
)

// prefixed qualifies each column of a list like participantCols with alias.
func prefixed(alias, cols string) string { return alias + strings.ReplaceAll(cols, ", ", ", "+alias) }

// appendEventsText inserts n events; on PostgreSQL it also sets last_seq
// (its first two arguments), which SQLite does in a statement of its own.
func appendEventsText(d Dialect, n int) string {
	var sb strings.Builder
	if d == Postgres {
		sb.WriteString(`WITH seq AS (UPDATE interviews SET last_seq = ? WHERE id = ?) `)
	}
	sb.WriteString(`INSERT INTO events (interview_id, seq, type, actor_id, audience, data, created_at) VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, ?, ?, ?, ?)")
	}
	return sb.String()
}

// RoomTx is a write transaction that holds one interview's lock: actions of
// one room are serialised, and the events they append get consecutive seqs
// when it commits. It offers one method per domain step and keeps its SQL
// transaction to itself.
type RoomTx struct {
	tx      *sqlx.Tx
	s       *Store
	ID      int64
	Now     time.Time // the database's clock when the transaction took the lock
	iv      Interview // read with the lock, kept current by this transaction's steps
	pending []Event
}

func (rt *RoomTx) q(query string) string { return rt.s.q(query) }

// Append queues an event; it is stored with its seq when the transaction commits.
func (rt *RoomTx) Append(typ string, actor int64, audience string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("store: encode %s: %w", typ, err)
	}
	rt.pending = append(rt.pending, Event{InterviewID: rt.ID, Type: typ, ActorID: actor, Audience: audience, Data: b, CreatedAt: rt.Now})
	return nil
}

// Interview returns the interview as this transaction sees it (read when
// the lock was taken; LastSeq is as of then).
func (rt *RoomTx) Interview(ctx context.Context) (Interview, error) {
	return rt.iv, nil
}

// SetStatus moves the interview to scheduled, live or ended; ending it
// records when (the reviews list dates interviews by it).
func (rt *RoomTx) SetStatus(ctx context.Context, status string) error {
	var endedAt *time.Time
	if status == StatusEnded {
		now := rt.Now
		endedAt = &now
	}
	if _, err := rt.tx.ExecContext(ctx, rt.q(`UPDATE interviews SET status = ?, ended_at = ? WHERE id = ?`), status, endedAt, rt.ID); err != nil {
		return fmt.Errorf("store: set status %s: %w", status, err)
	}
	rt.iv.Status, rt.iv.EndedAt = status, endedAt
	if status == StatusEnded {
		return rt.s.refreshReviewEntries(ctx, rt.tx, rt.ID, 0)
	}
	return nil
}

// StopTimers expires every timer of the interview (it ended).
func (rt *RoomTx) StopTimers(ctx context.Context) error {
	_, err := rt.tx.ExecContext(ctx, rt.q(`UPDATE timers SET state = ?, remaining_ms = 0 WHERE interview_id = ? AND state <> ?`),
		TimerExpired, rt.ID, TimerExpired)
	if err != nil {
		return fmt.Errorf("store: stop timers: %w", err)
	}
	return nil
}

// AppendPlanned copies a bank question to the end of the plan and returns
// its position; ErrNotFound when the bank has no such question.
func (rt *RoomTx) AppendPlanned(ctx context.Context, p PlanItem) (int, error) {
	pos, err := rt.s.AppendPlanned(ctx, rt.tx, rt.ID, p)
	if err != nil {
		return 0, fmt.Errorf("store: append planned question: %w", err)
	}
	return pos, nil
}

// PlannedQuestion returns the question at a position of the plan, or ErrNotFound.
func (rt *RoomTx) PlannedQuestion(ctx context.Context, position int) (PlannedQuestion, error) {
	var q PlannedQuestion
	err := rt.tx.GetContext(ctx, &q, rt.q(`SELECT `+plannedCols+`
		FROM interview_questions WHERE interview_id = ? AND position = ?`), rt.ID, position)
	if err != nil {
		return q, fmt.Errorf("store: planned question %d: %w", position, notFound(err))
	}
	return q, nil
}

// PushQuestion puts the planned question at position on screen, with
// timeLimitS instead of its planned limit when given, and returns it as
// pushed (ErrNotFound when the plan has no such position). Pushing a
// question again reopens its submitted answers to drafts.
func (rt *RoomTx) PushQuestion(ctx context.Context, position int, timeLimitS *int) (PlannedQuestion, error) {
	var q PlannedQuestion
	if rt.s.dialect == Postgres {
		// One statement, one round trip, for the plan row and the three
		// updates: a push waits for each round trip.
		err := rt.s.hotGet(ctx, rt.tx, &q, stmtPushPostgres, rt.Now, timeLimitS, rt.ID, position, position, rt.ID, rt.ID, position)
		if err != nil {
			return q, fmt.Errorf("store: push question %d: %w", position, notFound(err))
		}
		rt.iv.CurrentPosition = position
		return q, nil
	}
	q, err := rt.PlannedQuestion(ctx, position)
	if err != nil {
		return q, err
	}
	if timeLimitS != nil {
		q.TimeLimitS = *timeLimitS
	}
	now := rt.Now
	q.PushedAt = &now
	steps := []struct {
		query string
		args  []any
	}{
		{`UPDATE interview_questions SET pushed_at = ?, time_limit_s = ? WHERE interview_id = ? AND position = ?`, []any{rt.Now, q.TimeLimitS, rt.ID, position}},
		{`UPDATE interviews SET current_position = ? WHERE id = ?`, []any{position, rt.ID}},
		{`UPDATE answers SET submitted = 0 WHERE interview_id = ? AND position = ? AND submitted = 1`, []any{rt.ID, position}},
	}
	for _, st := range steps {
		if _, err := rt.tx.ExecContext(ctx, rt.q(st.query), st.args...); err != nil {
			return q, fmt.Errorf("store: push question %d: %w", position, err)
		}
	}
	rt.iv.CurrentPosition = position
	return q, nil
}

// SubmitAnswer records a submission.
func (rt *RoomTx) SubmitAnswer(ctx context.Context, candidateID int64, position int, text string, version int64) error {
	_, err := rt.s.hotExec(ctx, rt.tx, stmtSubmitAnswer, rt.ID, candidateID, position, text, version, rt.Now)
	if err != nil {
		return fmt.Errorf("store: submit answer: %w", err)
	}
	return nil
}

// Timers returns the interview's timers as of this transaction.
func (rt *RoomTx) Timers(ctx context.Context) ([]Timer, error) {
	ts := []Timer{}
	if err := rt.s.hotSelect(ctx, rt.tx, &ts, stmtTimers, rt.ID); err != nil {
		return nil, fmt.Errorf("store: timers: %w", err)
	}
	return ts, nil
}

// PutTimer inserts or replaces the timer of (scope, position, candidate) and returns it with its id.
func (rt *RoomTx) PutTimer(ctx context.Context, t Timer) (Timer, error) {
	t.InterviewID = rt.ID
	err := rt.s.hotGet(ctx, rt.tx, &t.ID, stmtPutTimer, t.InterviewID, t.Scope, t.Position, t.CandidateID, t.State, t.DurationMS, t.DeadlineMS, t.RemainingMS, t.ExtraMS, t.Ended)
	if err != nil {
		return t, fmt.Errorf("store: put timer: %w", err)
	}
	return t, nil
}

// nowMS is the database's clock in Unix milliseconds, as SQL. Deadlines are
// set and expiry decided on one clock, the database's, so an instance whose
// clock runs fast can neither expire a timer early nor set a short deadline.
func (s *Store) nowMS() string {
	if s.dialect == Postgres {
		return nowMSPostgres
	}
	return nowMSSQLite
}

const (
	nowMSPostgres = `(extract(epoch from clock_timestamp()) * 1000)::bigint`
	nowMSSQLite   = `CAST(unixepoch('subsec') * 1000 AS INTEGER)`
)

// InRoom runs fn in a transaction holding the interview's row lock and
// stores the events it appended, numbered from the interview's last_seq, in
// the same transaction. It returns them once committed (ErrNotFound when the
// interview does not exist).
func (s *Store) InRoom(ctx context.Context, interviewID int64, fn func(rt *RoomTx) error) ([]Event, error) {
	var events []Event
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		// A no-op update takes the row lock first, so concurrent actions on
		// one room queue here rather than deciding on stale state; in the
		// same round trip it reads the interview and the database's clock.
		var locked struct {
			Interview
			NowMS int64 `db:"now_ms"`
		}
		err := s.hotGet(ctx, tx, &locked, stmtLockRoom, interviewID)
		if err != nil {
			return notFound(err)
		}
		rt := &RoomTx{tx: tx, s: s, ID: interviewID, Now: time.UnixMilli(locked.NowMS).UTC(), iv: locked.Interview}
		if err := fn(rt); err != nil {
			return err
		}
		if len(rt.pending) == 0 {
			return nil
		}
		// The row lock taken above is held, so last_seq is what it read:
		// the events are numbered from there.
		first := locked.LastSeq + 1
		last := locked.LastSeq + int64(len(rt.pending))
		args := make([]any, 0, 7*len(rt.pending)+2)
		if s.dialect == Postgres {
			// One round trip for the seq and the events.
			args = append(args, last, interviewID)
		} else if _, err := tx.ExecContext(ctx, s.q(`UPDATE interviews SET last_seq = ? WHERE id = ?`), last, interviewID); err != nil {
			return err
		}
		for i := range rt.pending {
			rt.pending[i].Seq = first + int64(i)
			e := rt.pending[i]
			args = append(args, e.InterviewID, e.Seq, e.Type, e.ActorID, e.Audience, string(e.Data), e.CreatedAt)
		}
		if n := len(rt.pending); s.dialect == Postgres && n <= len(stmtAppendEvents) {
			_, err = s.hotExec(ctx, tx, stmtAppendEvents[n-1], args...)
		} else {
			_, err = tx.ExecContext(ctx, s.q(appendEventsText(s.dialect, n)), args...)
		}
		if err != nil {
			return err
		}
		events = rt.pending
		return nil
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

// PlannedQuestions returns the interview's plan as this transaction sees it.
func (rt *RoomTx) PlannedQuestions(ctx context.Context) ([]PlannedQuestion, error) {
	qs := []PlannedQuestion{}
	err := rt.tx.SelectContext(ctx, &qs, rt.q(`SELECT `+plannedCols+`
		FROM interview_questions WHERE interview_id = ? ORDER BY position`), rt.ID)
	if err != nil {
		return nil, fmt.Errorf("store: planned questions: %w", err)
	}
	return qs, nil
}

// TimerCandidate is a candidate who may get a personal copy of a room
// timer, and whether they hold one already.
type TimerCandidate struct {
	Participant
	Personal bool `db:"personal"`
}

// TimerCandidates returns the candidates who may get their own copy of the
// room's timer of scope and position: those with extra time, unless
// revoked, and those who hold a personal copy already. The room decides
// with the exact extra time; nobody else needs reading (a room of 200
// without accommodations reads no row).
func (rt *RoomTx) TimerCandidates(ctx context.Context, scope string, position int) ([]TimerCandidate, error) {
	cs := []TimerCandidate{}
	if err := rt.s.hotSelect(ctx, rt.tx, &cs, stmtTimerCandidates, scope, position, rt.ID, PartCandidate); err != nil {
		return nil, fmt.Errorf("store: timer candidates: %w", err)
	}
	return cs, nil
}

// Candidates returns the interview's candidates, revoked ones included.
func (rt *RoomTx) Candidates(ctx context.Context) ([]Participant, error) {
	ps := []Participant{}
	err := rt.tx.SelectContext(ctx, &ps, rt.q(`SELECT `+participantCols+` FROM participants WHERE interview_id = ? AND role = ? ORDER BY id`), rt.ID, PartCandidate)
	if err != nil {
		return nil, fmt.Errorf("store: candidates: %w", err)
	}
	return ps, nil
}

// Candidate returns one candidate of the interview, or ErrNotFound.
func (rt *RoomTx) Candidate(ctx context.Context, id int64) (Participant, error) {
	var p Participant
	err := rt.tx.GetContext(ctx, &p, rt.q(`SELECT `+participantCols+` FROM participants WHERE id = ? AND interview_id = ? AND role = ?`), id, rt.ID, PartCandidate)
	if err != nil {
		return p, fmt.Errorf("store: candidate %d: %w", id, notFound(err))
	}
	return p, nil
}

// SetPosition records the question a self-paced candidate has open.
func (rt *RoomTx) SetPosition(ctx context.Context, candidateID int64, position int) error {
	if _, err := rt.tx.ExecContext(ctx, rt.q(`UPDATE participants SET position = ? WHERE id = ? AND interview_id = ?`), position, candidateID, rt.ID); err != nil {
		return fmt.Errorf("store: set position: %w", err)
	}
	return nil
}

// SetExtraTime records a candidate's accommodation.
func (rt *RoomTx) SetExtraTime(ctx context.Context, candidateID int64, pct, s int) error {
	if _, err := rt.tx.ExecContext(ctx, rt.q(`UPDATE participants SET extra_time_pct = ?, extra_time_s = ? WHERE id = ? AND interview_id = ?`),
		pct, s, candidateID, rt.ID); err != nil {
		return fmt.Errorf("store: set extra time: %w", err)
	}
	return nil
}
