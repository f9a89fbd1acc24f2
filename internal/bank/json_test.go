package bank

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseJSONMixed(t *testing.T) {
	qs := mustParseTestdata(t, "mixed.json")
	checkValid(t, qs)
	wantCounts(t, qs, []Count{
		{Technology: "Go", Beginner: 1, Intermediate: 1, Advanced: 1},
		{Technology: "SQL", Beginner: 1, Advanced: 1},
		{Technology: "System Design", Intermediate: 1},
	})
	var lines []int
	for _, q := range qs {
		lines = append(lines, q.Line)
	}
	if want := []int{3, 11, 20, 26, 34, 41}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines %v, want %v", lines, want)
	}
	tests := []struct {
		name string
		got  Question
		want Question
	}{
		{"tags lower-cased, source defaults to the file", qs[0], Question{
			Technology: "Go", Level: Beginner, Line: 3, Source: "mixed.json", TimeLimitS: 120,
			Tags:   []string{"strings", "basics"},
			Prompt: "What does len return for a string?",
			Answer: "The number of bytes in the string, not the number of characters. Use utf8.RuneCountInString to count code points.",
		}},
		{"level in any case, two paragraphs, own source", qs[1], Question{
			Technology: "Go", Level: Intermediate, Line: 11, Source: "Go team notes", TimeLimitS: 300,
			Tags:   []string{"channels"},
			Prompt: "What is the difference between a buffered and an unbuffered channel?",
			Answer: "A send on an unbuffered channel waits until a receiver takes the value.\n\nA buffered channel accepts sends until its buffer is full, so the sender can run ahead of the receiver.",
		}},
		{"upper-case level, no tags", qs[2], Question{
			Technology: "Go", Level: Advanced, Line: 20, Source: "mixed.json",
			Prompt: "Why can a copied sync.Mutex cause bugs?",
			Answer: "The copy carries the lock state of the original at the moment of copying, so the two values no longer guard the same section. go vet's copylocks check reports such copies.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantQuestion(t, tt.got, tt.want)
		})
	}
}

func TestParseJSONErrors(t *testing.T) {
	files := []struct {
		name string
		line int
		msg  string
	}{
		{"broken.json", 12, "invalid character"},
		{"wrong-level.json", 9, `question 2: unknown level "expert"`},
	}
	for _, tt := range files {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTestdata(t, tt.name)
			wantParseError(t, err, tt.name, tt.line, tt.msg)
		})
	}

	const ok = `{"technology": "Go", "level": "beginner", "prompt": "Q?", "answer": "A."}`
	inline := []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"empty file", "", 1, "unexpected end of JSON input"},
		{"truncated", "{\n  \"questions\": [\n    " + ok + "\n", 3, "unexpected end of JSON input"},
		{"trailing data", "{\"questions\": [" + ok + "]}\n\nx\n", 3, "after top-level value"},
		{"top level is a list", "\n[" + ok + "]", 2, `want an object with a "questions" list`},
		{"empty list", "{\n  \"questions\": []\n}", 2, "no questions"},
		{"null list", "{\n  \"questions\": null\n}", 2, "no questions"},
		{"no questions key", "{}", 1, "no questions"},
		{"questions not a list", "{\"questions\": {}}", 1, `"questions" must be a list`},
		{"unknown top-level field", "{\n  \"title\": \"x\",\n  \"questions\": [" + ok + "]\n}", 2, `unknown field "title"`},
		{"questions twice", "{\"questions\": [" + ok + "],\n\"questions\": [" + ok + "]}", 2, "appears twice"},
		{"unknown question field", "{\"questions\": [\n" + ok + ",\n{\"technology\": \"Go\", \"level\": \"beginner\", \"prompt\": \"Q2?\", \"answer\": \"A.\", \"difficulty\": 3}\n]}", 3, `question 2: unknown field "difficulty"`},
		{"unknown field on its own line", "{\"questions\": [\n  {\n    \"technology\": \"Go\",\n    \"Level\": \"beginner\",\n    \"prompt\": \"Q?\",\n    \"answer\": \"A.\"\n  }\n]}", 4, `question 1: unknown field "Level"`},
		{"repeated field", "{\"questions\": [\n  {\n    \"technology\": \"Go\",\n    \"level\": \"beginner\",\n    \"prompt\": \"Q?\",\n    \"prompt\": \"Q2?\",\n    \"answer\": \"A.\"\n  }\n]}", 6, `question 1: field "prompt" appears twice`},
		{"question not an object", "{\"questions\": [\n" + ok + ",\n\"Q2?\"]}", 3, "question 2 must be an object"},
		{"empty answer", "{\"questions\": [\n  {\n    \"technology\": \"Go\",\n    \"level\": \"beginner\",\n    \"prompt\": \"Q?\",\n    \"answer\": \"  \"\n  }\n]}", 2, "question 1: answer is empty"},
		{"missing level", "{\"questions\": [\n{\"technology\": \"Go\", \"prompt\": \"Q?\", \"answer\": \"A.\"}]}", 2, "level is missing"},
		{"time limit of the wrong type", "{\"questions\": [\n  {\n    \"technology\": \"Go\",\n    \"level\": \"beginner\",\n    \"prompt\": \"Q?\",\n    \"answer\": \"A.\",\n    \"time_limit_s\": \"5m\"\n  }\n]}", 7, "time_limit_s must be a whole number, not string"},
		{"tags of the wrong type", "{\"questions\": [\n  {\"technology\": \"Go\", \"level\": \"beginner\", \"prompt\": \"Q?\", \"answer\": \"A.\",\n   \"tags\": [1]}\n]}", 3, "tags must be a list of strings"},
		{"time limit too large", "{\"questions\": [\n  {\"technology\": \"Go\", \"level\": \"beginner\", \"prompt\": \"Q?\", \"answer\": \"A.\", \"time_limit_s\": 999999}\n]}", 2, "time_limit_s must be between 0 and 14400"},
		{"invalid UTF-8", "{\"questions\": [\n{\"technology\": \"Go\", \"level\": \"beginner\", \"prompt\": \"Q\xff?\", \"answer\": \"A.\"}]}", 2, "invalid UTF-8"},
		{"escaped NUL", "{\"questions\": [\n{\"technology\": \"Go\", \"level\": \"beginner\", \"prompt\": \"Q\\u0000?\", \"answer\": \"A.\"}]}", 2, "prompt holds a NUL character"},
		{"line break in technology", "{\"questions\": [\n{\"technology\": \"Go\\nlang\", \"level\": \"beginner\", \"prompt\": \"Q?\", \"answer\": \"A.\"}]}", 2, "control character"},
	}
	for _, tt := range inline {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := ParseJSON("in.json", strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("got %d questions, want an error", len(qs))
			}
			wantParseError(t, err, "in.json", tt.line, tt.msg)
		})
	}
}

func TestParseJSONByteOrderMark(t *testing.T) {
	raw := readTestdata(t, "mixed.json")
	want := mustParseTestdata(t, "mixed.json")
	got, err := ParseJSON("mixed.json", strings.NewReader("\uFEFF"+strings.ReplaceAll(string(raw), "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BOM and CRLF changed the questions")
	}
}
