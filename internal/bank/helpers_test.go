package bank

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readTestdata returns the content of testdata/name.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return b
}

// parseTestdata parses testdata/name in the format its extension names,
// with the file name as given to the parser being the bare name.
func parseTestdata(t *testing.T, name string) ([]Question, error) {
	t.Helper()
	f, err := FormatFromName(name)
	if err != nil {
		t.Fatalf("format of %s: %v", name, err)
	}
	file, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("open testdata: %v", err)
	}
	t.Cleanup(func() { file.Close() })
	return Parse(name, f, file)
}

// mustParseTestdata is parseTestdata for files that must parse.
func mustParseTestdata(t *testing.T, name string) []Question {
	t.Helper()
	qs, err := parseTestdata(t, name)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return qs
}

// wantParseError checks that err is a *ParseError at exactly file:line
// whose message holds msg.
func wantParseError(t *testing.T, err error, file string, line int, msg string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T), want *ParseError at %s:%d", err, err, file, line)
	}
	if pe.File != file || pe.Line != line {
		t.Errorf("error at %s:%d, want %s:%d (message %q)", pe.File, pe.Line, file, line, pe.Msg)
	}
	if !strings.Contains(pe.Msg, msg) {
		t.Errorf("message %q does not contain %q", pe.Msg, msg)
	}
}

// wantCounts compares Counts(qs) with want.
func wantCounts(t *testing.T, qs []Question, want []Count) {
	t.Helper()
	if got := Counts(qs); !reflect.DeepEqual(got, want) {
		t.Errorf("counts:\n got %+v\nwant %+v", got, want)
	}
}

// wantQuestion compares one question field by field, for readable failures.
func wantQuestion(t *testing.T, got, want Question) {
	t.Helper()
	if got.Technology != want.Technology || got.Level != want.Level || got.Line != want.Line ||
		got.Source != want.Source || got.TimeLimitS != want.TimeLimitS || !reflect.DeepEqual(got.Tags, want.Tags) {
		t.Errorf("question at line %d:\n got %s/%s line %d source %q time %d tags %q\nwant %s/%s line %d source %q time %d tags %q",
			want.Line, got.Technology, got.Level, got.Line, got.Source, got.TimeLimitS, got.Tags,
			want.Technology, want.Level, want.Line, want.Source, want.TimeLimitS, want.Tags)
	}
	if got.Prompt != want.Prompt {
		t.Errorf("question at line %d: prompt\n got %q\nwant %q", want.Line, got.Prompt, want.Prompt)
	}
	if got.Answer != want.Answer {
		t.Errorf("question at line %d: answer\n got %q\nwant %q", want.Line, got.Answer, want.Answer)
	}
}

// checkValid fails unless every question is normalised and valid, as every
// parser promises for what it returns.
func checkValid(t *testing.T, qs []Question) {
	t.Helper()
	if len(qs) == 0 {
		t.Fatal("no questions returned without an error")
	}
	for i, q := range qs {
		if err := q.Validate(); err != nil {
			t.Fatalf("question %d (line %d) invalid: %v", i+1, q.Line, err)
		}
		n := q
		n.Tags = append([]string(nil), q.Tags...)
		n.Normalize()
		if !reflect.DeepEqual(n.Tags, q.Tags) && !(len(n.Tags) == 0 && len(q.Tags) == 0) ||
			n.Technology != q.Technology || n.Prompt != q.Prompt || n.Answer != q.Answer || n.Source != q.Source {
			t.Fatalf("question %d (line %d) not normalised", i+1, q.Line)
		}
		if q.Line < 1 {
			t.Fatalf("question %d has line %d", i+1, q.Line)
		}
	}
}
