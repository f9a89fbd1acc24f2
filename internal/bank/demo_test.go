package bank

import (
	"slices"
	"testing"
)

func TestDemo(t *testing.T) {
	qs, err := loadDemo()
	if err != nil {
		t.Fatalf("embedded demo bank: %v", err)
	}
	checkValid(t, qs)
	if len(qs) < 72 {
		t.Errorf("%d demo questions, want at least 72", len(qs))
	}
	counts := Counts(qs)
	var techs []string
	for _, c := range counts {
		techs = append(techs, c.Technology)
		if c.Beginner == 0 || c.Intermediate == 0 || c.Advanced == 0 {
			t.Errorf("%s lacks a level: %+v", c.Technology, c)
		}
	}
	for _, want := range []string{"Go", "Python", "JavaScript", "SQL", "System Design", "Node.js"} {
		if !slices.Contains(techs, want) {
			t.Errorf("no %q questions; have %q", want, techs)
		}
	}
	if len(counts) < 6 {
		t.Errorf("%d technologies, want at least 6", len(counts))
	}
	if d := Dedupe(qs); len(d) != len(qs) {
		t.Errorf("%d duplicate (technology, prompt) pairs", len(qs)-len(d))
	}
	for _, q := range qs {
		if q.TimeLimitS <= 0 {
			t.Errorf("%s %q has no time limit", q.Technology, q.Prompt)
		}
		if len(q.Tags) < 1 || len(q.Tags) > 3 {
			t.Errorf("%s %q has %d tags, want 1 to 3", q.Technology, q.Prompt, len(q.Tags))
		}
		if q.Source != DemoSource {
			t.Errorf("%s %q has source %q", q.Technology, q.Prompt, q.Source)
		}
		if len(q.Answer) < 200 {
			t.Errorf("%s %q: answer of %d bytes is too thin for a model answer", q.Technology, q.Prompt, len(q.Answer))
		}
	}
}

// TestDemoCopies checks that callers cannot change the shared bank.
func TestDemoCopies(t *testing.T) {
	a := Demo()
	a[0].Prompt = "changed"
	a[0].Tags[0] = "changed"
	b := Demo()
	if b[0].Prompt == "changed" || b[0].Tags[0] == "changed" {
		t.Error("Demo returned shared data")
	}
}
