package bank

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Format names an import format. Uploads say which one they are by content
// type or by file name, so both mappings live here, next to the parsers.
type Format string

const (
	FormatText Format = "text" // the "Ace Your Interviews" page text, see ParseText
	FormatJSON Format = "json" // {"questions": [...]}, see ParseJSON
	FormatYAML Format = "yaml" // questions: [...], see ParseYAML
	FormatGIFT Format = "gift" // Moodle's GIFT, essay questions only, see ParseGIFT
)

// Formats lists the import formats, in the order the docs give them.
var Formats = []Format{FormatText, FormatJSON, FormatYAML, FormatGIFT}

// ExportFormats lists the formats the bank can be written in.
var ExportFormats = []Format{FormatText, FormatJSON, FormatYAML}

// ParseFormat reads a format's name ("text", "json", "yaml", "gift"), as
// given to --format or ?format=.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Formats, f) {
		return f, nil
	}
	return "", fmt.Errorf("bank: format %q: %w (want text, json, yaml or gift)", s, ErrUnsupportedFormat)
}

// MaxImportBytes caps one import file. A bank of thousands of questions is a
// few megabytes; the cap keeps one upload from holding the server's memory.
const MaxImportBytes = 8 << 20

var (
	// ErrUnsupportedFormat is returned for a content type or file extension
	// that names none of the import formats; the web layer maps it to 415.
	ErrUnsupportedFormat = errors.New("unsupported import format")
	// ErrTooLarge is returned when an import is over MaxImportBytes; the web
	// layer maps it to 413.
	ErrTooLarge = errors.New("import file too large")
)

// FormatFromContentType maps an upload's media type to a Format. Parameters
// such as "; charset=utf-8" are ignored: every format is read as UTF-8.
func FormatFromContentType(ct string) (Format, error) {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		// A bare, malformed value still names its type before the ';'.
		mt, _, _ = strings.Cut(ct, ";")
	}
	switch strings.ToLower(strings.TrimSpace(mt)) {
	case "text/plain":
		return FormatText, nil
	case "application/json":
		return FormatJSON, nil
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
		return FormatYAML, nil
	case "text/x-gift", "application/x-gift":
		return FormatGIFT, nil
	}
	return "", fmt.Errorf("bank: content type %q: %w (want text/plain, application/json, application/yaml or text/x-gift)", ct, ErrUnsupportedFormat)
}

// FormatFromName maps a file name to a Format by its extension, for uploads
// whose browser sent no useful content type. Moodle names its GIFT exports
// .txt: such a file needs its format said (--format gift) or a .gift name.
func FormatFromName(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt":
		return FormatText, nil
	case ".json":
		return FormatJSON, nil
	case ".yaml", ".yml":
		return FormatYAML, nil
	case ".gift":
		return FormatGIFT, nil
	}
	return "", fmt.Errorf("bank: file %q: %w (want .txt, .json, .yaml, .yml or .gift)", name, ErrUnsupportedFormat)
}

// Parse reads r in format f. file names the input in errors and in the
// Source of text questions. Problems in the content are *ParseError.
func Parse(file string, f Format, r io.Reader) ([]Question, error) {
	switch f {
	case FormatText:
		return ParseText(file, r)
	case FormatJSON:
		return ParseJSON(file, r)
	case FormatYAML:
		return ParseYAML(file, r)
	case FormatGIFT:
		return ParseGIFT(file, r)
	}
	return nil, fmt.Errorf("bank: parse %s: format %q: %w", file, f, ErrUnsupportedFormat)
}

// readInput reads at most MaxImportBytes, so every parser shares the cap
// whichever entry point a caller uses, then checks the encoding.
func readInput(file string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("bank: read %s: %w", file, err)
	}
	if len(data) > MaxImportBytes {
		return nil, fmt.Errorf("bank: %s is larger than the %d MiB import limit: %w", file, MaxImportBytes>>20, ErrTooLarge)
	}
	return checkEncoding(file, data)
}

// checkEncoding drops a UTF-8 byte order mark, which editors on Windows
// like to add, and rejects invalid UTF-8 and NUL bytes at their line:
// neither can be stored in a PostgreSQL text column.
func checkEncoding(file string, data []byte) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c == 0 {
				return nil, &ParseError{File: file, Line: lineAt(data, i), Msg: "NUL byte in input"}
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return nil, &ParseError{File: file, Line: lineAt(data, i), Msg: "invalid UTF-8"}
		}
		i += n
	}
	return data, nil
}

// lineAt is the 1-based line of byte offset off in data.
func lineAt(data []byte, off int) int {
	var c lineCounter
	c.data = data
	return c.at(off)
}

// lineCounter finds the line of offsets that mostly increase, as a parser's
// do: it counts on from the previous offset, so a file of many questions is
// not counted from its start once per question. "\r\n", "\r" and "\n" each
// end a line, as they do for ParseText and for editors.
type lineCounter struct {
	data []byte
	off  int // offset counted up to
	line int // line at off
}

func (c *lineCounter) at(off int) int {
	off = min(max(off, 0), len(c.data))
	if c.line == 0 || off < c.off {
		c.off, c.line = 0, 1
	}
	seg := c.data[c.off:off]
	c.line += bytes.Count(seg, []byte("\n")) + bytes.Count(seg, []byte("\r")) - bytes.Count(seg, []byte("\r\n"))
	if off > c.off && off < len(c.data) && c.data[off-1] == '\r' && c.data[off] == '\n' {
		c.line-- // off is inside a "\r\n": the line ends at its "\n"
	}
	c.off = off
	return c.line
}

// PromptKey is what makes two prompts the same question within a
// technology: letter case and runs of white space do not count. The store
// keys its upserts on the same text, so Dedupe must agree with it or one
// import could insert the same key twice.
func PromptKey(prompt string) string {
	return strings.Join(strings.Fields(strings.ToLower(prompt)), " ")
}

// Dedupe keeps one question per technology and PromptKey: the last one
// wins, in the place of the first, as an import would leave the bank if it
// upserted each question in turn.
func Dedupe(qs []Question) []Question {
	type key struct{ tech, prompt string }
	at := make(map[key]int, len(qs))
	out := make([]Question, 0, len(qs))
	for _, q := range qs {
		k := key{q.Technology, PromptKey(q.Prompt)}
		if i, ok := at[k]; ok {
			out[i] = q
			continue
		}
		at[k] = len(out)
		out = append(out, q)
	}
	return out
}

// Count is how many questions a technology has at each level; the import
// page shows one row per technology.
type Count struct {
	Technology   string `json:"technology"`
	Beginner     int    `json:"beginner"`
	Intermediate int    `json:"intermediate"`
	Advanced     int    `json:"advanced"`
}

// Total is the number of questions of all levels.
func (c Count) Total() int { return c.Beginner + c.Intermediate + c.Advanced }

// Counts tallies qs per technology and level after Dedupe, so the numbers
// match what an import of qs leaves in the bank, sorted by technology.
func Counts(qs []Question) []Count {
	by := map[string]*Count{}
	for _, q := range Dedupe(qs) {
		c, ok := by[q.Technology]
		if !ok {
			c = &Count{Technology: q.Technology}
			by[q.Technology] = c
		}
		l, _ := ParseLevel(string(q.Level))
		switch l {
		case Beginner:
			c.Beginner++
		case Intermediate:
			c.Intermediate++
		case Advanced:
			c.Advanced++
		}
	}
	out := make([]Count, 0, len(by))
	for _, c := range by {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Technology < out[j].Technology })
	return out
}
