package bank

import (
	"fmt"
	"strings"
)

// record is one question as written in a JSON or YAML file. It differs from
// Question in taking the level as free text, so that a wrong level is
// reported as such instead of as a type error, and in having no Line.
type record struct {
	Technology string   `json:"technology" yaml:"technology"`
	Level      string   `json:"level" yaml:"level"`
	Prompt     string   `json:"prompt" yaml:"prompt"`
	Answer     string   `json:"answer" yaml:"answer"`
	Tags       []string `json:"tags" yaml:"tags"`
	TimeLimitS int      `json:"time_limit_s" yaml:"time_limit_s"`
	// Source is a pointer so that an explicit "" (as an export writes for a
	// question without a source) stays empty instead of becoming the file name.
	Source     *string `json:"source" yaml:"source"`
	Visibility string  `json:"visibility" yaml:"visibility"`
}

// recordFields are the keys a record may have; YAML checks them itself to
// report the line of an unknown key.
var recordFields = map[string]bool{
	"technology": true, "level": true, "prompt": true, "answer": true,
	"tags": true, "time_limit_s": true, "source": true, "visibility": true,
}

// question checks rec, the n-th question (1-based) of file starting at line,
// and makes it a normalised Question. A question without a source gets the
// file's name, so the bank can tell where each question came from; an
// explicit empty source stays empty.
func (rec record) question(file string, n, line int) (Question, error) {
	if strings.TrimSpace(rec.Level) == "" {
		return Question{}, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("question %d: level is missing (want beginner, intermediate or advanced)", n)}
	}
	level, err := ParseLevel(rec.Level)
	if err != nil {
		return Question{}, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("question %d: %v", n, err)}
	}
	var vis Visibility
	if rec.Visibility != "" {
		if vis, err = ParseVisibility(rec.Visibility); err != nil {
			return Question{}, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("question %d: %v", n, err)}
		}
	}
	q := Question{
		Technology: rec.Technology,
		Level:      level,
		Prompt:     rec.Prompt,
		Answer:     rec.Answer,
		Tags:       rec.Tags,
		TimeLimitS: rec.TimeLimitS,
		Source:     file,
		Visibility: vis,
		Line:       line,
	}
	if rec.Source != nil {
		q.Source = *rec.Source
	}
	q.Normalize()
	if err := q.Validate(); err != nil {
		return Question{}, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("question %d: %v", n, err)}
	}
	return q, nil
}
