package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ace-interviews/ace/internal/bank"
)

// Question is a stored bank question.
type Question struct {
	ID         int64     `db:"id" json:"id"`
	Technology string    `db:"technology" json:"technology"`
	Level      string    `db:"level" json:"level"`
	Prompt     string    `db:"prompt" json:"prompt"`
	Answer     string    `db:"answer" json:"answer"`
	Tags       Tags      `db:"tags" json:"tags"`
	TimeLimitS int       `db:"time_limit_s" json:"time_limit_s"`
	Source     string    `db:"source" json:"source,omitempty"`
	Visibility string    `db:"visibility" json:"visibility"`
	CreatedAt  time.Time `db:"created_at" json:"-"`
	UpdatedAt  time.Time `db:"updated_at" json:"-"`
}

// Tags is stored as a JSON array in a text column, the same on both dialects.
type Tags []string

// Scan implements sql.Scanner.
func (t *Tags) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		*t = Tags{}
		return nil
	default:
		return fmt.Errorf("tags: unexpected %T", src)
	}
	return json.Unmarshal(b, (*[]string)(t))
}

func tagsJSON(tags []string) string {
	if tags == nil {
		tags = []string{}
	}
	b, _ := json.Marshal(tags)
	return string(b)
}

// promptKey identifies a prompt within a technology; bank.PromptKey is the
// one definition, shared with import de-duplication. Hashing it keeps the
// unique index small whatever the prompt's length (a B-tree entry is capped).
func promptKey(prompt string) string {
	sum := sha256.Sum256([]byte(bank.PromptKey(prompt)))
	return hex.EncodeToString(sum[:16])
}

const questionCols = `id, technology, level, prompt, answer, tags, time_limit_s, source, visibility, created_at, updated_at`

// QuestionFilter selects questions; empty fields match everything, except
// that private questions are left out unless IncludePrivate is set: a
// caller that forgets about visibility shows only what anyone may see.
type QuestionFilter struct {
	Technology string
	Level      string
	Query      string // every word must occur in the prompt or the answer, any case
	// IncludePrivate lets private questions in, for staff.
	IncludePrivate bool
	// Visibility, when set, keeps only questions of that visibility.
	Visibility bank.Visibility
	Limit      int
	Offset     int
}

// Bank returns the bank question that q stores.
func (q Question) Bank() bank.Question {
	return bank.Question{
		Technology: q.Technology, Level: bank.Level(q.Level), Prompt: q.Prompt, Answer: q.Answer,
		Tags: append([]string(nil), q.Tags...), TimeLimitS: q.TimeLimitS, Source: q.Source, Visibility: bank.Visibility(q.Visibility),
	}
}

// visibilityCond is the condition that keeps the questions of visibility
// v, written as a literal (v is one of two constants): SQLite uses a
// partial index only when the query names the index's condition itself.
func visibilityCond(v bank.Visibility) string {
	if v == bank.Private {
		return "visibility = 'private'"
	}
	return "visibility = 'public'"
}

// questionOrder is the listing order; the questions_listing index holds it.
const questionOrder = ` ORDER BY technology, CASE level WHEN 'beginner' THEN 0 WHEN 'intermediate' THEN 1 ELSE 2 END, id`

// ListQuestions returns one page of matching questions and the total number of matches.
func (s *Store) ListQuestions(ctx context.Context, f QuestionFilter) ([]Question, int, error) {
	where, args, text := s.questionWhere(f)
	qs := []Question{}
	if !text {
		// No text search: the count reads an index, the page walks questions_listing.
		var total int
		if err := s.r.GetContext(ctx, &total, s.q(`SELECT count(*) FROM questions`+where), args...); err != nil {
			return nil, 0, fmt.Errorf("store: count questions: %w", err)
		}
		if total == 0 {
			return qs, 0, nil
		}
		args = append(args, f.Limit, f.Offset)
		if err := s.r.SelectContext(ctx, &qs, s.q(`SELECT `+questionCols+` FROM questions`+where+questionOrder+` LIMIT ? OFFSET ?`), args...); err != nil {
			return nil, 0, fmt.Errorf("store: list questions: %w", err)
		}
		return qs, total, nil
	}
	// Text search: one pass over the matches (materialized once: PostgreSQL
	// 15 would otherwise walk questions_listing and filter every row) yields
	// the page's ids and the total, sorting only (technology, level, id);
	// then the page's rows.
	var keys []struct {
		ID    int64 `db:"id"`
		Total int   `db:"total"`
	}
	args = append(args, f.Limit, f.Offset)
	if err := s.r.SelectContext(ctx, &keys, s.q(`WITH m AS MATERIALIZED (SELECT id, technology, level FROM questions`+where+`)
		SELECT id, (SELECT count(*) FROM m) AS total FROM m`+questionOrder+` LIMIT ? OFFSET ?`), args...); err != nil {
		return nil, 0, fmt.Errorf("store: search questions: %w", err)
	}
	if len(keys) == 0 {
		if f.Offset == 0 {
			return qs, 0, nil
		}
		// A page past the end: count the matches on their own.
		var total int
		if err := s.r.GetContext(ctx, &total, s.q(`SELECT count(*) FROM questions`+where), args[:len(args)-2]...); err != nil {
			return nil, 0, fmt.Errorf("store: count questions: %w", err)
		}
		return qs, total, nil
	}
	ids := make([]any, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	query := `SELECT ` + questionCols + ` FROM questions WHERE id IN (?` + strings.Repeat(", ?", len(ids)-1) + `)` + questionOrder
	if err := s.r.SelectContext(ctx, &qs, s.q(query), ids...); err != nil {
		return nil, 0, fmt.Errorf("store: list questions: %w", err)
	}
	return qs, keys[0].Total, nil
}

func (s *Store) questionWhere(f QuestionFilter) (string, []any, bool) {
	var conds []string
	var args []any
	if !f.IncludePrivate {
		conds = append(conds, visibilityCond(bank.Public))
	}
	if f.Visibility != "" && (f.IncludePrivate || f.Visibility == bank.Private) {
		conds = append(conds, visibilityCond(f.Visibility))
	}
	if f.Technology != "" {
		conds = append(conds, "technology = ?")
		args = append(args, f.Technology)
	}
	if f.Level != "" {
		conds = append(conds, "level = ?")
		args = append(args, f.Level)
	}
	c, a := s.searchCond(f.Query)
	if c != "" {
		conds = append(conds, c)
		args = append(args, a...)
	}
	if len(conds) == 0 {
		return "", nil, false
	}
	return " WHERE " + strings.Join(conds, " AND "), args, c != ""
}

// searchCond is the one place where text search differs by dialect
// (STACK.md §10). Both give the same answer: every word is a case-insensitive
// substring of the prompt or the answer. SQLite serves words of three or more
// characters from the FTS5 trigram index; PostgreSQL matches the lowered
// search column (prompt and answer) with LIKE, served by pg_trgm.
func (s *Store) searchCond(query string) (string, []any) {
	words := strings.Fields(query)
	if len(words) > 8 {
		words = words[:8]
	}
	var conds []string
	var args []any
	var match []string
	for _, w := range words {
		if s.dialect == SQLite && len([]rune(w)) >= 3 {
			match = append(match, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
			continue
		}
		pat := "%" + likeEscaper.Replace(w) + "%"
		if s.dialect == Postgres {
			conds = append(conds, "search LIKE lower(?) ESCAPE '\\'")
			args = append(args, pat)
			continue
		}
		conds = append(conds, "(prompt LIKE ? ESCAPE '\\' OR answer LIKE ? ESCAPE '\\')")
		args = append(args, pat, pat)
	}
	if len(match) > 0 {
		conds = append(conds, "id IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ?)")
		args = append(args, strings.Join(match, " AND "))
	}
	return strings.Join(conds, " AND "), args
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// GetQuestion returns one question or ErrNotFound.
func (s *Store) GetQuestion(ctx context.Context, id int64) (Question, error) {
	var q Question
	err := s.r.GetContext(ctx, &q, s.q(`SELECT `+questionCols+` FROM questions WHERE id = ?`), id)
	if err != nil {
		return q, fmt.Errorf("store: get question %d: %w", id, notFound(err))
	}
	return q, nil
}

// CreateQuestion adds a question (public unless in says private);
// ErrConflict when its technology already has that prompt.
func (s *Store) CreateQuestion(ctx context.Context, in bank.Question) (Question, error) {
	var id int64
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, s.q(`SELECT count(*) FROM questions WHERE technology = ? AND prompt_key = ?`),
			in.Technology, promptKey(in.Prompt)); err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		now := time.Now().UTC()
		return tx.GetContext(ctx, &id, s.q(`INSERT INTO questions (technology, level, prompt, prompt_key, answer, tags, time_limit_s, source, visibility, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			in.Technology, string(in.Level), in.Prompt, promptKey(in.Prompt), in.Answer, tagsJSON(in.Tags), in.TimeLimitS, in.Source, string(in.Visibility.Or(bank.Public)), now, now)
	})
	if err != nil {
		return Question{}, fmt.Errorf("store: create question: %w", err)
	}
	return s.GetQuestion(ctx, id)
}

// UpdateQuestion replaces a question's fields, its visibility only when in
// says one; ErrNotFound or ErrConflict.
func (s *Store) UpdateQuestion(ctx context.Context, id int64, in bank.Question) (Question, error) {
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, s.q(`SELECT count(*) FROM questions WHERE id = ?`), id); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if err := tx.GetContext(ctx, &n, s.q(`SELECT count(*) FROM questions WHERE technology = ? AND prompt_key = ? AND id <> ?`),
			in.Technology, promptKey(in.Prompt), id); err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE questions SET technology = ?, level = ?, prompt = ?, prompt_key = ?, answer = ?,
			tags = ?, time_limit_s = ?, source = ?, visibility = COALESCE(NULLIF(?, ''), visibility), updated_at = ? WHERE id = ?`),
			in.Technology, string(in.Level), in.Prompt, promptKey(in.Prompt), in.Answer, tagsJSON(in.Tags), in.TimeLimitS, in.Source, string(in.Visibility), time.Now().UTC(), id)
		return err
	})
	if err != nil {
		return Question{}, fmt.Errorf("store: update question %d: %w", id, err)
	}
	return s.GetQuestion(ctx, id)
}

// DeleteQuestion removes a question; ErrNotFound when there is none.
func (s *Store) DeleteQuestion(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, s.q(`DELETE FROM questions WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("store: delete question %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delete question %d: %w", id, ErrNotFound)
	}
	return nil
}

// ImportResult says what an import changed.
type ImportResult struct {
	Created   int          `json:"created"`
	Updated   int          `json:"updated"`
	Unchanged int          `json:"unchanged"`
	Counts    []bank.Count `json:"counts"`
}

// ImportQuestions upserts qs in one transaction, keyed on technology and
// prompt: all of them land or none does. Questions are expected validated.
// A question whose visibility is not said is inserted public and, when it
// exists, keeps its visibility: re-importing a file never publishes a
// question that staff made private.
func (s *Store) ImportQuestions(ctx context.Context, qs []bank.Question) (ImportResult, error) {
	qs = bank.Dedupe(qs)
	res := ImportResult{Counts: bank.Counts(qs)}
	now := time.Now().UTC()
	err := s.tx(ctx, func(tx *sqlx.Tx) error {
		type row struct {
			ID         int64  `db:"id"`
			Technology string `db:"technology"`
			PromptKey  string `db:"prompt_key"`
			Level      string `db:"level"`
			Prompt     string `db:"prompt"`
			Answer     string `db:"answer"`
			Tags       string `db:"tags"`
			TimeLimitS int    `db:"time_limit_s"`
			Source     string `db:"source"`
			Visibility string `db:"visibility"`
		}
		// Load the existing rows of the technologies involved in one query
		// per technology, so a 10,000-question import is not 10,000 lookups.
		existing := map[string]row{}
		techs := map[string]bool{}
		for _, q := range qs {
			techs[q.Technology] = true
		}
		names := make([]string, 0, len(techs))
		for t := range techs {
			names = append(names, t)
		}
		sort.Strings(names)
		for _, t := range names {
			var rows []row
			if err := tx.SelectContext(ctx, &rows, s.q(`SELECT id, technology, prompt_key, level, prompt, answer, tags, time_limit_s, source, visibility
				FROM questions WHERE technology = ?`), t); err != nil {
				return err
			}
			for _, r := range rows {
				existing[r.Technology+"\x00"+r.PromptKey] = r
			}
		}
		// ON CONFLICT: a concurrent import (two instances seeding the demo
		// bank at once) may insert the same question first; ours then updates
		// it, keeping it private if either of the two says so (the insert
		// cannot tell "public" from "not said").
		// New questions go in batches of insertBatch rows per statement: one
		// round trip per batch instead of per question.
		const insertBatch = 500
		var batch []any
		var batchLines []int
		flush := func() error {
			if len(batchLines) == 0 {
				return nil
			}
			n := len(batchLines)
			query := `INSERT INTO questions (technology, level, prompt, prompt_key, answer, tags, time_limit_s, source, visibility, created_at, updated_at) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", n), ", ") +
				` ON CONFLICT (technology, prompt_key) DO UPDATE SET level = excluded.level, prompt = excluded.prompt, answer = excluded.answer,
			tags = excluded.tags, time_limit_s = excluded.time_limit_s, source = excluded.source, updated_at = excluded.updated_at,
			visibility = CASE WHEN questions.visibility = 'private' OR excluded.visibility = 'private' THEN 'private' ELSE 'public' END`
			if _, err := tx.ExecContext(ctx, s.q(query), batch...); err != nil {
				return fmt.Errorf("lines %d-%d: %w", batchLines[0], batchLines[n-1], err)
			}
			batch, batchLines = batch[:0], batchLines[:0]
			return nil
		}
		upd, err := tx.PreparexContext(ctx, s.q(`UPDATE questions SET level = ?, prompt = ?, answer = ?, tags = ?, time_limit_s = ?, source = ?,
			visibility = COALESCE(NULLIF(?, ''), visibility), updated_at = ? WHERE id = ?`))
		if err != nil {
			return err
		}
		defer upd.Close()
		for _, q := range qs {
			key := promptKey(q.Prompt)
			tags := tagsJSON(q.Tags)
			old, ok := existing[q.Technology+"\x00"+key]
			switch {
			case !ok:
				batch = append(batch, q.Technology, string(q.Level), q.Prompt, key, q.Answer, tags, q.TimeLimitS, q.Source, string(q.Visibility.Or(bank.Public)), now, now)
				batchLines = append(batchLines, q.Line)
				if len(batchLines) == insertBatch {
					if err := flush(); err != nil {
						return err
					}
				}
				res.Created++
			case old.Level == string(q.Level) && old.Prompt == q.Prompt && old.Answer == q.Answer &&
				old.Tags == tags && old.TimeLimitS == q.TimeLimitS && old.Source == q.Source &&
				(q.Visibility == "" || old.Visibility == string(q.Visibility)):
				res.Unchanged++
			default:
				if _, err := upd.ExecContext(ctx, string(q.Level), q.Prompt, q.Answer, tags, q.TimeLimitS, q.Source, string(q.Visibility), now, old.ID); err != nil {
					return fmt.Errorf("line %d: %w", q.Line, err)
				}
				res.Updated++
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("store: import questions: %w", err)
	}
	if s.dialect == Postgres && res.Created+res.Updated > 0 {
		// Fresh statistics now rather than at autovacuum's next pass: without them
		// the planner guesses the new rows away and scans instead of using pg_trgm.
		// The GIN pending list holds the new rows' trigrams unsorted; every
		// search reads it whole until it is merged, so merge it now.
		if _, err := s.w.ExecContext(ctx, `SELECT gin_clean_pending_list('questions_search_trgm'::regclass)`); err != nil {
			return res, fmt.Errorf("store: clean GIN pending list: %w", err)
		}
		if _, err := s.w.ExecContext(ctx, `ANALYZE questions`); err != nil {
			return res, fmt.Errorf("store: analyze questions: %w", err)
		}
	}
	return res, nil
}

// TechnologyCount is a technology with its number of questions per level.
type TechnologyCount struct {
	Name   string         `json:"name"`
	Counts map[string]int `json:"counts"`
}

// Technologies lists the technologies with counts per level, by name:
// those of public questions, or of all when includePrivate is set (staff).
// A technology whose questions are all private is not listed to others.
func (s *Store) Technologies(ctx context.Context, includePrivate bool) ([]TechnologyCount, error) {
	var rows []struct {
		Technology string `db:"technology"`
		Level      string `db:"level"`
		N          int    `db:"n"`
	}
	where := " WHERE " + visibilityCond(bank.Public)
	if includePrivate {
		where = ""
	}
	if err := s.r.SelectContext(ctx, &rows, `SELECT technology, level, count(*) AS n FROM questions`+where+` GROUP BY technology, level ORDER BY technology`); err != nil {
		return nil, fmt.Errorf("store: technologies: %w", err)
	}
	out := []TechnologyCount{}
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Name != r.Technology {
			out = append(out, TechnologyCount{Name: r.Technology, Counts: map[string]int{"beginner": 0, "intermediate": 0, "advanced": 0}})
		}
		out[len(out)-1].Counts[r.Level] = r.N
	}
	return out, nil
}

// CountQuestions returns the size of the bank, private questions included.
func (s *Store) CountQuestions(ctx context.Context) (int, error) {
	var n int
	if err := s.r.GetContext(ctx, &n, `SELECT count(*) FROM questions`); err != nil {
		return 0, fmt.Errorf("store: count questions: %w", err)
	}
	return n, nil
}

// ExportQuestions returns every question that f selects (Limit and Offset
// are ignored) as bank questions with their visibility, for an export;
// bank.Export puts them in its canonical order.
func (s *Store) ExportQuestions(ctx context.Context, f QuestionFilter) ([]bank.Question, error) {
	where, args, _ := s.questionWhere(f)
	var rows []Question
	if err := s.r.SelectContext(ctx, &rows, s.q(`SELECT `+questionCols+` FROM questions`+where+` ORDER BY id`), args...); err != nil {
		return nil, fmt.Errorf("store: export questions: %w", err)
	}
	out := make([]bank.Question, len(rows))
	for i, q := range rows {
		out[i] = q.Bank()
	}
	return out, nil
}
