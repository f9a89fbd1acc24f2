package bank

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The writers below are canonical: the same bank gives the same bytes, in
// whatever order its questions were stored, and a file they wrote, imported
// into an empty bank and written again, gives the same bytes again. Each
// writes every question in SortQuestions order; JSON and YAML write every
// field, so nothing depends on defaults; the text format writes what it
// can hold (technology, level, prompt and answer) and refuses a question
// it could not read back as written.

var (
	// ErrNotText is returned for a question the text format cannot hold:
	// its technology is not a header, or one of its lines would read as a
	// header or as the "Answer" line.
	ErrNotText = errors.New("the text format cannot hold this question")
	// ErrPrivateText is returned for a text export that mixes in private
	// questions: the text format has no visibility, so a re-import would
	// publish them.
	ErrPrivateText = errors.New("the text format cannot mark private questions")
)

// levelRank orders levels as Levels does.
func levelRank(l Level) int {
	if i := slices.Index(Levels, l); i >= 0 {
		return i
	}
	return len(Levels)
}

// SortQuestions puts qs in export order: by technology (byte order), level
// in teaching order, then prompt by PromptKey. Technology and PromptKey
// identify a question, so the order is total and does not depend on ids
// or on the database's collation.
func SortQuestions(qs []Question) {
	slices.SortStableFunc(qs, func(a, b Question) int {
		if c := strings.Compare(a.Technology, b.Technology); c != 0 {
			return c
		}
		if c := levelRank(a.Level) - levelRank(b.Level); c != 0 {
			return c
		}
		if c := strings.Compare(PromptKey(a.Prompt), PromptKey(b.Prompt)); c != 0 {
			return c
		}
		return strings.Compare(a.Prompt, b.Prompt)
	})
}

// Export writes qs in format f, canonically. selected is the visibility
// the questions were selected by ("" for both): a text export of a
// selection that holds private questions must have asked for private ones
// alone (and be imported with --private), or it is ErrPrivateText.
func Export(w io.Writer, f Format, qs []Question, selected Visibility) error {
	switch f {
	case FormatText:
		if selected == "" {
			for _, q := range qs {
				if q.Visibility == Private {
					return fmt.Errorf("bank: export: %w: export the public and the private questions apart (visibility public, then private, imported with --private), or use json or yaml", ErrPrivateText)
				}
			}
		}
		return WriteText(w, qs)
	case FormatJSON:
		return WriteJSON(w, qs)
	case FormatYAML:
		return WriteYAML(w, qs)
	}
	return fmt.Errorf("bank: export: format %q: %w (want text, json or yaml)", f, ErrUnsupportedFormat)
}

// exportRecord is a question as JSON and YAML exports write it: every
// field, in the order of the import formats' documentation.
type exportRecord struct {
	Technology string   `json:"technology" yaml:"technology"`
	Level      string   `json:"level" yaml:"level"`
	Prompt     string   `json:"prompt" yaml:"prompt"`
	Answer     string   `json:"answer" yaml:"answer"`
	Tags       []string `json:"tags" yaml:"tags,flow"`
	TimeLimitS int      `json:"time_limit_s" yaml:"time_limit_s"`
	Source     string   `json:"source" yaml:"source"`
	Visibility string   `json:"visibility" yaml:"visibility"`
}

type exportFile struct {
	Questions []exportRecord `json:"questions" yaml:"questions"`
}

// exportRecords normalises and sorts a copy of qs. A question whose
// visibility is not said is written as public, which is what storing it
// would make it.
func exportRecords(qs []Question) []exportRecord {
	qs = slices.Clone(qs)
	for i := range qs {
		qs[i].Tags = slices.Clone(qs[i].Tags)
		qs[i].Normalize()
	}
	SortQuestions(qs)
	out := make([]exportRecord, len(qs))
	for i, q := range qs {
		tags := q.Tags
		if tags == nil {
			tags = []string{}
		}
		out[i] = exportRecord{
			Technology: q.Technology, Level: string(q.Level), Prompt: q.Prompt, Answer: q.Answer,
			Tags: tags, TimeLimitS: q.TimeLimitS, Source: q.Source, Visibility: string(q.Visibility.Or(Public)),
		}
	}
	return out
}

// WriteJSON writes qs as {"questions": [...]}, indented by two spaces,
// with <, > and & written as themselves (prompts hold code).
func WriteJSON(w io.Writer, qs []Question) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(exportFile{Questions: exportRecords(qs)}); err != nil {
		return fmt.Errorf("bank: write json: %w", err)
	}
	return nil
}

// WriteYAML writes qs as one YAML document with a "questions" list, each
// multi-line text as a literal block where YAML allows one.
func WriteYAML(w io.Writer, qs []Question) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(exportFile{Questions: exportRecords(qs)}); err != nil {
		return fmt.Errorf("bank: write yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("bank: write yaml: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("bank: write yaml: %w", err)
	}
	return nil
}

// WriteText writes qs in the text format: a header, the prompt, the
// "Answer" line and the answer, separated by blank lines. White space is
// written as ParseText reads it (no trailing spaces on a line, one blank
// line between paragraphs, "\n" line ends); a question whose words would
// not read back the same is ErrNotText, naming it, and nothing is written.
func WriteText(w io.Writer, qs []Question) error {
	qs = slices.Clone(qs)
	for i := range qs {
		qs[i].Technology = strings.TrimSpace(qs[i].Technology)
		qs[i].Prompt = textCanon(qs[i].Prompt)
		qs[i].Answer = textCanon(qs[i].Answer)
	}
	SortQuestions(qs)
	var buf bytes.Buffer
	for i, q := range qs {
		if err := textFits(q); err != nil {
			return fmt.Errorf("bank: write text: question %s/%s %q: %w: %v (use json or yaml)", q.Technology, q.Level, short(q.Prompt), ErrNotText, err)
		}
		if i > 0 {
			buf.WriteString("\n")
		}
		fmt.Fprintf(&buf, "%s%s\n\n%s\n\n%s\n\n%s\n", q.Technology, levelWord(q.Level), q.Prompt, answerMarker, q.Answer)
	}
	// The backstop: read the file back as an import would. Page chrome at
	// the end of an answer, say, would be dropped on import.
	back, err := ParseText("export", bytes.NewReader(buf.Bytes()))
	if err == nil && len(back) != len(qs) {
		err = fmt.Errorf("%d questions read back, want %d", len(back), len(qs))
	}
	if err != nil {
		return fmt.Errorf("bank: write text: %w: %v (use json or yaml)", ErrNotText, err)
	}
	for i, q := range qs {
		b := back[i]
		if b.Technology != q.Technology || b.Level != q.Level || b.Prompt != q.Prompt || b.Answer != q.Answer {
			return fmt.Errorf("bank: write text: question %s/%s %q: %w: it would not read back as written (use json or yaml)", q.Technology, q.Level, short(q.Prompt), ErrNotText)
		}
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("bank: write text: %w", err)
	}
	return nil
}

// textCanon is s as ParseText would give it back: lines without trailing
// spaces or tabs, runs of blank lines as one, "\n" line ends, trimmed.
func textCanon(s string) string {
	lines := splitLines(s)
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(joinParagraphs(paragraphs(lines)))
}

// textFits says why q cannot be written in the text format, or nil.
func textFits(q Question) error {
	if levelWord(q.Level) == "" {
		return fmt.Errorf("level %q", q.Level)
	}
	if !validTechnology(q.Technology) {
		return fmt.Errorf("technology %q cannot be a header (letters, digits, spaces and . + # - / & _ only)", q.Technology)
	}
	if q.Prompt == "" || q.Answer == "" {
		return fmt.Errorf("empty prompt or answer")
	}
	for _, f := range []struct{ name, text string }{{"prompt", q.Prompt}, {"answer", q.Answer}} {
		sc := bufio.NewScanner(strings.NewReader(f.text))
		sc.Buffer(nil, MaxImportBytes)
		for sc.Scan() {
			t := strings.TrimSpace(sc.Text())
			if t == answerMarker {
				return fmt.Errorf("a line of its %s is %q", f.name, answerMarker)
			}
			if _, _, ok := parseHeader(t); ok {
				return fmt.Errorf("the line %q of its %s would read as a header", t, f.name)
			}
		}
	}
	return nil
}

// levelWord is the header spelling of l.
func levelWord(l Level) string {
	for _, lw := range levelWords {
		if lw.level == l {
			return lw.word
		}
	}
	return ""
}

// short cuts a prompt to a size fit for an error message.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}
