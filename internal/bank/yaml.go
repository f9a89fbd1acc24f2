package bank

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ParseYAML reads questions from a mapping whose only key, "questions",
// holds a list of mappings with the fields of record. The document is read
// as a yaml.Node so that each question, and each bad key, has its line.
// Errors are *ParseError. Each Question's Line is where its mapping starts.
//
// Unknown keys are rejected as yaml's KnownFields would, but by checking the
// node's keys: Node.Decode has no KnownFields option, and checking here also
// gives the line of the offending key. Aliases are rejected: a few bytes of
// them can expand into millions of values, and a bank file has no use for
// them.
func ParseYAML(file string, r io.Reader) ([]Question, error) {
	data, err := readInput(file, r)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ParseError{File: file, Line: 1, Msg: "no questions (the document is empty)"}
		}
		return nil, yamlError(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, yamlError(file, err)
		}
		return nil, &ParseError{File: file, Line: max(extra.Line, 1), Msg: "more than one YAML document (want one mapping with a \"questions\" list)"}
	}
	p := &yamlParser{file: file}
	return p.parse(&doc)
}

type yamlParser struct {
	file string
}

func (p *yamlParser) errorf(line int, format string, args ...any) *ParseError {
	return &ParseError{File: p.file, Line: max(line, 1), Msg: fmt.Sprintf(format, args...)}
}

func (p *yamlParser) parse(doc *yaml.Node) ([]Question, error) {
	if alias := findAlias(doc); alias != nil {
		return nil, p.errorf(alias.Line, "YAML aliases are not supported (write each value out)")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, p.errorf(doc.Line, "want a mapping with a %q list at the top", "questions")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errorf(root.Line, "want a mapping with a %q list at the top", "questions")
	}
	var list *yaml.Node
	listAt := root.Line
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		if key.Kind != yaml.ScalarNode || key.Value != "questions" {
			return nil, p.errorf(key.Line, "unknown field %q (want %q)", key.Value, "questions")
		}
		if list != nil {
			return nil, p.errorf(key.Line, "field %q appears twice", "questions")
		}
		list, listAt = val, key.Line
	}
	if list == nil || list.ShortTag() == "!!null" {
		return nil, p.errorf(listAt, "no questions (want a non-empty %q list)", "questions")
	}
	if list.Kind != yaml.SequenceNode {
		return nil, p.errorf(list.Line, "%q must be a list", "questions")
	}
	if len(list.Content) == 0 {
		return nil, p.errorf(listAt, "no questions (want a non-empty %q list)", "questions")
	}
	out := make([]Question, 0, len(list.Content))
	for i, item := range list.Content {
		q, err := p.question(item, i+1)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// question decodes the n-th question.
func (p *yamlParser) question(item *yaml.Node, n int) (Question, error) {
	if item.Kind != yaml.MappingNode {
		return Question{}, p.errorf(item.Line, "question %d must be a mapping", n)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(item.Content); i += 2 {
		key := item.Content[i]
		if key.Kind != yaml.ScalarNode || !recordFields[key.Value] {
			return Question{}, p.errorf(key.Line, "question %d: unknown field %q", n, key.Value)
		}
		if first, ok := seen[key.Value]; ok {
			return Question{}, p.errorf(key.Line, "question %d: field %q already set at line %d", n, key.Value, first)
		}
		seen[key.Value] = key.Line
	}
	var rec record
	if err := item.Decode(&rec); err != nil {
		return Question{}, p.decodeError(item.Line, n, err)
	}
	return rec.question(p.file, n, item.Line)
}

// yamlLine finds the "line N: " that yaml puts in its messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// decodeError places a type error ("cannot unmarshal !!seq into string") at
// the line yaml names, falling back to the question's line.
func (p *yamlParser) decodeError(line, n int, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if l, err := strconv.Atoi(m[1]); err == nil {
			line = l
		}
		msg = msg[len(m[0]):]
	}
	return p.errorf(line, "question %d: %s", n, strings.TrimPrefix(msg, "yaml: "))
}

// yamlError turns a syntax error from yaml into a *ParseError at the line
// yaml gives (line 1 when it gives none).
func yamlError(file string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if l, err := strconv.Atoi(m[1]); err == nil && l > 0 {
			line = l
		}
		msg = msg[len(m[0]):]
	}
	return &ParseError{File: file, Line: line, Msg: strings.TrimPrefix(msg, "yaml: ")}
}

// findAlias returns the first alias node under n, in document order, walking without
// recursion so that deep nesting cannot exhaust the stack.
func findAlias(n *yaml.Node) *yaml.Node {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.AliasNode {
			return n
		}
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
	return nil
}
