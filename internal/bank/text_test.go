package bank

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseTextMixed(t *testing.T) {
	qs := mustParseTestdata(t, "mixed.txt")
	checkValid(t, qs)
	wantCounts(t, qs, []Count{
		{Technology: "C#", Intermediate: 1},
		{Technology: "C++", Beginner: 1, Advanced: 1},
		{Technology: "Go", Beginner: 2, Intermediate: 1, Advanced: 1},
		{Technology: "Node.js", Beginner: 1, Intermediate: 1},
		{Technology: "System Design", Beginner: 1, Advanced: 1},
	})
	var lines []int
	for _, q := range qs {
		lines = append(lines, q.Line)
		if q.Source != "mixed.txt" {
			t.Errorf("line %d: source %q, want mixed.txt", q.Line, q.Source)
		}
	}
	if want := []int{5, 13, 20, 28, 36, 44, 60, 68, 79, 87, 95}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines %v, want %v", lines, want)
	}
	byLine := map[int]Question{}
	for _, q := range qs {
		byLine[q.Line] = q
	}
	tests := []struct {
		name string
		want Question
	}{
		{"first question, after page chrome", Question{
			Technology: "Go", Level: Beginner, Line: 5, Source: "mixed.txt",
			Prompt: "What does the go keyword do?",
			Answer: "It starts a new goroutine that runs the given function call concurrently with the caller. The caller does not wait for it to finish.",
		}},
		{"prompt right under its header", Question{
			Technology: "Go", Level: Beginner, Line: 13, Source: "mixed.txt",
			Prompt: "What is a rune in Go?",
			Answer: "A rune is an alias for int32 and holds one Unicode code point. Ranging over a string yields runes, not bytes.",
		}},
		{"multi-line prompt and multi-paragraph answer mid-file", Question{
			Technology: "System Design", Level: Advanced, Line: 44, Source: "mixed.txt",
			Prompt: "You run a chat service for a large school district.\n" +
				"Teachers want message history kept for a year\n" +
				"and searchable by keyword.\n\n" +
				"How would you store and index the messages?",
			Answer: "Write each message once to an append-only store partitioned by conversation and month, so recent history is cheap to read and old partitions can be archived or dropped when the year is over.\n\n" +
				"Feed the same messages asynchronously to a search index. Search may lag chat by a few seconds without anyone noticing, and the chat path never waits for indexing.\n\n" +
				"Keep access rules in one place: a search result is shown only if the reader may see the conversation it comes from.",
		}},
		{"technology with a dot, prompt with code", Question{
			Technology: "Node.js", Level: Intermediate, Line: 68, Source: "mixed.txt",
			Prompt: "What does this print, and why?\n\n" +
				"setTimeout(() => console.log('timeout'), 0);\n" +
				"Promise.resolve().then(() => console.log('promise'));",
			Answer: "It prints promise first and timeout second. Promise callbacks are microtasks, which run as soon as the current script finishes, while the timer callback waits for the timers phase of the next loop iteration.",
		}},
		{"technology with plus signs", Question{
			Technology: "C++", Level: Beginner, Line: 79, Source: "mixed.txt",
			Prompt: "What is a reference in C++?",
			Answer: "A reference is another name for an existing object. It must be bound when it is declared and cannot be reseated to refer to a different object later.",
		}},
		{"last question, footer chrome dropped", Question{
			Technology: "C#", Level: Intermediate, Line: 95, Source: "mixed.txt",
			Prompt: "What is the difference between a struct and a class in C#?",
			Answer: "A struct is a value type: assigning it copies the whole value. A class is a reference type, and variables of that type hold references to one shared object.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := byLine[tt.want.Line]
			if !ok {
				t.Fatalf("no question at line %d", tt.want.Line)
			}
			wantQuestion(t, got, tt.want)
		})
	}
}

// TestParseTextLineEndings checks that Windows line endings, old Mac line
// endings and a byte order mark change nothing.
func TestParseTextLineEndings(t *testing.T) {
	raw := readTestdata(t, "mixed.txt")
	want, err := ParseText("mixed.txt", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"CRLF", bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))},
		{"CR", bytes.ReplaceAll(raw, []byte("\n"), []byte("\r"))},
		{"BOM", append([]byte("\uFEFF"), raw...)},
		{"BOM and CRLF", append([]byte("\uFEFF"), bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))...)},
		{"trailing spaces", bytes.ReplaceAll(raw, []byte("\n"), []byte(" \t\n"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseText("mixed.txt", bytes.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("questions differ from the LF version")
			}
		})
	}
}

func TestParseTextErrors(t *testing.T) {
	files := []struct {
		name string
		line int
		msg  string
	}{
		{"unknown-level.txt", 11, `unknown level "Expert" in header "GoExpert"`},
		{"no-answer.txt", 9, `question "GoIntermediate" has no "Answer" line`},
		{"empty-answer.txt", 9, `question "SQLIntermediate": answer is empty`},
	}
	for _, tt := range files {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTestdata(t, tt.name)
			wantParseError(t, err, tt.name, tt.line, tt.msg)
		})
	}

	long := strings.Repeat("x", MaxAnswerLen+1)
	inline := []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"empty file", "", 1, "no questions found"},
		{"only page chrome", "Ace Your Interviews 🎯\n\nBrowse our collection of interview questions.\n", 1, "no questions found"},
		{"empty prompt", "intro\n\nGoBeginner\n\nAnswer\n\nA goroutine.\n", 3, `question "GoBeginner": prompt is empty`},
		{"no answer at end of file", "GoBeginner\n\nWhat?\n\nAnswer\n\nThis.\n\nGoAdvanced\n\nWhy?\n", 9, `question "GoAdvanced" has no "Answer" line`},
		{"header as last line", "GoBeginner\n\nWhat?\n\nAnswer\n\nThis.\n\nGoAdvanced", 9, `has no "Answer" line`},
		{"answer only page footer", "GoBeginner\n\nWhat?\n\nAnswer\n\nReady for a real challenge?\n\nMaster Go1\n", 1, "answer is empty"},
		{"unknown level first", "Ace Your Interviews\n\nDjangoExpert\n\nWhat is Django?\n\nAnswer\n\nA framework.\n", 3, `unknown level "Expert" in header "DjangoExpert"`},
		{"unknown level, prompt under header", "DjangoExpert\nWhat is Django?\n\nAnswer\n\nA framework.\n", 1, `unknown level "Expert"`},
		{"unknown level, empty prompt", "DjangoExpert\n\nAnswer\n\nA framework.\n", 1, `unknown level "Expert"`},
		{"level in lower case", "GoBeginner\n\nQ?\n\nAnswer\n\nA.\n\nGobeginner\n\nWhat?\n\nAnswer\n\nThat.\n", 9, `unknown level "beginner" in header "Gobeginner" (levels are case-sensitive: write "GoBeginner")`},
		{"space before level", "Go Beginner\n\nWhat?\n\nAnswer\n\nThat.\n", 1, `header "Go Beginner" has a space before its level (write "GoBeginner")`},
		{"no header at all", "What?\n\nAnswer\n\nThat.\n", 3, `"Answer" line with no header before its prompt`},
		{"second Answer line", "GoBeginner\n\nQ?\n\nAnswer\n\nA.\n\nAnswer\n\nB.\n", 9, `second "Answer" line in question "GoBeginner" at line 1`},
		{"missing Answer, then misspelt header", "GoBeginner\n\nQ1?\n\nGoExpert\n\nQ2?\n\nAnswer\n\nA.\n", 5, `unknown level "Expert" in header "GoExpert"`},
		{"answer too long", "intro\nGoBeginner\n\nQ?\n\nAnswer\n\n" + long + "\n", 2, "answer is longer than 20000 characters"},
		{"invalid UTF-8", "GoBeginner\n\nWhat is \xff?\n\nAnswer\n\nA.\n", 3, "invalid UTF-8"},
		{"NUL byte", "GoBeginner\n\nQ?\n\nAnswer\n\nA\x00.\n", 7, "NUL byte"},
		{"CRLF error line", "GoBeginner\r\n\r\nQ?\r\n\r\nAnswer\r\n\r\nA.\r\n\r\nGoIntermediate\r\n\r\nQ2?\r\n", 9, "has no \"Answer\" line"},
	}
	for _, tt := range inline {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := ParseText("in.txt", strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("got %d questions, want an error", len(qs))
			}
			wantParseError(t, err, "in.txt", tt.line, tt.msg)
		})
	}
}

// TestParseTextChrome pins down which trailing paragraphs count as page
// chrome: only known one-line paragraphs at the very end of an answer.
func TestParseTextChrome(t *testing.T) {
	const head = "GoBeginner\n\nWhat is Go?\n\nAnswer\n\n"
	tests := []struct {
		name string
		in   string
		want string // answer of the first question
	}{
		{"footer", head + "A language.\n\nReady for a real challenge?\n\nMaster Go32", "A language."},
		{"footer without count", head + "A language.\n\nReady for a real challenge?\n\nMaster Go\n\n", "A language."},
		{"footer master only", head + "A language.\n\nMaster Go7\n", "A language."},
		{"chrome words mid-answer kept", head + "A language.\n\nReady for a real challenge?\n\nYes, it compiles fast.\n", "A language.\n\nReady for a real challenge?\n\nYes, it compiles fast."},
		{"master sentence kept", head + "A language.\n\nMaster the basics first\n", "A language.\n\nMaster the basics first"},
		{"master of another technology kept", head + "A language.\n\nMaster Django32\n", "A language.\n\nMaster Django32"},
		{"chrome inside a paragraph kept", head + "A language.\nReady for a real challenge?\n", "A language.\nReady for a real challenge?"},
		{"technology ending in a digit", "Python3Beginner\n\nQ?\n\nAnswer\n\nA.\n\nMaster Python312\n", "A."},
		{"many blank lines collapse", head + "One.\n\n\n\nTwo.\n\n\n", "One.\n\nTwo."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := ParseText("in.txt", strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if qs[0].Answer != tt.want {
				t.Errorf("answer %q, want %q", qs[0].Answer, tt.want)
			}
		})
	}
}

// TestParseTextConcatenatedPages checks a file made of two copied pages:
// the first page's footer and the second page's banner fall between two
// questions and must not end up in the first one's answer.
func TestParseTextConcatenatedPages(t *testing.T) {
	in := "Ace Your Interviews 🎯\n\nBrowse our collection of interview questions across various technologies.\n\n" +
		"GoBeginner\n\nWhat is Go?\n\nAnswer\n\nA language.\n\nReady for a real challenge?\n\nMaster Go1\n\n" +
		"Ace Your Interviews 🎯\n\nBrowse our collection of interview questions across various technologies.\n\n" +
		"SQLBeginner\n\nWhat is SQL?\n\nAnswer\n\nA query language.\n\nReady for a real challenge?\n\nMaster SQL1\n"
	qs, err := ParseText("pages.txt", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, qs, []Count{{Technology: "Go", Beginner: 1}, {Technology: "SQL", Beginner: 1}})
	if qs[0].Answer != "A language." || qs[1].Answer != "A query language." {
		t.Errorf("answers %q and %q still hold page chrome", qs[0].Answer, qs[1].Answer)
	}
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		line  string
		tech  string
		level Level
	}{
		{"DjangoBeginner", "Django", Beginner},
		{"System DesignAdvanced", "System Design", Advanced},
		{"Node.jsBeginner", "Node.js", Beginner},
		{"C++Intermediate", "C++", Intermediate},
		{"C#Advanced", "C#", Advanced},
		{".NETBeginner", ".NET", Beginner},
		{"CI/CDIntermediate", "CI/CD", Intermediate},
		{"Django Beginner", "", ""},
		{"Djangobeginner", "", ""},
		{"DjangoExpert", "", ""},
		{"Beginner", "", ""},
		{"Is this for a Beginner", "", ""},
		{"Level: Advanced", "", ""},
		{"Why Go?Beginner", "", ""},
		{strings.Repeat("x", MaxTechnologyLen+1) + "Beginner", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			tech, level, ok := parseHeader(tt.line)
			if ok != (tt.tech != "") || tech != tt.tech || level != tt.level {
				t.Errorf("parseHeader(%q) = %q, %q, %v; want %q, %q", tt.line, tech, level, ok, tt.tech, tt.level)
			}
		})
	}
}

// seedFile is the real page copied from the site that the issue came with.
const seedFile = "../../../shared/data/question-bank-django.txt"

func TestParseTextDjangoSeed(t *testing.T) {
	raw, err := os.ReadFile(seedFile)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("seed file missing on CI: %v", err)
		}
		t.Skipf("seed file %s not available outside CI: %v", seedFile, err)
	}
	qs, err := ParseText("question-bank-django.txt", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, qs)
	if len(qs) != 32 {
		t.Errorf("%d questions, want 32", len(qs))
	}
	wantCounts(t, qs, []Count{{Technology: "Django", Beginner: 10, Intermediate: 11, Advanced: 11}})
	first, last := qs[0], qs[len(qs)-1]
	if want := "What is Django and what problem does it solve?"; first.Prompt != want || first.Line != 5 {
		t.Errorf("first question at line %d: %q, want line 5: %q", first.Line, first.Prompt, want)
	}
	if want := "What are Django's database transactions and when do you need them?"; last.Prompt != want || last.Line != 253 {
		t.Errorf("last question at line %d: %q, want line 253: %q", last.Line, last.Prompt, want)
	}
	if !strings.HasSuffix(last.Answer, "database connections are not shared across processes.") {
		t.Errorf("last answer ends %q", last.Answer[max(0, len(last.Answer)-80):])
	}
	for _, q := range qs {
		for _, chrome := range []string{"Ready for a real challenge", "Master Django", "Ace Your Interviews", "Browse our collection"} {
			if strings.Contains(q.Answer, chrome) || strings.Contains(q.Prompt, chrome) {
				t.Errorf("question at line %d holds page chrome %q", q.Line, chrome)
			}
		}
		if strings.Contains(q.Answer, "\n") {
			t.Errorf("question at line %d: one-paragraph answer has a line break", q.Line)
		}
	}
}
