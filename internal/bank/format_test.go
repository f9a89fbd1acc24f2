package bank

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestFormatFromContentType(t *testing.T) {
	tests := []struct {
		ct   string
		want Format
	}{
		{"text/plain", FormatText},
		{"text/plain; charset=utf-8", FormatText},
		{"TEXT/PLAIN;charset=UTF-8", FormatText},
		{"application/json", FormatJSON},
		{"application/json; charset=utf-8", FormatJSON},
		{"application/yaml", FormatYAML},
		{"application/x-yaml", FormatYAML},
		{"text/yaml; charset=utf-8", FormatYAML},
		{"text/x-yaml", FormatYAML},
		{"text/x-gift", FormatGIFT},
		{"application/x-gift; charset=utf-8", FormatGIFT},
		{"text/html", ""},
		{"application/octet-stream", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.ct, func(t *testing.T) {
			got, err := FormatFromContentType(tt.ct)
			if tt.want == "" {
				if !errors.Is(err, ErrUnsupportedFormat) {
					t.Errorf("FormatFromContentType(%q) = %q, %v; want ErrUnsupportedFormat", tt.ct, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("FormatFromContentType(%q) = %q, %v; want %q", tt.ct, got, err, tt.want)
			}
		})
	}
}

func TestFormatFromName(t *testing.T) {
	tests := []struct {
		name string
		want Format
	}{
		{"bank.txt", FormatText},
		{"Django Questions.TXT", FormatText},
		{"bank.json", FormatJSON},
		{"bank.yaml", FormatYAML},
		{"dir/bank.yml", FormatYAML},
		{"moodle.GIFT", FormatGIFT},
		{"bank.csv", ""},
		{"bank", ""},
		{"yaml", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FormatFromName(tt.name)
			if tt.want == "" {
				if !errors.Is(err, ErrUnsupportedFormat) {
					t.Errorf("FormatFromName(%q) = %q, %v; want ErrUnsupportedFormat", tt.name, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("FormatFromName(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
			}
		})
	}
}

func TestParseUnknownFormat(t *testing.T) {
	_, err := Parse("bank.csv", Format("csv"), strings.NewReader("a,b"))
	if !errors.Is(err, ErrUnsupportedFormat) {
		t.Errorf("error %v, want ErrUnsupportedFormat", err)
	}
}

// TestParseTooLarge checks the cap for every format, and that a file of
// exactly MaxImportBytes is still read (and fails for its content instead).
func TestParseTooLarge(t *testing.T) {
	for _, f := range []Format{FormatText, FormatJSON, FormatYAML} {
		t.Run(string(f), func(t *testing.T) {
			big := io.LimitReader(repeatReader('\n'), MaxImportBytes+1)
			_, err := Parse("big", f, big)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v, want ErrTooLarge", err)
			}
			if !strings.Contains(err.Error(), "8 MiB") {
				t.Errorf("error %q does not state the limit", err)
			}
			atLimit := io.LimitReader(repeatReader('\n'), MaxImportBytes)
			_, err = Parse("big", f, atLimit)
			var pe *ParseError
			if errors.Is(err, ErrTooLarge) || !errors.As(err, &pe) {
				t.Errorf("at the limit: error %v, want a *ParseError", err)
			}
		})
	}
}

// repeatReader is an endless stream of one byte.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestParseSameQuestionsInEveryFormat feeds one bank through all three
// formats and expects the same questions back.
func TestParseSameQuestionsInEveryFormat(t *testing.T) {
	text := "GoBeginner\n\nWhat is Go?\n\nAnswer\n\nA compiled language.\n\nSQLAdvanced\n\nWhat is MVCC?\n\nAnswer\n\nReaders see a snapshot.\n\nWriters add row versions.\n"
	jsonIn := `{"questions": [
{"technology": "Go", "level": "beginner", "prompt": "What is Go?", "answer": "A compiled language.", "source": "bank"},
{"technology": "SQL", "level": "advanced", "prompt": "What is MVCC?", "answer": "Readers see a snapshot.\n\nWriters add row versions.", "source": "bank"}]}`
	yamlIn := "questions:\n" +
		"  - {technology: Go, level: beginner, prompt: \"What is Go?\", answer: \"A compiled language.\", source: bank}\n" +
		"  - technology: SQL\n    level: advanced\n    prompt: What is MVCC?\n    answer: \"Readers see a snapshot.\\n\\nWriters add row versions.\"\n    source: bank\n"
	var results [][]Question
	for _, in := range []struct {
		f    Format
		data string
	}{{FormatText, text}, {FormatJSON, jsonIn}, {FormatYAML, yamlIn}} {
		qs, err := Parse("bank", in.f, strings.NewReader(in.data))
		if err != nil {
			t.Fatalf("%s: %v", in.f, err)
		}
		for i := range qs {
			qs[i].Line = 0
		}
		results = append(results, qs)
	}
	for i, f := range []Format{FormatJSON, FormatYAML} {
		if !reflect.DeepEqual(results[i+1], results[0]) {
			t.Errorf("%s gives %+v\nwant %+v", f, results[i+1], results[0])
		}
	}
}

func TestDedupe(t *testing.T) {
	q := func(tech string, level Level, prompt, answer string) Question {
		return Question{Technology: tech, Level: level, Prompt: prompt, Answer: answer}
	}
	tests := []struct {
		name string
		in   []Question
		want []Question
	}{
		{"empty", nil, []Question{}},
		{"no repeats", []Question{q("Go", Beginner, "A?", "1"), q("Go", Beginner, "B?", "2")},
			[]Question{q("Go", Beginner, "A?", "1"), q("Go", Beginner, "B?", "2")}},
		{"last wins in first place", []Question{
			q("Go", Beginner, "A?", "old"), q("Go", Beginner, "B?", "2"), q("Go", Advanced, "A?", "new"),
		}, []Question{q("Go", Advanced, "A?", "new"), q("Go", Beginner, "B?", "2")}},
		{"prompt key ignores case and spacing", []Question{
			q("Go", Beginner, "What is  a Slice?", "old"), q("Go", Beginner, "what is a\nslice?", "new"),
		}, []Question{q("Go", Beginner, "what is a\nslice?", "new")}},
		{"same prompt, other technology", []Question{
			q("Go", Beginner, "What is a closure?", "1"), q("JavaScript", Beginner, "What is a closure?", "2"),
		}, []Question{q("Go", Beginner, "What is a closure?", "1"), q("JavaScript", Beginner, "What is a closure?", "2")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Dedupe(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Dedupe:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	qs := []Question{
		{Technology: "System Design", Level: Advanced, Prompt: "A?"},
		{Technology: "Go", Level: Beginner, Prompt: "A?"},
		{Technology: "Go", Level: Beginner, Prompt: "B?"},
		{Technology: "Go", Level: Intermediate, Prompt: "a?"}, // repeats "A?": now intermediate
		{Technology: "C++", Level: Advanced, Prompt: "A?"},
	}
	want := []Count{
		{Technology: "C++", Advanced: 1},
		{Technology: "Go", Beginner: 1, Intermediate: 1},
		{Technology: "System Design", Advanced: 1},
	}
	got := Counts(qs)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Counts:\n got %+v\nwant %+v", got, want)
	}
	if got[1].Total() != 2 {
		t.Errorf("Total = %d, want 2", got[1].Total())
	}
	if got := Counts(nil); len(got) != 0 {
		t.Errorf("Counts(nil) = %+v, want none", got)
	}
}

// TestImportIsIdempotent checks what the store relies on: a file listing a
// question twice counts it once, and parsing the same bytes again yields
// the same questions.
func TestImportIsIdempotent(t *testing.T) {
	raw := readTestdata(t, "mixed.txt")
	twice := append(append([]byte{}, raw...), raw...)
	once, err := ParseText("mixed.txt", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	both, err := ParseText("mixed.txt", bytes.NewReader(twice))
	if err != nil {
		t.Fatal(err)
	}
	if len(both) != 2*len(once) {
		t.Fatalf("%d questions from the doubled file, want %d", len(both), 2*len(once))
	}
	if !reflect.DeepEqual(Counts(both), Counts(once)) {
		t.Errorf("counts of the doubled file %+v, want %+v", Counts(both), Counts(once))
	}
	if d := Dedupe(both); len(d) != len(once) {
		t.Errorf("Dedupe kept %d, want %d", len(d), len(once))
	}
}

func TestLineCounter(t *testing.T) {
	data := []byte("a\r\nb\rc\nd\r\n\r\ne")
	// Line of each offset, counting "\r\n", "\r" and "\n" as one line end.
	want := []int{1, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6}
	for step := 1; step <= 3; step++ {
		t.Run(fmt.Sprintf("step %d", step), func(t *testing.T) {
			c := lineCounter{data: data}
			for off := 0; off < len(data)+1; off += step {
				if got := c.at(off); got != want[off] {
					t.Errorf("at(%d) = %d, want %d", off, got, want[off])
				}
				if got := lineAt(data, off); got != want[off] {
					t.Errorf("lineAt(%d) = %d, want %d", off, got, want[off])
				}
			}
			if got := c.at(0); got != 1 {
				t.Errorf("at(0) after the end = %d, want 1", got)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"text": FormatText, "JSON": FormatJSON, " yaml ": FormatYAML, "gift": FormatGIFT} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "yml", "csv"} {
		if _, err := ParseFormat(in); !errors.Is(err, ErrUnsupportedFormat) {
			t.Errorf("ParseFormat(%q): %v, want ErrUnsupportedFormat", in, err)
		}
	}
}
