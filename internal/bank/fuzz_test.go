package bank

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// addSeeds adds every testdata file matching pattern to the fuzz corpus.
func addSeeds(f *testing.F, pattern string) {
	f.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(names) == 0 {
		f.Fatalf("no seeds for %s: %v", pattern, err)
	}
	for _, name := range names {
		f.Add(readTestdata(f, filepath.Base(name)))
	}
}

// checkParse is the property every parser keeps: no panic, a *ParseError
// on failure, and on success only valid, normalised questions.
func checkParse(t *testing.T, parse func(string, io.Reader) ([]Question, error), data []byte) {
	t.Helper()
	qs, err := parse("fuzz", bytes.NewReader(data))
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %v (%T) is not a *ParseError", err, err)
		}
		// Parsers count "\r\n", "\r" and "\n" as line ends.
		maxLine := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
		if pe.File != "fuzz" || pe.Line < 1 || pe.Line > maxLine {
			t.Fatalf("error at %s:%d outside the input: %v", pe.File, pe.Line, err)
		}
		return
	}
	checkValid(t, qs)
}

func FuzzParseText(f *testing.F) {
	addSeeds(f, "*.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, ParseText, data)
	})
}

func FuzzParseJSON(f *testing.F) {
	addSeeds(f, "*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, ParseJSON, data)
	})
}

func FuzzParseYAML(f *testing.F) {
	addSeeds(f, "*.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, ParseYAML, data)
	})
}

func FuzzParseGIFT(f *testing.F) {
	addSeeds(f, "*.gift")
	f.Add([]byte("$CATEGORY: Go/Beginner\n\n::T\\::x:: [html]<p>a\\{b\\}</p> {\n####[markdown]c\\nd\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, ParseGIFT, data)
	})
}

// FuzzExportRoundTrip: any valid question goes through JSON and YAML
// export, import and export again unchanged, byte for byte; through the
// text format too, unless the writer refuses it with ErrNotText.
func FuzzExportRoundTrip(f *testing.F) {
	f.Add("Go", "What is\n\n  a slice?", "A view\nof an array.", "tag", true)
	f.Add("System Design", "a < b && \"q\"", "Answer\nGoBeginner", "", false)
	f.Add("C#", "x\r\ny  \t", "Ready for a real challenge?", "x,y", true)
	f.Fuzz(func(t *testing.T, tech, prompt, answer, tags string, private bool) {
		q := Question{Technology: tech, Level: Intermediate, Prompt: prompt, Answer: answer, Tags: strings.Split(tags, ","), TimeLimitS: 60, Source: "fuzz"}
		if private {
			q.Visibility = Private
		}
		q.Normalize()
		if q.Validate() != nil {
			return
		}
		other := Question{Technology: "Go", Level: Beginner, Prompt: "Other prompt", Answer: "Other answer", Visibility: Public}
		qs := []Question{q, other}
		for _, format := range ExportFormats {
			var first bytes.Buffer
			err := Export(&first, format, qs, q.Visibility)
			if format == FormatText && errors.Is(err, ErrNotText) {
				continue
			}
			if err != nil {
				t.Fatalf("export %s: %v", format, err)
			}
			back, err := Parse("export", format, bytes.NewReader(first.Bytes()))
			if err != nil {
				t.Fatalf("import of the %s export: %v\n%q", format, err, first.String())
			}
			for i := range back {
				back[i].Visibility = back[i].Visibility.Or(Public)
			}
			var second bytes.Buffer
			if err := Export(&second, format, back, q.Visibility); err != nil {
				t.Fatalf("second %s export: %v", format, err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Fatalf("%s round trip differs:\n%q\n%q", format, first.String(), second.String())
			}
		}
	})
}
