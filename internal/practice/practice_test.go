package practice

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

func TestParse(t *testing.T) {
	cases := []struct {
		form string
		want Settings
		ok   bool
	}{
		{"technology=Go&count=5", Settings{Technology: "Go", Count: 5, TimeMode: store.PracticeSuggested}, true},
		{"technology=+Go+&level=mixed&count=10&time=suggested", Settings{Technology: "Go", Count: 10, TimeMode: store.PracticeSuggested}, true},
		{"technology=Go&level=Advanced&count=20&time=exam&minutes=30", Settings{Technology: "Go", Level: "advanced", Count: 20, TimeMode: store.PracticeExam, ExamMinutes: 30}, true},
		{"technology=Go&count=5&time=suggested&minutes=999", Settings{Technology: "Go", Count: 5, TimeMode: store.PracticeSuggested}, true},
		{"count=5", Settings{}, false},
		{"technology=Go&count=6", Settings{}, false},
		{"technology=Go&count=", Settings{}, false},
		{"technology=Go&count=5&level=expert", Settings{}, false},
		{"technology=Go&count=5&time=exam", Settings{}, false},
		{"technology=Go&count=5&time=exam&minutes=0", Settings{}, false},
		{"technology=Go&count=5&time=later", Settings{}, false},
		{"technology=Go%00&count=5", Settings{}, false},
		{"technology=%ff&count=5", Settings{}, false},
	}
	for _, tc := range cases {
		v, _ := url.ParseQuery(tc.form)
		got, err := Parse(v.Get)
		if tc.ok && (err != nil || got != tc.want) {
			t.Errorf("%s: %+v, %v; want %+v", tc.form, got, err, tc.want)
		}
		if !tc.ok && !errors.Is(err, ErrSettings) {
			t.Errorf("%s: %+v accepted (err %v)", tc.form, got, err)
		}
	}
}

// FuzzParse: whatever a form holds, Parse either refuses it with
// ErrSettings or returns settings that are all allowed values.
func FuzzParse(f *testing.F) {
	f.Add("Go", "mixed", "5", "suggested", "")
	f.Add("Go", "beginner", "20", "exam", "90")
	f.Add("", "x", "-1", "exam", "1e9")
	f.Fuzz(func(t *testing.T, tech, level, count, mode, minutes string) {
		form := map[string]string{"technology": tech, "level": level, "count": count, "time": mode, "minutes": minutes}
		s, err := Parse(func(k string) string { return form[k] })
		if err != nil {
			if !errors.Is(err, ErrSettings) || err.Error() == "" {
				t.Fatalf("error %v is not a settings error with a message", err)
			}
			return
		}
		switch {
		case s.Technology == "" || len(s.Technology) > 4*maxTechnology:
			t.Fatalf("technology %q", s.Technology)
		case !slices.Contains([]string{"", "beginner", "intermediate", "advanced"}, s.Level):
			t.Fatalf("level %q", s.Level)
		case !slices.Contains(Counts, s.Count):
			t.Fatalf("count %d", s.Count)
		case s.TimeMode == store.PracticeExam && !slices.Contains(ExamMinutes, s.ExamMinutes):
			t.Fatalf("minutes %d", s.ExamMinutes)
		case s.TimeMode == store.PracticeSuggested && s.ExamMinutes != 0:
			t.Fatalf("suggested mode with minutes %d", s.ExamMinutes)
		case s.TimeMode != store.PracticeExam && s.TimeMode != store.PracticeSuggested:
			t.Fatalf("mode %q", s.TimeMode)
		}
	})
}

func TestDraw(t *testing.T) {
	ids := []int64{1, 2, 3, 4, 5, 6}
	got := Draw(ids, 4)
	if len(got) != 4 {
		t.Fatalf("drew %v", got)
	}
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != 4 {
		t.Fatalf("drew %v: want 4 distinct ids in the order given", got)
	}
	// Every id is drawn sometimes.
	seen := map[int64]bool{}
	for range 200 {
		for _, id := range Draw(ids, 2) {
			seen[id] = true
		}
	}
	if len(seen) != len(ids) {
		t.Fatalf("200 draws of 2 reached only %v", seen)
	}
	if got := Draw(ids, 20); len(got) != 6 {
		t.Fatalf("more asked than there are: %v", got)
	}
	if !slices.Equal(ids, []int64{1, 2, 3, 4, 5, 6}) {
		t.Fatal("Draw changed its input")
	}
}

func ev(typ string, at time.Time, data any) store.Event {
	b, _ := json.Marshal(data)
	return store.Event{Type: typ, CreatedAt: at, Data: b}
}

func TestTimeUsed(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	s := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	const me, other = 7, 8
	evs := []store.Event{
		ev("interview.started", s(0), map[string]any{}),
		ev("question.opened", s(1), map[string]any{"candidate_id": me, "position": 1}),
		ev("question.opened", s(2), map[string]any{"candidate_id": other, "position": 3}), // not mine
		ev("question.opened", s(11), map[string]any{"candidate_id": me, "position": 2}),   // 1: 10 s
		ev("answer.submitted", s(16), map[string]any{"candidate_id": me, "position": 2}),  // 2: 5 s
		ev("question.opened", s(20), map[string]any{"candidate_id": me, "position": 1}),   // back to 1
		ev("timer.expired", s(23), map[string]any{"candidate_id": me, "scope": "question", "position": 1}),
		ev("question.opened", s(30), map[string]any{"candidate_id": me, "position": 3}),
		ev("timer.expired", s(34), map[string]any{"scope": "exam", "position": 0}),
		ev("question.opened", s(35), map[string]any{"candidate_id": me, "position": 2}), // after the exam: no clock
		ev("interview.ended", s(60), map[string]any{}),
	}
	tm := TimeUsed(evs, me, s(100))
	want := map[int]int64{1: 13000, 2: 5000, 3: 4000}
	for p, ms := range want {
		if tm.UsedMS[p] != ms {
			t.Errorf("position %d: %d ms, want %d", p, tm.UsedMS[p], ms)
		}
	}
	if !tm.Expired[1] || tm.Expired[2] || !tm.ExamUp {
		t.Errorf("expired %v, exam up %v", tm.Expired, tm.ExamUp)
	}
	// Still running: the open question's clock runs to end.
	running := TimeUsed(evs[:3], me, s(9))
	if running.UsedMS[1] != 8000 {
		t.Errorf("running: %v", running.UsedMS)
	}
}

func TestTotalAndOutcome(t *testing.T) {
	s := Total(map[int]string{1: store.RatingGot, 2: store.RatingPartly, 3: store.RatingMissed, 4: "bogus"}, 5)
	if s.Points() != "1.5" || s.Rated != 3 || s.Of != 5 {
		t.Fatalf("%+v %s", s, s.Points())
	}
	if Total(nil, 3).Points() != "0" {
		t.Fatal("empty total")
	}
	sub := &store.Answer{Text: "x", Submitted: 1}
	open := &store.Answer{Text: "x"}
	for _, tc := range []struct {
		a    *store.Answer
		up   bool
		want string
	}{{sub, true, OutcomeSubmitted}, {open, true, OutcomeTimeUp}, {open, false, OutcomeOpen}, {nil, false, OutcomeNone}, {&store.Answer{}, false, OutcomeNone}} {
		if got := Outcome(tc.a, tc.up); got != tc.want {
			t.Errorf("Outcome(%+v, %v) = %s, want %s", tc.a, tc.up, got, tc.want)
		}
	}
}
