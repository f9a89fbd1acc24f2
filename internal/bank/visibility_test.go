package bank

import (
	"strings"
	"testing"
)

func TestParseVisibility(t *testing.T) {
	for in, want := range map[string]Visibility{"public": Public, "Private": Private, " PUBLIC ": Public} {
		if got, err := ParseVisibility(in); err != nil || got != want {
			t.Errorf("ParseVisibility(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "hidden", "staff"} {
		if _, err := ParseVisibility(in); err == nil {
			t.Errorf("ParseVisibility(%q) accepted", in)
		}
	}
}

func TestVisibilityInFiles(t *testing.T) {
	const jsonIn = `{"questions": [
  {"technology": "Go", "level": "beginner", "prompt": "P1", "answer": "A1"},
  {"technology": "Go", "level": "beginner", "prompt": "P2", "answer": "A2", "visibility": "private"},
  {"technology": "Go", "level": "beginner", "prompt": "P3", "answer": "A3", "visibility": "Public", "source": ""}
]}`
	const yamlIn = `questions:
  - {technology: Go, level: beginner, prompt: P1, answer: A1}
  - {technology: Go, level: beginner, prompt: P2, answer: A2, visibility: private}
  - {technology: Go, level: beginner, prompt: P3, answer: A3, visibility: Public, source: ""}
`
	for name, tt := range map[string]struct {
		f  Format
		in string
	}{"in.json": {FormatJSON, jsonIn}, "in.yaml": {FormatYAML, yamlIn}} {
		t.Run(name, func(t *testing.T) {
			qs, err := Parse(name, tt.f, strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			checkValid(t, qs)
			if qs[0].Visibility != "" || qs[1].Visibility != Private || qs[2].Visibility != Public {
				t.Errorf("visibilities %q %q %q, want unsaid, private, public", qs[0].Visibility, qs[1].Visibility, qs[2].Visibility)
			}
			if qs[0].Source != name || qs[2].Source != "" {
				t.Errorf("sources %q, %q: want the file name when absent, empty when written empty", qs[0].Source, qs[2].Source)
			}
		})
	}
	bad := []struct {
		name string
		f    Format
		in   string
		line int
	}{
		{"bad.json", FormatJSON, "{\"questions\": [\n {\"technology\": \"Go\", \"level\": \"beginner\", \"prompt\": \"P\", \"answer\": \"A\"},\n {\"technology\": \"Go\", \"level\": \"beginner\", \"prompt\": \"Q\",\n  \"answer\": \"A\", \"visibility\": \"secret\"}\n]}", 3},
		{"bad.yaml", FormatYAML, "questions:\n  - technology: Go\n    level: beginner\n    prompt: P\n    answer: A\n  - technology: Go\n    level: beginner\n    prompt: Q\n    answer: A\n    visibility: secret\n", 6},
		{"type.json", FormatJSON, "{\"questions\": [\n {\"technology\": \"Go\", \"level\": \"beginner\", \"prompt\": \"P\", \"answer\": \"A\",\n  \"visibility\": true}]}", 3},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.name, tt.f, strings.NewReader(tt.in))
			msg := `unknown visibility "secret" (want public or private)`
			if tt.name == "type.json" {
				msg = "visibility must be a string"
			}
			wantParseError(t, err, tt.name, tt.line, msg)
		})
	}
}

func TestSetVisibility(t *testing.T) {
	qs := []Question{{Visibility: Public}, {}, {Visibility: Private}}
	SetVisibility(qs, Private)
	for i, q := range qs {
		if q.Visibility != Private {
			t.Errorf("question %d: %q", i, q.Visibility)
		}
	}
}
