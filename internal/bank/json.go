package bank

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParseJSON reads questions from {"questions": [{...}, ...]}, with the
// fields of record and no others. Errors are *ParseError with a 1-based
// line: where the syntax breaks, or where the faulty question's object
// starts. Each Question's Line is where its object starts.
func ParseJSON(file string, r io.Reader) ([]Question, error) {
	data, err := readInput(file, r)
	if err != nil {
		return nil, err
	}
	// Check the syntax of the whole document first: json.Unmarshal scans it
	// from the start, so its error offsets are exact, which the streaming
	// decoder's are not once Token has been used.
	var whole json.RawMessage
	if err := json.Unmarshal(data, &whole); err != nil {
		return nil, jsonSyntaxError(file, data, err)
	}
	p := &jsonParser{file: file, data: data, dec: json.NewDecoder(bytes.NewReader(data)), lines: lineCounter{data: data}}
	return p.parse()
}

type jsonParser struct {
	file  string
	data  []byte
	dec   *json.Decoder
	lines lineCounter
}

func (p *jsonParser) errorf(off int, format string, args ...any) *ParseError {
	return &ParseError{File: p.file, Line: p.lines.at(off), Msg: fmt.Sprintf(format, args...)}
}

// token reads the next token and the offset where it starts.
func (p *jsonParser) token() (json.Token, int, error) {
	start := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		// The syntax was checked, so this is unexpected; still, say where.
		return nil, start, p.errorf(start, "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return tok, start, nil
}

// next is the offset of the next value or delimiter: past white space and
// the comma or colon that the decoder has not consumed yet.
func (p *jsonParser) next() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

func (p *jsonParser) parse() ([]Question, error) {
	tok, start, err := p.token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, p.errorf(start, "want an object with a %q list at the top", "questions")
	}
	var out []Question
	seen := false
	listAt := start
	for p.dec.More() {
		tok, keyAt, err := p.token()
		if err != nil {
			return nil, err
		}
		if key, _ := tok.(string); key != "questions" {
			return nil, p.errorf(keyAt, "unknown field %q (want %q)", key, "questions")
		}
		if seen {
			return nil, p.errorf(keyAt, "field %q appears twice", "questions")
		}
		seen = true
		listAt = keyAt
		if out, err = p.questions(); err != nil {
			return nil, err
		}
	}
	if _, _, err := p.token(); err != nil { // the closing '}'
		return nil, err
	}
	if len(out) == 0 {
		return nil, p.errorf(listAt, "no questions (want a non-empty %q list)", "questions")
	}
	return out, nil
}

// questions reads the value of "questions": null or a list of objects.
func (p *jsonParser) questions() ([]Question, error) {
	tok, start, err := p.token()
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return nil, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, p.errorf(start, "%q must be a list", "questions")
	}
	var out []Question
	for n := 1; p.dec.More(); n++ {
		at := p.next()
		var raw json.RawMessage
		if err := p.dec.Decode(&raw); err != nil {
			return nil, p.errorf(at, "question %d: %s", n, strings.TrimPrefix(err.Error(), "json: "))
		}
		q, err := p.question(raw, n, at)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	if _, _, err := p.token(); err != nil { // the closing ']'
		return nil, err
	}
	return out, nil
}

// question decodes the n-th question, raw, found at offset at.
func (p *jsonParser) question(raw json.RawMessage, n, at int) (Question, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return Question{}, p.errorf(at, "question %d must be an object", n)
	}
	if err := p.checkKeys(raw, n, at); err != nil {
		return Question{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields() // checkKeys has done this; kept as a backstop
	var rec record
	if err := dec.Decode(&rec); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if field == "" {
				field = "value"
			}
			return Question{}, p.errorf(at+int(te.Offset)-1, "question %d: %s must be %s, not %s", n, field, jsonKind(field), te.Value)
		}
		return Question{}, p.errorf(at, "question %d: %s", n, strings.TrimPrefix(err.Error(), "json: "))
	}
	return rec.question(p.file, n, p.lines.at(at))
}

// checkKeys rejects unknown and repeated keys in the question object raw,
// found at offset at, at the key's own line. encoding/json alone would match
// keys in any letter case and let a repeated key silently win; YAML and
// JSON should refuse the same files.
func (p *jsonParser) checkKeys(raw json.RawMessage, n, at int) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // the '{'
		return p.errorf(at, "question %d: %s", n, strings.TrimPrefix(err.Error(), "json: "))
	}
	seen := map[string]bool{}
	for dec.More() {
		keyAt := at + int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return p.errorf(keyAt, "question %d: %s", n, strings.TrimPrefix(err.Error(), "json: "))
		}
		key, _ := tok.(string)
		for keyAt < len(p.data) && p.data[keyAt] != '"' {
			keyAt++ // past the comma and white space before the key
		}
		switch {
		case !recordFields[key]:
			return p.errorf(keyAt, "question %d: unknown field %q", n, key)
		case seen[key]:
			return p.errorf(keyAt, "question %d: field %q appears twice", n, key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return p.errorf(keyAt, "question %d: %s", n, strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	return nil
}

// jsonKind names the JSON type a record field wants.
func jsonKind(field string) string {
	switch field {
	case "tags":
		return "a list of strings"
	case "time_limit_s":
		return "a whole number"
	case "value":
		return "an object"
	}
	return "a string"
}

// jsonSyntaxError places a syntax error at its line.
func jsonSyntaxError(file string, data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := int(se.Offset) - 1 // the offending byte is the last one read
		if off >= len(data)-1 {
			// At the end of the input: blame the last line with text.
			off = len(bytes.TrimRight(data, " \t\r\n")) - 1
		}
		return &ParseError{File: file, Line: lineAt(data, off), Msg: se.Error()}
	}
	return &ParseError{File: file, Line: 1, Msg: strings.TrimPrefix(err.Error(), "json: ")}
}
