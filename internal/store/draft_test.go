package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
	acesql "github.com/ace-interviews/ace/sql"
)

// draftInterview makes an interview with n candidates and returns its id
// and theirs.
func draftInterview(t testing.TB, s *store.Store, n int) (int64, []int64) {
	t.Helper()
	ctx := context.Background()
	u, err := s.CreateUser(ctx, fmt.Sprintf("drafts-%d@example.com", time.Now().UnixNano()), "Ivy", store.RoleInterviewer, "h")
	if err != nil {
		t.Fatal(err)
	}
	var ncs []store.NewCandidate
	for i := range n {
		ncs = append(ncs, store.NewCandidate{Name: fmt.Sprintf("Candidate %d", i+1), TokenHash: fmt.Sprintf("draft-invite-%d-%d", time.Now().UnixNano(), i)})
	}
	iv, ps, err := s.CreateInterview(ctx, store.NewInterview{Title: "drafts", CreatedBy: u.ID, Panel: []int64{u.ID}, Candidates: ncs})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, p := range ps {
		if p.Role == store.PartCandidate {
			ids = append(ids, p.ID)
		}
	}
	return iv.ID, ids
}

// typist makes the texts of someone typing: mostly appending, sometimes
// deleting, editing in the middle, pasting, clearing, in several scripts.
type typist struct {
	r    *rand.Rand
	text []rune
}

var typed = []string{"a", "b", " ", "e", "\n", "é", "ß", "日", "本", "🙂", "👍🏽", "\t", "{", "}", "ü"}

func (ty *typist) next() string {
	switch n := ty.r.IntN(100); {
	case n < 70:
		for range 1 + ty.r.IntN(4) {
			ty.text = append(ty.text, []rune(typed[ty.r.IntN(len(typed))])...)
		}
	case n < 82 && len(ty.text) > 0:
		ty.text = ty.text[:len(ty.text)-1-ty.r.IntN(min(len(ty.text), 3))]
	case n < 92 && len(ty.text) > 2:
		at := ty.r.IntN(len(ty.text))
		ins := []rune(typed[ty.r.IntN(len(typed))])
		ty.text = append(ty.text[:at:at], append(ins, ty.text[at+ty.r.IntN(len(ty.text)-at):]...)...)
	case n < 97:
		ty.text = append(ty.text, []rune(strings.Repeat("pasted ∑ block ", 1+ty.r.IntN(20)))...)
	case n < 98:
		ty.text = nil
	}
	return string(ty.text)
}

// TestDraftDeltasRebuildEverySnapshot: whatever is typed, in whatever
// batches, the history gives back every snapshot exactly, stored mostly as
// deltas with a keyframe at least every 50 rows.
func TestDraftDeltasRebuildEverySnapshot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		iv, cands := draftInterview(t, s, 2)
		r := rand.New(rand.NewPCG(7, 9))
		typists := map[[2]int64]*typist{}
		want := map[[2]int64][]string{}
		at := time.Now().UTC().Truncate(time.Millisecond)
		version := int64(0)
		for len(want[[2]int64{cands[0], 1}]) < 400 {
			var batch []store.Draft
			for range 1 + r.IntN(12) {
				c, pos := cands[r.IntN(2)], 1+r.IntN(2)
				k := [2]int64{c, int64(pos)}
				if typists[k] == nil {
					typists[k] = &typist{r: r}
				}
				text := typists[k].next()
				version++
				at = at.Add(time.Duration(1+r.IntN(900)) * time.Millisecond)
				batch = append(batch, store.Draft{InterviewID: iv, CandidateID: c, Position: pos, Version: version, Text: text, ReceivedAt: at})
				want[k] = append(want[k], text)
			}
			if err := s.SaveDrafts(ctx, batch); err != nil {
				t.Fatal(err)
			}
		}
		for k, texts := range want {
			h, err := s.DraftHistory(ctx, iv, k[0], int(k[1]))
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != len(texts) {
				t.Fatalf("%v: %d drafts in the history, want %d", k, len(h), len(texts))
			}
			for i := range h {
				if h[i].Text != texts[i] {
					t.Fatalf("%v: draft %d is %q, want %q", k, i, h[i].Text, texts[i])
				}
				if i > 0 && h[i].ID <= h[i-1].ID {
					t.Fatalf("%v: ids out of order", k)
				}
			}
			a := answerText(t, s, iv, k[0], int(k[1]))
			if a != texts[len(texts)-1] {
				t.Fatalf("%v: answer %q, want the last draft %q", k, a, texts[len(texts)-1])
			}
		}
		// Every candidate's drafts together, in the order stored.
		for _, c := range cands {
			all, err := s.CandidateDrafts(ctx, iv, c)
			if err != nil {
				t.Fatal(err)
			}
			n := map[int]int{}
			for _, d := range all {
				k := [2]int64{c, int64(d.Position)}
				if d.CandidateID != c || d.Text != want[k][n[d.Position]] {
					t.Fatalf("candidate drafts: %+v", d)
				}
				n[d.Position]++
			}
			st, err := s.DraftStorage(ctx, iv, c)
			if err != nil {
				t.Fatal(err)
			}
			if st.Rows != int64(len(all)) || st.Keyframes < 2 || st.Keyframes > st.Rows/10 {
				t.Fatalf("candidate %d: %d rows, %d keyframes: want a keyframe per 50 rows or so", c, st.Rows, st.Keyframes)
			}
			var whole int64
			for _, d := range all {
				whole += int64(len(d.Text))
			}
			if st.TextBytes*3 > whole {
				t.Fatalf("candidate %d: %d bytes stored for %d bytes of snapshots", c, st.TextBytes, whole)
			}
			if st.TableBytes <= 0 {
				t.Fatalf("table size %d", st.TableBytes)
			}
		}
	})
}

func answerText(t testing.TB, s *store.Store, iv, c int64, pos int) string {
	t.Helper()
	as, err := s.Answers(context.Background(), iv, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.Position == pos {
			return a.Text
		}
	}
	t.Fatalf("no answer %d/%d", c, pos)
	return ""
}

// TestDraftKeyframes: the first draft of an answer is a keyframe, then one
// every 50 rows, and one whenever an edit would be no smaller than the text.
func TestDraftKeyframes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		iv, cands := draftInterview(t, s, 1)
		c := cands[0]
		at := time.Now().UTC()
		var text string
		var batch []store.Draft
		for v := int64(1); v <= 120; v++ {
			text += "x"
			batch = append(batch, store.Draft{InterviewID: iv, CandidateID: c, Position: 1, Version: v, Text: text, ReceivedAt: at})
			if v%7 == 0 { // batches of all sizes
				if err := s.SaveDrafts(ctx, batch); err != nil {
					t.Fatal(err)
				}
				batch = nil
			}
		}
		if err := s.SaveDrafts(ctx, batch); err != nil {
			t.Fatal(err)
		}
		st, err := s.DraftStorage(ctx, iv, c)
		if err != nil {
			t.Fatal(err)
		}
		// Rows 1, 51 and 101.
		if st.Rows != 120 || st.Keyframes != 3 {
			t.Fatalf("%d rows, %d keyframes; want 120 and 3", st.Rows, st.Keyframes)
		}
		// A whole new text is a keyframe, not a delta as long as the text.
		if err := s.SaveDrafts(ctx, []store.Draft{{InterviewID: iv, CandidateID: c, Position: 1, Version: 121, Text: "something else", ReceivedAt: at}}); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.DraftStorage(ctx, iv, c); st.Keyframes != 4 {
			t.Fatalf("%d keyframes after a rewrite, want 4", st.Keyframes)
		}
		h, err := s.DraftHistory(ctx, iv, c, 1)
		if err != nil || len(h) != 121 || h[119].Text != strings.Repeat("x", 120) || h[120].Text != "something else" {
			t.Fatalf("history: %d drafts, %v", len(h), err)
		}
	})
}

// TestDraftOutOfOrderVersions: versions are the client's and may arrive out
// of order, within a batch or in a later one, or again with other text (a
// resend). The history is chained in arrival order, so it gives back every
// received draft exactly and in the order received; the answer keeps the
// newest version; a submission does not break the chain.
func TestDraftOutOfOrderVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		iv, cands := draftInterview(t, s, 1)
		c := cands[0]
		at := time.Now().UTC()
		d := func(v int64, text string) store.Draft {
			return store.Draft{InterviewID: iv, CandidateID: c, Position: 1, Version: v, Text: text, ReceivedAt: at}
		}
		steps := [][]store.Draft{
			{d(1, "the quick"), d(3, "the quick brown fox"), d(2, "the quick brown")},
			{d(2, "the quick brown")},             // a late resend of an older version
			{d(3, "the quick brown fox, resent")}, // the same version, other text
			{d(5, "the quick brown fox jumps"), d(4, "the quick brown fox j")},
		}
		var want []string
		for _, b := range steps {
			if err := s.SaveDrafts(ctx, b); err != nil {
				t.Fatal(err)
			}
			for _, x := range b {
				want = append(want, x.Text)
			}
		}
		if a := answerText(t, s, iv, c, 1); a != "the quick brown fox jumps" {
			t.Fatalf("answer %q", a)
		}
		// A submission, then drafts queued before it: the answer stays, the
		// history goes on.
		if _, err := s.InRoom(ctx, iv, func(rt *store.RoomTx) error {
			return rt.SubmitAnswer(ctx, c, 1, "submitted text", 6)
		}); err != nil {
			t.Fatal(err)
		}
		late := []store.Draft{d(7, "the quick brown fox jumps over"), d(8, "the quick brown fox jumps over the")}
		if err := s.SaveDrafts(ctx, late); err != nil {
			t.Fatal(err)
		}
		want = append(want, late[0].Text, late[1].Text)
		if a := answerText(t, s, iv, c, 1); a != "submitted text" {
			t.Fatalf("a draft rewrote the submission: %q", a)
		}
		h, err := s.DraftHistory(ctx, iv, c, 1)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		var vs []int64
		for _, x := range h {
			got = append(got, x.Text)
			vs = append(vs, x.Version)
		}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
			t.Fatalf("history\n%q\nwant\n%q", got, want)
		}
		if fmt.Sprint(vs) != "[1 3 2 2 3 5 4 7 8]" {
			t.Fatalf("versions %v", vs)
		}
	})
}

// TestDraftsConcurrentBatches: two handles on one database (two instances)
// save drafts of the same answers at once; on PostgreSQL their transactions
// overlap, and the chain must still rebuild every text each one stored.
func TestDraftsConcurrentBatches(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			var a, b *store.Store
			switch d {
			case store.SQLite:
				a = storetest.New(t, d)
				b = a
			case store.Postgres:
				url := storetest.NewPostgresDatabase(t)
				for _, p := range []**store.Store{&a, &b} {
					s, err := store.OpenPostgres(ctx, url)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { s.Close() })
					*p = s
				}
				if _, err := a.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
			}
			iv, cands := draftInterview(t, a, 3)
			var wg sync.WaitGroup
			sent := make([]map[string]bool, 2)
			errs := make([]error, 2)
			for w, s := range []*store.Store{a, b} {
				sent[w] = map[string]bool{}
				wg.Go(func() {
					r := rand.New(rand.NewPCG(uint64(w), 1))
					for i := range 60 {
						var batch []store.Draft
						// Both writers touch every answer, in different orders.
						for j := range cands {
							c := cands[(j+w*i)%len(cands)]
							text := fmt.Sprintf("writer %d batch %d %s", w, i, strings.Repeat("z", r.IntN(30)))
							batch = append(batch, store.Draft{InterviewID: iv, CandidateID: c, Position: 1, Version: int64(i*2 + w), Text: text, ReceivedAt: time.Now().UTC()})
							sent[w][fmt.Sprint(c, text)] = true
						}
						if err := s.SaveDrafts(ctx, batch); err != nil {
							errs[w] = err
							return
						}
					}
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range cands {
				h, err := a.DraftHistory(ctx, iv, c, 1)
				if err != nil {
					t.Fatal(err)
				}
				if len(h) != 120 {
					t.Fatalf("candidate %d: %d drafts, want 120", c, len(h))
				}
				for _, x := range h {
					k := fmt.Sprint(c, x.Text)
					if !sent[0][k] && !sent[1][k] {
						t.Fatalf("candidate %d: rebuilt %q, which nobody sent", c, x.Text)
					}
					delete(sent[0], k)
					delete(sent[1], k)
				}
			}
			if len(sent[0])+len(sent[1]) != 0 {
				t.Fatalf("texts missing from the history: %d", len(sent[0])+len(sent[1]))
			}
		})
	}
}

// openRaw opens a fresh database of dialect d for goose itself, returning
// the handle and a function that opens a store on the same database.
func openRaw(t *testing.T, d store.Dialect) (*sql.DB, goose.Dialect, func() *store.Store) {
	t.Helper()
	ctx := context.Background()
	switch d {
	case store.SQLite:
		path := filepath.Join(t.TempDir(), "ace.db")
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, goose.DialectSQLite3, func() *store.Store {
			s, err := store.OpenSQLite(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	default:
		url := storetest.NewPostgresDatabase(t)
		db, err := sql.Open("postgres", url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, goose.DialectPostgres, func() *store.Store {
			s, err := store.OpenPostgres(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	}
}

// TestMigrateDraftsToDeltas: drafts stored before migration 00007 (whole
// texts) become keyframes, new drafts chain after them, and migrating down
// gives every row its whole text back.
func TestMigrateDraftsToDeltas(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db, gd, open := openRaw(t, d)
			dir, err := fs.Sub(acesql.FS, string(d))
			if err != nil {
				t.Fatal(err)
			}
			p, err := goose.NewProvider(gd, db, dir, goose.WithAllowOutofOrder(true))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			// The migrations after 7 too, which today's store code reads
			// (goose applies 7 out of order below).
			for _, src := range p.ListSources() {
				if src.Version > 7 {
					if _, err := p.ApplyVersion(ctx, src.Version, true); err != nil {
						t.Fatal(err)
					}
				}
			}
			s := open()
			iv, cands := draftInterview(t, s, 1)
			c := cands[0]
			old := []string{"fn", "fn main", "fn main() {}", "fn main() { println!(\"é\") }"}
			for i, text := range old {
				q := `INSERT INTO drafts (interview_id, candidate_id, position, version, text, received_at) VALUES (?, ?, 1, ?, ?, ?)`
				if d == store.Postgres {
					q = `INSERT INTO drafts (interview_id, candidate_id, position, version, text, received_at) VALUES ($1, $2, 1, $3, $4, $5)`
				}
				if _, err := db.ExecContext(ctx, q, iv, c, i+1, text, time.Now().UTC()); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := p.UpTo(ctx, 7); err != nil {
				t.Fatal(err)
			}
			more := []string{"fn main() { println!(\"é\"); }", "fn main() { println!(\"ü\"); }", ""}
			for i, text := range more {
				if err := s.SaveDrafts(ctx, []store.Draft{{InterviewID: iv, CandidateID: c, Position: 1, Version: int64(10 + i), Text: text, ReceivedAt: time.Now().UTC()}}); err != nil {
					t.Fatal(err)
				}
			}
			want := append(append([]string{}, old...), more...)
			h, err := s.DraftHistory(ctx, iv, c, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != len(want) {
				t.Fatalf("%d drafts, want %d", len(h), len(want))
			}
			for i := range h {
				if h[i].Text != want[i] {
					t.Fatalf("draft %d: %q, want %q", i, h[i].Text, want[i])
				}
			}
			if st, _ := s.DraftStorage(ctx, iv, c); st.Keyframes != int64(len(old))+1 {
				// The old rows, and the emptied text at the end.
				t.Fatalf("%d keyframes, want %d", st.Keyframes, len(old)+1)
			}
			if _, err := p.DownTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			rows, err := db.QueryContext(ctx, `SELECT text FROM drafts ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var x string
				if err := rows.Scan(&x); err != nil {
					t.Fatal(err)
				}
				got = append(got, x)
			}
			rows.Close()
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
				t.Fatalf("after down:\n%q\nwant\n%q", got, want)
			}
		})
	}
}

// TestMigrateOutOfOrder: a database that got a later migration first (a
// branch's build ran against it) still takes the earlier one when it comes.
func TestMigrateOutOfOrder(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			_, _, open := openRaw(t, d)
			s := open()
			dir, err := fs.Sub(acesql.FS, string(d))
			if err != nil {
				t.Fatal(err)
			}
			names, err := fs.Glob(dir, "*.sql")
			if err != nil || len(names) < 3 {
				t.Fatalf("migrations %v %v", names, err)
			}
			skipped := names[len(names)-2]
			partial := fstest.MapFS{}
			for _, n := range names {
				if n == skipped {
					continue
				}
				b, _ := fs.ReadFile(dir, n)
				partial[n] = &fstest.MapFile{Data: b}
			}
			if n, err := s.MigrateFS(ctx, partial); err != nil || n != len(names)-1 {
				t.Fatalf("without %s: %d applied, %v", skipped, n, err)
			}
			n, err := s.Migrate(ctx)
			if err != nil || n != 1 {
				t.Fatalf("then with %s: %d applied, %v", skipped, n, err)
			}
		})
	}
}
