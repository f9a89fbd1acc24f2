package bank

import (
	"strings"
	"testing"
)

func TestParseGIFTEssays(t *testing.T) {
	qs := mustParseTestdata(t, "essays.gift")
	checkValid(t, qs)
	wantCounts(t, qs, []Count{
		{Technology: "Go", Beginner: 2, Advanced: 1},
		{Technology: "SQL", Intermediate: 2},
	})
	want := []Question{
		{Technology: "Go", Level: Beginner, Line: 7, Source: "essays.gift",
			Prompt: "Explain what the go statement does.",
			Answer: "It starts the call in a new goroutine, which runs concurrently with the caller."},
		{Technology: "Go", Level: Beginner, Line: 12, Source: "essays.gift",
			Prompt: "What is the zero value of a map, and can you write to it?",
			Answer: "The zero value is nil. Reading a nil map works; writing to it panics."},
		{Technology: "Go", Level: Advanced, Line: 16, Source: "essays.gift",
			Prompt: "In a struct tag such as `json:\"name\\,omitempty\"`, what is the part after the comma: a key, or an option?",
			Answer: "An option: omitempty leaves the field out when it holds its zero value.\nThe { and } of a composite literal, = and ~ and # need a backslash in GIFT."},
		{Technology: "SQL", Level: Intermediate, Line: 22, Source: "essays.gift",
			Prompt: "Describe the difference between WHERE and HAVING.",
			Answer: "WHERE filters rows before grouping.\n\nHAVING filters groups after GROUP BY, so it may use aggregates such as COUNT(*) > 1."},
		{Technology: "SQL", Level: Intermediate, Line: 26, Source: "essays.gift",
			Prompt: "Name two *isolation levels* and one anomaly each prevents.\nTake your time.",
			Answer: "READ COMMITTED prevents dirty reads; SERIALIZABLE prevents write skew."},
	}
	if len(qs) != len(want) {
		t.Fatalf("%d questions, want %d", len(qs), len(want))
	}
	for i := range want {
		wantQuestion(t, qs[i], want[i])
		if qs[i].Visibility != "" {
			t.Errorf("question %d: visibility %q, want unsaid", i+1, qs[i].Visibility)
		}
	}
}

func TestParseGIFTErrors(t *testing.T) {
	files := []struct {
		name string
		line int
		msg  string
	}{
		{"mixed-types.gift", 8, `question 2 ("Keywords") is a multiple-choice question: only essay questions`},
		{"no-feedback.gift", 4, "has no general feedback to use as its model answer"},
		{"no-category.gift", 1, "no category before it"},
		{"unclosed.gift", 3, `"{" is not closed before the blank line`},
	}
	for _, tt := range files {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTestdata(t, tt.name)
			wantParseError(t, err, tt.name, tt.line, tt.msg)
		})
	}
	inline := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"true/false", "$CATEGORY: Go/Beginner\n\nGo has generics.{TRUE}\n", 3, "is a true/false question"},
		{"true/false with feedback", "$CATEGORY: Go/Beginner\n\nGo has generics.{T#since 1.18}\n", 3, "is a true/false question"},
		{"short answer", "$CATEGORY: Go/Beginner\n\nWho designed Go?{=Griesemer =Pike =Thompson}\n", 3, "is a short-answer question"},
		{"matching", "$CATEGORY: Go/Beginner\n\nMatch.{=chan -> channel =func -> function}\n", 3, "is a matching question"},
		{"numerical", "$CATEGORY: Go/Beginner\n\nIn which year was Go 1.0 released?{#2012:0}\n", 3, "is a numerical question"},
		{"multiple choice with feedback", "$CATEGORY: Go/Beginner\n\n// c\nPick.{~a#no =b#yes ####general}\n", 4, "is a multiple-choice question"},
		{"missing word", "$CATEGORY: Go/Beginner\n\nGo is {=compiled ~interpreted} ahead of time.\n", 3, "text after its answer braces"},
		{"description", "$CATEGORY: Go/Beginner\n\nThe next questions are about channels.\n", 3, "no answer braces: a description is not a question"},
		{"unopened brace", "$CATEGORY: Go/Beginner\n\nWhat is this } {####x}\n", 3, `"}" without an opening "{"`},
		{"title not closed", "$CATEGORY: Go/Beginner\n\n::Title What is it? {####x}\n", 3, "the title after"},
		{"category without level", "$CATEGORY: $course$/top/Go\n\n::A:: Q? {####A.}\n", 3, `category "$course$/top/Go" (line 1) does not end in technology/level`},
		{"category with a wrong level", "$CATEGORY: Go/Expert\n\n::A:: Q? {####A.}\n", 3, `does not end in a level: unknown level "Expert"`},
		{"category glued to a question", "$CATEGORY: Go/Beginner\n::A:: Q? {####A.}\n", 2, "must be followed by a blank line"},
		{"empty prompt", "$CATEGORY: Go/Beginner\n\n::A:: {####A.}\n", 3, "prompt is empty"},
		{"technology too long", "$CATEGORY: " + strings.Repeat("x", MaxTechnologyLen+1) + "/Beginner\n\nQ? {####A.}\n", 3, "technology is longer than"},
		{"only comments", "// nothing here\n\n// still nothing\n", 1, "no questions found"},
		{"empty", "", 1, "no questions found"},
		{"second question bad", "$CATEGORY: Go/Beginner\n\nQ one? {####A.}\n\n\n// about two\nQ two? {~x =y}\n", 7, "question 2 is a multiple-choice question"},
	}
	for _, tt := range inline {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseGIFT("in.gift", strings.NewReader(tt.in))
			wantParseError(t, err, "in.gift", tt.line, tt.msg)
		})
	}
}

func TestParseGIFTDetails(t *testing.T) {
	in := "\uFEFF$CATEGORY: $system$/top/Node.js/intermediate\r\n\r\n" +
		"  ::A \\:: title:: What is \\{this\\}? \\\\n stays\r\n" +
		"   {\r\n  #### Line one\\nLine two  \r\n  }  \r\n"
	qs, err := ParseGIFT("crlf.gift", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, qs)
	wantQuestion(t, qs[0], Question{Technology: "Node.js", Level: Intermediate, Line: 3, Source: "crlf.gift",
		Prompt: `What is {this}? \n stays`, Answer: "Line one\nLine two"})
}

func TestHTMLText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"a<br>b<br/>c<BR />d", "a\nb\nc\nd"},
		{"<ul><li>x</li><li>y</li></ul>", "- x\n- y"},
		{"<p dir=\"ltr\" style=\"text-align: left;\">x &amp; y &lt;z&gt; &#39;q&#39;</p>", "x & y <z> 'q'"},
		{"<p>\n  spread\n  over lines\n</p>", "spread   over lines"},
		{"<script>alert(1)</script>", "alert(1)"},
	}
	for _, tt := range tests {
		if got := htmlText(tt.in); got != tt.want {
			t.Errorf("htmlText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
