package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ace-interviews/ace/internal/delta"
)

// Draft is one received version of a candidate's answer text.
type Draft struct {
	ID          int64     `db:"id"` // the order drafts of one answer were stored in
	InterviewID int64     `db:"interview_id"`
	CandidateID int64     `db:"candidate_id"`
	Position    int       `db:"position"`
	Version     int64     `db:"version"`
	Text        string    `db:"text"`
	ReceivedAt  time.Time `db:"received_at"`
	// Edit is how the history got Text from the draft stored before it of
	// the same answer, as read back; nil for a keyframe (and when saving).
	Edit *delta.Delta `db:"-"`
}

// Typing history is stored as edits (migration 00007): each row of drafts
// is a keyframe holding the whole text or a delta against the row before it
// of the same answer, in id order. The chain follows arrival, not version:
// an older version that arrives late, or a resend of a version already
// stored, is chained after what came before it like any other draft, so
// every received snapshot is rebuilt exactly and none is dropped. (The
// answers table is where versions decide: there an older one never wins.)

// keyframeEvery bounds how many deltas follow a keyframe, so a damaged row
// loses at most that stretch and reading from a keyframe is cheap: a
// 5,000-character answer typed for an hour (3,600 snapshots) keeps 72
// whole copies instead of 3,600.
const keyframeEvery = 50

// draftRows is how many drafts go in one INSERT (10 parameters each, well
// under both dialects' parameter limits); tailKeys how many answers one
// statement on draft_tails names (3 parameters each).
const (
	draftRows = 400
	tailKeys  = 300
)

// draftRow is a row of drafts as stored.
type draftRow struct {
	Draft
	Keyframe int    `db:"keyframe"`
	Off      int    `db:"off"`
	Del      int    `db:"del"`
	Ins      string `db:"ins"`
}

// draftKey names one answer's history.
type draftKey struct {
	InterviewID, CandidateID int64
	Position                 int
}

func keyOf(d Draft) draftKey { return draftKey{d.InterviewID, d.CandidateID, d.Position} }

func compareKeys(a, b draftKey) int {
	return cmp.Or(cmp.Compare(a.InterviewID, b.InterviewID), cmp.Compare(a.CandidateID, b.CandidateID), cmp.Compare(a.Position, b.Position))
}

// draftTail is the last stored text of a history and how many deltas
// follow its last keyframe.
type draftTail struct {
	draftKey
	Text     string `db:"text"`
	SinceKey int    `db:"since_key"`
}

// SaveDrafts stores a batch of drafts in one transaction, many rows per
// statement, and moves each answer forward to its newest version. Drafts are
// kept out of the seq counter: 200 typists must not queue on one row lock.
// Each draft is stored as an edit against the one before it in its answer's
// history (a batch's own drafts chained in the order they arrived), with a
// keyframe when there is nothing before it, every keyframeEvery rows, and
// whenever the edit would be no smaller than the text.
func (s *Store) SaveDrafts(ctx context.Context, ds []Draft) error {
	if len(ds) == 0 {
		return nil
	}
	latest := map[draftKey]Draft{}
	for _, d := range ds {
		k := keyOf(d)
		if cur, ok := latest[k]; !ok || d.Version >= cur.Version {
			latest[k] = d
		}
	}
	keys := make([]draftKey, 0, len(latest))
	for k := range latest {
		keys = append(keys, k)
	}
	// One order for every lock this transaction takes: two instances saving
	// drafts of the same answers at once never wait on each other in a cycle.
	slices.SortFunc(keys, compareKeys)
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		tails, err := s.lockTails(ctx, tx, keys)
		if err != nil {
			return err
		}
		rows := make([]draftRow, len(ds))
		for i, d := range ds {
			t := tails[keyOf(d)]
			rows[i] = draftRow{Draft: d, Keyframe: 1}
			if t.SinceKey < keyframeEvery-1 {
				if e := delta.Diff(t.Text, d.Text); len(e.Insert) < len(d.Text) {
					rows[i] = draftRow{Draft: d, Off: e.Offset, Del: e.Delete, Ins: e.Insert}
					rows[i].Text = ""
				}
			}
			if rows[i].Keyframe == 1 {
				t.SinceKey = 0
			} else {
				t.SinceKey++
			}
			t.Text = d.Text
			tails[keyOf(d)] = t
		}
		if err := insertDraftRows(ctx, s, tx, rows); err != nil {
			return err
		}
		if err := s.putTails(ctx, tx, keys, tails); err != nil {
			return err
		}
		return s.advanceAnswers(ctx, tx, keys, latest)
	})
	if err != nil {
		return fmt.Errorf("store: save %d drafts: %w", len(ds), err)
	}
	return nil
}

// lockTails returns the tail of each history (keys sorted), creating the
// missing ones, and on PostgreSQL locks them until the transaction ends, so
// a concurrent batch for the same answer chains after this one. A new
// history's tail asks for a keyframe (SinceKey at the bound).
func (s *Store) lockTails(ctx context.Context, tx *sqlx.Tx, keys []draftKey) (map[draftKey]draftTail, error) {
	tails := make(map[draftKey]draftTail, len(keys))
	err := s.insertRows(ctx, tx, `INSERT INTO draft_tails (interview_id, candidate_id, position, text, since_key)`, "(?, ?, ?, '', ?)",
		` ON CONFLICT (interview_id, candidate_id, position) DO NOTHING`, len(keys), tailKeys, func(i int) []any {
			return []any{keys[i].InterviewID, keys[i].CandidateID, keys[i].Position, keyframeEvery}
		})
	if err != nil {
		return nil, fmt.Errorf("create draft tails: %w", err)
	}
	for start := 0; start < len(keys); start += tailKeys {
		chunk := keys[start:min(start+tailKeys, len(keys))]
		where, args := keysWhere(chunk)
		q := `SELECT interview_id, candidate_id, position, text, since_key FROM draft_tails WHERE ` + where +
			` ORDER BY interview_id, candidate_id, position`
		if s.dialect == Postgres {
			// SQLite has one writer: its transactions never overlap.
			q += ` FOR UPDATE`
		}
		var got []struct {
			InterviewID int64 `db:"interview_id"`
			CandidateID int64 `db:"candidate_id"`
			Position    int   `db:"position"`
			Text        string
			SinceKey    int `db:"since_key"`
		}
		if err := tx.SelectContext(ctx, &got, s.q(q), args...); err != nil {
			return nil, fmt.Errorf("lock draft tails: %w", err)
		}
		for _, g := range got {
			k := draftKey{g.InterviewID, g.CandidateID, g.Position}
			tails[k] = draftTail{draftKey: k, Text: g.Text, SinceKey: g.SinceKey}
		}
	}
	if len(tails) != len(keys) {
		return nil, fmt.Errorf("draft tails: found %d of %d", len(tails), len(keys))
	}
	return tails, nil
}

// keysWhere matches the rows of the given answers.
func keysWhere(keys []draftKey) (string, []any) {
	var sb strings.Builder
	args := make([]any, 0, 3*len(keys))
	for i, k := range keys {
		if i > 0 {
			sb.WriteString(" OR ")
		}
		sb.WriteString("(interview_id = ? AND candidate_id = ? AND position = ?)")
		args = append(args, k.InterviewID, k.CandidateID, k.Position)
	}
	return "(" + sb.String() + ")", args
}

func insertDraftRows(ctx context.Context, s *Store, tx *sqlx.Tx, rows []draftRow) error {
	err := s.insertRows(ctx, tx, `INSERT INTO drafts (interview_id, candidate_id, position, version, keyframe, text, off, del, ins, received_at)`,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "", len(rows), draftRows, func(i int) []any {
			r := rows[i]
			return []any{r.InterviewID, r.CandidateID, r.Position, r.Version, r.Keyframe, r.Text, r.Off, r.Del, r.Ins, r.ReceivedAt}
		})
	if err != nil {
		return fmt.Errorf("insert drafts: %w", err)
	}
	return nil
}

func (s *Store) putTails(ctx context.Context, tx *sqlx.Tx, keys []draftKey, tails map[draftKey]draftTail) error {
	err := s.insertRows(ctx, tx, `INSERT INTO draft_tails (interview_id, candidate_id, position, text, since_key)`, "(?, ?, ?, ?, ?)",
		` ON CONFLICT (interview_id, candidate_id, position) DO UPDATE SET text = excluded.text, since_key = excluded.since_key`,
		len(keys), tailKeys, func(i int) []any {
			k := keys[i]
			t := tails[k]
			return []any{k.InterviewID, k.CandidateID, k.Position, t.Text, t.SinceKey}
		})
	if err != nil {
		return fmt.Errorf("update draft tails: %w", err)
	}
	return nil
}

// advanceAnswers moves each answer to the newest version of the batch.
func (s *Store) advanceAnswers(ctx context.Context, tx *sqlx.Tx, keys []draftKey, latest map[draftKey]Draft) error {
	// A newer version wins; an older one arriving late changes nothing,
	// and a submitted answer changes only by another submission (a draft
	// may have been queued before the submit committed).
	err := s.insertRows(ctx, tx, `INSERT INTO answers (interview_id, candidate_id, position, text, version, updated_at)`, "(?, ?, ?, ?, ?, ?)",
		` ON CONFLICT (interview_id, candidate_id, position) DO UPDATE SET text = excluded.text,
			version = excluded.version, updated_at = excluded.updated_at
			WHERE answers.version < excluded.version AND answers.submitted = 0`,
		len(keys), draftRows, func(i int) []any {
			d := latest[keys[i]]
			return []any{d.InterviewID, d.CandidateID, d.Position, d.Text, d.Version, d.ReceivedAt}
		})
	if err != nil {
		return fmt.Errorf("advance answers: %w", err)
	}
	return nil
}

// DraftHistory returns a candidate's stored drafts of one question, in the
// order they were stored, each with its whole text.
func (s *Store) DraftHistory(ctx context.Context, interviewID, candidateID int64, position int) ([]Draft, error) {
	ds, err := s.drafts(ctx, `interview_id = ? AND candidate_id = ? AND position = ?`, interviewID, candidateID, position)
	if err != nil {
		return nil, fmt.Errorf("store: drafts: %w", err)
	}
	return ds, nil
}

// CandidateDrafts returns every stored draft of a candidate in an interview,
// every question's interleaved in the order they were stored, each with its
// whole text: what a replay is made of.
func (s *Store) CandidateDrafts(ctx context.Context, interviewID, candidateID int64) ([]Draft, error) {
	ds, err := s.drafts(ctx, `interview_id = ? AND candidate_id = ?`, interviewID, candidateID)
	if err != nil {
		return nil, fmt.Errorf("store: candidate drafts: %w", err)
	}
	return ds, nil
}

// drafts reads rows in id order and rebuilds each delta's text from the row
// before it of the same answer.
func (s *Store) drafts(ctx context.Context, where string, args ...any) ([]Draft, error) {
	rows, err := s.r.QueryxContext(ctx, s.q(`SELECT id, interview_id, candidate_id, position, version, keyframe, text, off, del, ins, received_at
		FROM drafts WHERE `+where+` ORDER BY id`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ds := []Draft{}
	texts := map[int]*delta.Builder{} // by position: one interview and candidate here
	for rows.Next() {
		var r draftRow
		// Scan, not StructScan: an hour of typing is thousands of rows.
		if err := rows.Scan(&r.ID, &r.InterviewID, &r.CandidateID, &r.Position, &r.Version, &r.Keyframe, &r.Text,
			&r.Off, &r.Del, &r.Ins, &r.ReceivedAt); err != nil {
			return nil, err
		}
		b := texts[r.Position]
		switch {
		case r.Keyframe == 1:
			if b == nil {
				b = &delta.Builder{}
				texts[r.Position] = b
			}
			b.Reset(r.Text)
		case b == nil:
			return nil, fmt.Errorf("draft %d is a delta with no text before it", r.ID)
		default:
			r.Edit = &delta.Delta{Offset: r.Off, Delete: r.Del, Insert: r.Ins}
			if err := b.Apply(*r.Edit); err != nil {
				return nil, fmt.Errorf("draft %d: %w", r.ID, err)
			}
			r.Text = b.String()
		}
		ds = append(ds, r.Draft)
	}
	return ds, rows.Err()
}

// DraftStorage is what one candidate's typing history takes in the drafts
// table: the figures of docs/benchmarks.md.
type DraftStorage struct {
	Rows      int64 `db:"n"`
	Keyframes int64 `db:"keyframes"`
	// TextBytes is the text stored: keyframes' whole texts and deltas'
	// inserted text, in bytes (whole snapshots would store every text).
	TextBytes int64 `db:"text_bytes"`
	// TableBytes is the drafts table with its indexes on disk, every
	// interview's rows together.
	TableBytes int64 `db:"-"`
}

// DraftStorage measures a candidate's typing history.
func (s *Store) DraftStorage(ctx context.Context, interviewID, candidateID int64) (DraftStorage, error) {
	var st DraftStorage
	octets := `length(CAST(text AS BLOB)) + length(CAST(ins AS BLOB))`
	table := `SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN ('drafts', 'drafts_candidate')`
	if s.dialect == Postgres {
		octets = `octet_length(text) + octet_length(ins)`
		table = `SELECT pg_total_relation_size('drafts')`
	}
	err := s.r.GetContext(ctx, &st, s.q(`SELECT COUNT(*) AS n, COALESCE(SUM(keyframe), 0) AS keyframes, COALESCE(SUM(`+octets+`), 0) AS text_bytes
		FROM drafts WHERE interview_id = ? AND candidate_id = ?`), interviewID, candidateID)
	if err != nil {
		return st, fmt.Errorf("store: draft storage: %w", err)
	}
	if err := s.r.GetContext(ctx, &st.TableBytes, table); err != nil {
		return st, fmt.Errorf("store: drafts table size: %w", err)
	}
	return st, nil
}
