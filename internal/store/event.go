package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Audiences of a transcript event: everyone in the room, the staff only, or
// one candidate and the staff ("c" + participant id).
const (
	AudienceAll   = "all"
	AudienceStaff = "staff"
)

// CandidateAudience is the audience of one candidate's own events.
func CandidateAudience(participantID int64) string { return fmt.Sprintf("c%d", participantID) }

// Event is one durable transcript entry.
type Event struct {
	InterviewID int64     `db:"interview_id" json:"interview_id"`
	Seq         int64     `db:"seq" json:"seq"`
	Type        string    `db:"type" json:"type"`
	ActorID     int64     `db:"actor_id" json:"actor"`
	Audience    string    `db:"audience" json:"audience"`
	Data        JSON      `db:"data" json:"data"`
	CreatedAt   time.Time `db:"created_at" json:"ts"`
}

// JSON is raw JSON kept in a text column; it scans from either dialect.
type JSON []byte

// Scan implements sql.Scanner.
func (j *JSON) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*j = JSON(v)
	case []byte:
		*j = append(JSON(nil), v...)
	case nil:
		*j = nil
	default:
		return fmt.Errorf("store: scan %T as JSON", src)
	}
	return nil
}

// MarshalJSON writes the raw JSON as it is.
func (j JSON) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return j, nil
}

// UnmarshalJSON keeps the raw JSON.
func (j *JSON) UnmarshalJSON(b []byte) error {
	*j = append((*j)[:0], b...)
	return nil
}

// InRoomBatch runs several actions of one room in one transaction, each in
// a savepoint of its own: an action that fails leaves no trace and does not
// affect the others. The events of the actions that succeeded get
// consecutive seqs and are stored in the same commit, so a busy room pays
// one lock and one commit for a whole batch instead of one per action
// (DESIGN.md, "one writer per room per instance"). errs[i] is fns[i]'s
// error; err is a failure of the whole batch (nothing was stored).
func (s *Store) InRoomBatch(ctx context.Context, interviewID int64, fns []func(rt *RoomTx) error) (errs []error, events []Event, err error) {
	errs = make([]error, len(fns))
	if len(fns) == 1 {
		// One action needs no savepoint: a failure rolls the transaction back.
		events, err = s.InRoom(ctx, interviewID, func(rt *RoomTx) error {
			if err := fns[0](rt); err != nil {
				return actionFailed{err}
			}
			return nil
		})
		var af actionFailed
		if errors.As(err, &af) {
			errs[0] = af.err
			return errs, nil, nil
		}
		return errs, events, err
	}
	events, err = s.InRoom(ctx, interviewID, func(rt *RoomTx) error {
		for i, fn := range fns {
			if _, err := rt.tx.ExecContext(ctx, "SAVEPOINT room_action"); err != nil {
				return err
			}
			mark, iv := len(rt.pending), rt.iv
			if errs[i] = fn(rt); errs[i] != nil {
				rt.pending, rt.iv = rt.pending[:mark], iv
				if _, err := rt.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT room_action"); err != nil {
					return err
				}
			}
			if _, err := rt.tx.ExecContext(ctx, "RELEASE SAVEPOINT room_action"); err != nil {
				return err
			}
		}
		return nil
	})
	return errs, events, err
}

// actionFailed carries a lone action's error out of its rolled-back transaction.
type actionFailed struct{ err error }

func (a actionFailed) Error() string { return a.err.Error() }

// EventsAfter returns up to limit events with seq > after, in seq order.
func (s *Store) EventsAfter(ctx context.Context, interviewID, after int64, limit int) ([]Event, error) {
	evs := []Event{}
	err := s.r.SelectContext(ctx, &evs, s.q(`SELECT interview_id, seq, type, actor_id, audience, data, created_at FROM events
		WHERE interview_id = ? AND seq > ? ORDER BY seq LIMIT ?`), interviewID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: events after %d: %w", after, err)
	}
	return evs, nil
}

// LastSeqs returns the last_seq of each interview asked for.
func (s *Store) LastSeqs(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	query, args, err := sqlx.In(`SELECT id, last_seq FROM interviews WHERE id IN (?)`, ids)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryxContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: last seqs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			return nil, err
		}
		out[id] = seq
	}
	return out, rows.Err()
}
