package bank

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseYAMLMixed(t *testing.T) {
	qs := mustParseTestdata(t, "mixed.yaml")
	checkValid(t, qs)
	wantCounts(t, qs, []Count{
		{Technology: "Node.js", Intermediate: 1, Advanced: 1},
		{Technology: "Python", Beginner: 2},
		{Technology: "System Design", Beginner: 1},
	})
	var lines []int
	for _, q := range qs {
		lines = append(lines, q.Line)
	}
	if want := []int{3, 9, 16, 29, 37}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines %v, want %v", lines, want)
	}
	tests := []struct {
		name string
		got  Question
		want Question
	}{
		{"folded answer, tags lower-cased", qs[1], Question{
			Technology: "Python", Level: Beginner, Line: 9, Source: "mixed.yaml",
			Tags:   []string{"basics", "idioms"},
			Prompt: "How do you swap two variables in Python?",
			Answer: "With tuple packing and unpacking: a, b = b, a. The right-hand side is evaluated first, so no temporary variable is needed.",
		}},
		{"literal prompt and two-paragraph answer", qs[2], Question{
			Technology: "Node.js", Level: Intermediate, Line: 16, Source: "Node.js workshop", TimeLimitS: 300,
			Tags:   []string{"javascript", "gotchas"},
			Prompt: "What does this print?\n\nconsole.log([1, 2, 3].map(parseInt));",
			Answer: "It prints [ 1, NaN, NaN ].\n\nmap passes the element and its index, so parseInt receives (2, 1) and (3, 2), and neither is a valid number in base 1 or base 2.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantQuestion(t, tt.got, tt.want)
		})
	}
}

func TestParseYAMLErrors(t *testing.T) {
	files := []struct {
		name string
		line int
		msg  string
	}{
		{"broken.yaml", 8, "unexpected end of stream"},
		{"wrong-level.yaml", 7, `question 2: unknown level "guru"`},
	}
	for _, tt := range files {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTestdata(t, tt.name)
			wantParseError(t, err, tt.name, tt.line, tt.msg)
		})
	}

	const ok = "  - technology: Go\n    level: beginner\n    prompt: Q?\n    answer: A.\n"
	inline := []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"empty file", "", 1, "no questions"},
		{"only a comment", "# nothing yet\n", 1, "no questions"},
		{"top level is a list", ok, 1, `want a mapping with a "questions" list`},
		{"empty list", "# c\nquestions: []\n", 2, "no questions"},
		{"null list", "# c\nquestions:\n", 2, "no questions"},
		{"questions not a list", "questions: many\n", 1, `"questions" must be a list`},
		{"unknown top-level field", "title: x\nquestions:\n" + ok, 1, `unknown field "title"`},
		{"questions twice", "questions:\n" + ok + "questions:\n" + ok, 6, "appears twice"},
		{"unknown question field", "questions:\n" + ok + "  - technology: Go\n    level: beginner\n    prompt: Q2?\n    answer: A.\n    difficulty: 3\n", 10, `question 2: unknown field "difficulty"`},
		{"duplicate question field", "questions:\n  - technology: Go\n    level: beginner\n    prompt: Q?\n    prompt: Q2?\n    answer: A.\n", 5, `field "prompt" already set at line 4`},
		{"question not a mapping", "questions:\n" + ok + "  - just text\n", 6, "question 2 must be a mapping"},
		{"empty answer", "questions:\n" + ok + "  - technology: Go\n    level: beginner\n    prompt: Q2?\n    answer: \"\"\n", 6, "question 2: answer is empty"},
		{"missing level", "questions:\n  - technology: Go\n    prompt: Q?\n    answer: A.\n", 2, "level is missing"},
		{"tags not a list", "questions:\n  - technology: Go\n    level: beginner\n    prompt: Q?\n    answer: A.\n    tags: go\n", 6, "cannot unmarshal"},
		{"time limit not a number", "questions:\n  - technology: Go\n    level: beginner\n    prompt: Q?\n    answer: A.\n    time_limit_s: five\n", 6, "cannot unmarshal"},
		{"bad indentation", "questions:\n  - technology: Go\n    level: beginner\n     prompt: Q?\n", 4, "mapping values are not allowed"},
		// yaml places scanner errors at the line of the token it was
		// reading (its context), here the "-" entry, not the tab itself.
		{"tab indentation", "questions:\n  - technology: Go\n\tlevel: beginner\n", 2, "tab character"},
		{"alias", "questions:\n  - technology: &t Go\n    level: beginner\n    prompt: Q?\n    answer: *t\n", 5, "aliases are not supported"},
		{"two documents", "questions:\n" + ok + "---\nquestions:\n" + ok, 6, "more than one YAML document"},
		{"invalid UTF-8", "questions:\n  - technology: Go\n    level: beginner\n    prompt: Q\xff?\n", 4, "invalid UTF-8"},
	}
	for _, tt := range inline {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := ParseYAML("in.yaml", strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("got %d questions, want an error", len(qs))
			}
			wantParseError(t, err, "in.yaml", tt.line, tt.msg)
		})
	}
}

func TestParseYAMLByteOrderMark(t *testing.T) {
	raw := readTestdata(t, "mixed.yaml")
	want := mustParseTestdata(t, "mixed.yaml")
	got, err := ParseYAML("mixed.yaml", strings.NewReader("\uFEFF"+strings.ReplaceAll(string(raw), "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BOM and CRLF changed the questions")
	}
}
