package review_test

// Benchmark for issue 9, part 3: "A 60-minute session of 3 candidates
// typing continuously (about 20,000 events and snapshots): replay each
// answer in under 100 ms server time on SQLite and on PostgreSQL; one
// candidate's replay payload under 1 MB; its stored typing history under
// 1 MB (whole snapshots would take about 9 MB)."
//
// It runs only with -bench:
//
//	go test ./internal/review -run '^$' -bench Replay -benchtime 20x
//
// ACE_BENCH_SNAPSHOT_MS (default 600) sets how often each candidate's draft
// is stored. Results are in docs/benchmarks.md.

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

const (
	benchCandidates = 3
	benchQuestions  = 4
	benchMinutes    = 60
)

// benchSession is what was stored, for the figures.
type benchSession struct {
	interviewID int64
	candidates  []int64
	events      int
	snapshots   int
	wholeBytes  []int64 // by candidate: every snapshot's text, whole
}

func snapshotEvery() time.Duration {
	ms, err := strconv.Atoi(os.Getenv("ACE_BENCH_SNAPSHOT_MS"))
	if err != nil || ms <= 0 {
		ms = 600
	}
	return time.Duration(ms) * time.Millisecond
}

var benchWords = []string{"func", "return", "channel", "goroutine", "select", "buffer", "the", "a", "is", "of",
	"because", "mutex", "deadlock", "context", "cancel", "interface", "slice", "map", "nil", "error", "é", "→"}

// recordSession stores a 60-minute interview: 4 questions of 15 minutes
// (pushes, timers with a pause, a resume and an extension each), chat from
// the interviewer every 20 s and from each candidate every 30 s, a focus
// lost and back every 20 s and a paste every minute per candidate, and each
// candidate's draft every snapshotEvery, typed at about 5.5 characters a
// second with deletions and edits, so each answer grows to about 5,000
// characters. Drafts are saved in batches as the room's writer saves them.
func recordSession(b *testing.B, s *store.Store) benchSession {
	b.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 3))
	u, err := s.CreateUser(ctx, "bench@example.com", "Bench", store.RoleInterviewer, "h")
	if err != nil {
		b.Fatal(err)
	}
	var qs []bank.Question
	for i := range benchQuestions {
		qs = append(qs, bank.Question{Technology: "Go", Level: bank.Intermediate, Prompt: fmt.Sprintf("Bench question %d: explain channels in depth.", i+1),
			Answer: "A model answer. " + fmt.Sprint(i), TimeLimitS: 900})
	}
	if _, err := s.ImportQuestions(ctx, qs); err != nil {
		b.Fatal(err)
	}
	got, _, err := s.ListQuestions(ctx, store.QuestionFilter{Technology: "Go", Limit: 10})
	if err != nil || len(got) != benchQuestions {
		b.Fatalf("questions: %d %v", len(got), err)
	}
	ni := store.NewInterview{Title: "bench", CreatedBy: u.ID, Panel: []int64{u.ID}}
	for _, q := range got {
		ni.Questions = append(ni.Questions, store.PlanItem{QuestionID: q.ID, TimeLimitS: 900})
	}
	for i := range benchCandidates {
		ni.Candidates = append(ni.Candidates, store.NewCandidate{Name: fmt.Sprintf("Candidate %d", i+1), TokenHash: fmt.Sprintf("bench-%d", i)})
	}
	iv, ps, err := s.CreateInterview(ctx, ni)
	if err != nil {
		b.Fatal(err)
	}
	sess := benchSession{interviewID: iv.ID, wholeBytes: make([]int64, benchCandidates)}
	var staffID int64
	for _, p := range ps {
		if p.Role == store.PartCandidate {
			sess.candidates = append(sess.candidates, p.ID)
		} else {
			staffID = p.ID
		}
	}

	// The transcript, in second-by-second order, appended in large
	// transactions (their times are the database's clock, not the
	// simulated one: the merge does not care).
	type pending struct {
		typ, audience string
		actor         int64
		data          any
	}
	var evs []pending
	add := func(typ, audience string, actor int64, data any) {
		evs = append(evs, pending{typ, audience, actor, data})
	}
	add("interview.started", store.AudienceAll, staffID, map[string]any{"status": "live"})
	for sec := 0; sec < benchMinutes*60; sec++ {
		q := sec / (benchMinutes * 60 / benchQuestions)
		if sec%(benchMinutes*60/benchQuestions) == 0 {
			add("question.pushed", store.AudienceAll, staffID, map[string]any{"position": q + 1, "technology": "Go", "level": "intermediate",
				"prompt": qs[q].Prompt, "time_limit_s": 900})
			add("timer.started", store.AudienceAll, staffID, map[string]any{"timer_id": q + 1, "scope": "question", "position": q + 1, "state": "running",
				"duration_ms": 900_000, "deadline": "2026-03-01T10:15:00Z", "deadline_ms": 1772360100000, "remaining_ms": 900_000, "server_now": "2026-03-01T10:00:00Z"})
		}
		switch sec % 900 {
		case 300:
			add("timer.paused", store.AudienceAll, staffID, map[string]any{"timer_id": q + 1, "scope": "question", "position": q + 1, "state": "paused", "remaining_ms": 600_000})
		case 330:
			add("timer.resumed", store.AudienceAll, staffID, map[string]any{"timer_id": q + 1, "scope": "question", "position": q + 1, "state": "running", "remaining_ms": 600_000})
		case 600:
			add("timer.extended", store.AudienceAll, staffID, map[string]any{"timer_id": q + 1, "scope": "question", "position": q + 1, "state": "running", "added_ms": 30_000})
		case 899:
			add("timer.expired", store.AudienceAll, 0, map[string]any{"timer_id": q + 1, "scope": "question", "position": q + 1, "state": "expired"})
		}
		if sec%20 == 7 {
			add("chat.message", store.AudienceAll, staffID, map[string]any{"from": staffID, "name": "Bench", "role": "interviewer", "text": "How would you test that under load?"})
		}
		for i, c := range sess.candidates {
			if sec%30 == 11+i {
				add("chat.message", store.CandidateAudience(c), c, map[string]any{"from": c, "name": fmt.Sprintf("Candidate %d", i+1), "role": "candidate", "text": "May I use the standard library only?"})
			}
			if sec%20 == 3+i {
				add("candidate.focus_lost", store.AudienceStaff, c, map[string]any{"candidate_id": c, "position": q + 1})
			}
			if sec%20 == 5+i {
				add("candidate.focus_back", store.AudienceStaff, c, map[string]any{"candidate_id": c, "position": q + 1})
			}
			if sec%60 == 13+i {
				add("candidate.pasted", store.AudienceStaff, c, map[string]any{"candidate_id": c, "position": q + 1, "chars": 40})
			}
		}
	}
	add("interview.ended", store.AudienceAll, staffID, map[string]any{"status": "ended"})
	for start := 0; start < len(evs); start += 500 {
		chunk := evs[start:min(start+500, len(evs))]
		if _, err := s.InRoom(ctx, iv.ID, func(rt *store.RoomTx) error {
			for _, e := range chunk {
				if err := rt.Append(e.typ, e.actor, e.audience, e.data); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	sess.events = len(evs)

	// The drafts, saved a batch per simulated second (about 5 per batch).
	every := snapshotEvery()
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	texts := make([][]rune, benchCandidates)
	stream := make([][]rune, benchCandidates) // what each is about to type
	version := make([]int64, benchCandidates)
	var batch []store.Draft
	lastPos := make([]int, benchCandidates)
	for at := time.Duration(0); at < benchMinutes*time.Minute; at += every {
		pos := int(at/(benchMinutes*time.Minute/benchQuestions)) + 1
		for i, c := range sess.candidates {
			if pos != lastPos[i] {
				texts[i], lastPos[i] = nil, pos
			}
			// About 5.5 characters a second, mostly at the end.
			chars := int(5.5*every.Seconds()) + r.IntN(2)
			switch n := r.IntN(100); {
			case n < 8 && len(texts[i]) > 10:
				texts[i] = texts[i][:len(texts[i])-1-r.IntN(5)]
			case n < 14 && len(texts[i]) > 50:
				at := r.IntN(len(texts[i]))
				texts[i] = append(texts[i][:at:at], append([]rune(benchWords[r.IntN(len(benchWords))]+" "), texts[i][at:]...)...)
			default:
				for len(stream[i]) < chars {
					w := benchWords[r.IntN(len(benchWords))] + " "
					if r.IntN(12) == 0 {
						w += "\n"
					}
					stream[i] = append(stream[i], []rune(w)...)
				}
				texts[i] = append(texts[i], stream[i][:chars]...)
				stream[i] = stream[i][chars:]
			}
			version[i]++
			text := string(texts[i])
			// Versions as the page makes them (about the time in ms),
			// times with the server clock's nanoseconds.
			batch = append(batch, store.Draft{InterviewID: iv.ID, CandidateID: c, Position: pos, Version: t0.Add(at).UnixMilli() + version[i], Text: text,
				ReceivedAt: t0.Add(at + time.Duration(i)*time.Millisecond + time.Duration(r.IntN(1_000_000)))})
			sess.wholeBytes[i] += int64(len(text))
			sess.snapshots++
		}
		if len(batch) >= 5 {
			if err := s.SaveDrafts(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = nil
		}
	}
	if err := s.SaveDrafts(ctx, batch); err != nil {
		b.Fatal(err)
	}
	return sess
}

// BenchmarkReplay measures one candidate's replay as the API makes it:
// reading the transcript and the drafts, building the timeline, encoding it
// and compressing it.
func BenchmarkReplay(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			s := storetest.New(b, d)
			sess := recordSession(b, s)
			cand := sess.candidates[0]
			var payload, zipped int
			var items []review.Item
			var took []time.Duration
			var gz bytes.Buffer
			for b.Loop() {
				start := time.Now()
				var err error
				items, err = review.LoadReplay(ctx, s, sess.interviewID, cand)
				if err != nil {
					b.Fatal(err)
				}
				body := review.MarshalReplay(items)
				// Browsers ask for gzip, and the route compresses (fasthttp
				// uses a faster deflate than the standard library's).
				gz.Reset()
				zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
				_, _ = zw.Write(body)
				_ = zw.Close()
				payload, zipped = len(body), gz.Len()
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2])/1e6, "p50-ms")
			b.ReportMetric(float64(took[len(took)-1])/1e6, "max-ms")
			b.ReportMetric(float64(zipped)/1e6, "payload-gzip-MB")
			st, err := s.DraftStorage(ctx, sess.interviewID, cand)
			if err != nil {
				b.Fatal(err)
			}
			var drafts, keyframes int
			for _, it := range items {
				if it.Kind == review.KindDraft {
					drafts++
					if it.Keyframe {
						keyframes++
					}
				}
			}
			b.ReportMetric(float64(sess.events+sess.snapshots), "stored-items")
			b.ReportMetric(float64(len(items)), "replay-items")
			b.ReportMetric(float64(keyframes), "replay-keyframes")
			b.ReportMetric(float64(payload)/1e6, "payload-MB")
			b.ReportMetric(float64(st.TextBytes)/1e6, "stored-text-MB")
			b.ReportMetric(float64(sess.wholeBytes[0])/1e6, "whole-snapshots-MB")
			b.ReportMetric(float64(st.Rows), "history-rows")
			b.ReportMetric(float64(st.Keyframes), "history-keyframes")
			b.ReportMetric(float64(st.TableBytes)/1e6, "drafts-table-MB")
		})
	}
}
