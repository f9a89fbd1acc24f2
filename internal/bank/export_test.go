package bank

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// exportSample is a bank with the shapes that exports must carry: code
// with <, > and &, paragraphs, indentation, unicode, tags, time limits,
// empty and own sources, both visibilities.
func exportSample() []Question {
	qs := []Question{
		{Technology: "Go", Level: Advanced, Prompt: "What does this print?\n\n    for i := range 3 {\n        defer fmt.Print(i)\n    }",
			Answer: "210: deferred calls run last in, first out.\n\nEach iteration has its own i since Go 1.22.", Tags: []string{"defer", "loops"}, TimeLimitS: 300, Source: "team notes", Visibility: Private},
		{Technology: "Go", Level: Beginner, Prompt: "Is a < b && c > d the same as (a < b) && (c > d)?",
			Answer: "Yes: comparison binds tighter than &&.", Visibility: Public},
		{Technology: "System Design", Level: Intermediate, Prompt: "Design a URL shortener for 10 000 writes/s — where do you keep the counter?",
			Answer: "Hand out id ranges per writer so no single row is hot; encode ids in base62.", Tags: []string{"scale"}, TimeLimitS: 900, Source: "", Visibility: Public},
		{Technology: "C#", Level: Beginner, Prompt: "¿Qué es un delegate?", Answer: "Un tipo que referencia un método: «Func<int, int>».", Source: "es.json", Visibility: Public},
		{Technology: "Go", Level: Beginner, Prompt: "Name a built-in function that works on maps.", Answer: "delete, len and clear.", Source: "x", Visibility: Private},
	}
	return qs
}

// imported is what importing qs into an empty bank stores: the bank
// fills in a visibility the file did not say.
func imported(qs []Question) []Question {
	out := slices.Clone(qs)
	for i := range out {
		out[i].Visibility = out[i].Visibility.Or(Public)
		out[i].Line = 0
		if len(out[i].Tags) == 0 {
			out[i].Tags = nil
		}
	}
	SortQuestions(out)
	return out
}

func export(t *testing.T, f Format, qs []Question) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(&buf, f, qs, ""); err != nil {
		t.Fatalf("export %s: %v", f, err)
	}
	return buf.Bytes()
}

// roundTrip exports qs in f, imports the file, exports again and checks
// that the bytes are the same and so is the bank (the text format holds
// technology, level, prompt and answer only). It returns the first export.
func roundTrip(t *testing.T, f Format, qs []Question) []byte {
	t.Helper()
	first := export(t, f, qs)
	back, err := Parse("export."+string(f), f, bytes.NewReader(first))
	if err != nil {
		t.Fatalf("import of the %s export: %v\n%s", f, err, first)
	}
	checkValid(t, back)
	bank := imported(back)
	second := export(t, f, bank)
	if !bytes.Equal(first, second) {
		t.Fatalf("%s export → import → export differs:\nfirst:\n%s\nsecond:\n%s", f, first, second)
	}
	want := imported(qs)
	if len(bank) != len(want) {
		t.Fatalf("%d questions back, want %d", len(bank), len(want))
	}
	for i := range want {
		w, g := want[i], bank[i]
		if f == FormatText {
			w = Question{Technology: w.Technology, Level: w.Level, Prompt: textCanon(w.Prompt), Answer: textCanon(w.Answer)}
			g = Question{Technology: g.Technology, Level: g.Level, Prompt: g.Prompt, Answer: g.Answer}
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("question %d after the %s round trip:\n got %+v\nwant %+v", i+1, f, g, w)
		}
	}
	return first
}

func TestExportRoundTrip(t *testing.T) {
	public := slices.DeleteFunc(exportSample(), func(q Question) bool { return q.Visibility == Private })
	banks := map[string][]Question{
		"sample":     exportSample(),
		"demo":       Demo(),
		"mixed.json": mustParseTestdata(t, "mixed.json"),
		"mixed.yaml": mustParseTestdata(t, "mixed.yaml"),
		"mixed.txt":  mustParseTestdata(t, "mixed.txt"),
		"gift":       mustParseTestdata(t, "essays.gift"),
	}
	for name, qs := range banks {
		for _, f := range ExportFormats {
			t.Run(name+"/"+string(f), func(t *testing.T) {
				in := qs
				if f == FormatText && name == "sample" {
					in = public // the text format has no visibility
				}
				roundTrip(t, f, in)
			})
		}
	}
}

// TestExportRoundTripDjangoSeed takes the real page the issue came with
// through every format.
func TestExportRoundTripDjangoSeed(t *testing.T) {
	raw, err := os.ReadFile(seedFile)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("seed file missing on CI: %v", err)
		}
		t.Skipf("seed file %s not available outside CI: %v", seedFile, err)
	}
	qs, err := ParseText("question-bank-django.txt", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ExportFormats {
		t.Run(string(f), func(t *testing.T) {
			out := roundTrip(t, f, qs)
			if n := len(imported(qs)); n != 32 {
				t.Fatalf("%d questions", n)
			}
			if f == FormatText && !bytes.HasPrefix(out, []byte("DjangoBeginner\n\n")) {
				t.Errorf("text export starts %q", out[:40])
			}
		})
	}
}

// TestExportCanonical: the order and form of the input do not change the bytes.
func TestExportCanonical(t *testing.T) {
	qs := exportSample()
	for _, f := range []Format{FormatJSON, FormatYAML} {
		want := export(t, f, qs)
		for i := range 5 {
			shuffled := slices.Clone(qs)
			r := rand.New(rand.NewPCG(uint64(i), 1))
			r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
			if got := export(t, f, shuffled); !bytes.Equal(got, want) {
				t.Fatalf("%s: shuffled input gives other bytes:\n%s\nwant\n%s", f, got, want)
			}
		}
	}
	// Text: line ends and trailing blanks as the text parser reads them.
	messy := []Question{{Technology: "Go", Level: Beginner, Prompt: "Line one  \r\nline two\r\n\r\n\r\n\r\nSecond paragraph\t", Answer: "A\n\n\n"}}
	got := export(t, FormatText, messy)
	if want := "GoBeginner\n\nLine one\nline two\n\nSecond paragraph\n\nAnswer\n\nA\n"; string(got) != want {
		t.Errorf("text export %q, want %q", got, want)
	}
}

func TestExportJSONShape(t *testing.T) {
	got := export(t, FormatJSON, []Question{{Technology: "Go", Level: Beginner, Prompt: "a < b?", Answer: "x & y"}})
	want := `{
  "questions": [
    {
      "technology": "Go",
      "level": "beginner",
      "prompt": "a < b?",
      "answer": "x & y",
      "tags": [],
      "time_limit_s": 0,
      "source": "",
      "visibility": "public"
    }
  ]
}
`
	if string(got) != want {
		t.Errorf("json export:\n%s\nwant\n%s", got, want)
	}
	got = export(t, FormatYAML, []Question{{Technology: "Go", Level: Beginner, Prompt: "Two\nlines", Answer: "x", Tags: []string{"a", "b"}, Visibility: Private}})
	wantYAML := `questions:
  - technology: Go
    level: beginner
    prompt: |-
      Two
      lines
    answer: x
    tags: [a, b]
    time_limit_s: 0
    source: ""
    visibility: private
`
	if string(got) != wantYAML {
		t.Errorf("yaml export:\n%s\nwant\n%s", got, wantYAML)
	}
}

func TestExportTextRefuses(t *testing.T) {
	tests := []struct {
		name string
		q    Question
		msg  string
	}{
		{"technology not a header", Question{Technology: "C (ANSI)", Level: Beginner, Prompt: "P", Answer: "A"}, "cannot be a header"},
		{"Answer line in the prompt", Question{Technology: "Go", Level: Beginner, Prompt: "Fill in:\nAnswer\nwhat?", Answer: "A"}, `a line of its prompt is "Answer"`},
		{"header line in the answer", Question{Technology: "Go", Level: Beginner, Prompt: "P", Answer: "See\n\nGoAdvanced\n\nfor more"}, `"GoAdvanced" of its answer would read as a header`},
		{"page chrome at the end", Question{Technology: "Go", Level: Beginner, Prompt: "P", Answer: "A\n\nReady for a real challenge?"}, "would not read back as written"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Export(&buf, FormatText, []Question{tt.q}, "")
			if !errors.Is(err, ErrNotText) || !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), "use json or yaml") {
				t.Fatalf("err %v, want ErrNotText with %q", err, tt.msg)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %q before refusing", buf.String())
			}
		})
	}
	private := []Question{{Technology: "Go", Level: Beginner, Prompt: "P", Answer: "A", Visibility: Private}}
	if err := Export(&bytes.Buffer{}, FormatText, private, ""); !errors.Is(err, ErrPrivateText) {
		t.Errorf("text export of a private question without a visibility filter: %v", err)
	}
	if err := Export(&bytes.Buffer{}, FormatText, private, Private); err != nil {
		t.Errorf("text export of the private questions alone: %v", err)
	}
	if err := Export(&bytes.Buffer{}, FormatGIFT, private, ""); !errors.Is(err, ErrUnsupportedFormat) {
		t.Errorf("gift export: %v", err)
	}
}
