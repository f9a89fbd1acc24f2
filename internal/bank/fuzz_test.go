package bank

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
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
