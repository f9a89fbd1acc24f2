package bank

import (
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
)

// GIFT is Moodle's text format for quiz questions
// (https://docs.moodle.org/en/GIFT_format). Ace imports its essay
// questions, whose general feedback becomes the model answer:
//
//	// a comment line
//	$CATEGORY: $course$/top/Go/Beginner     <- technology/level, see giftCategory
//
//	::Goroutines:: What does the go keyword do? {
//	####It starts a goroutine.
//	}
//
// Questions are separated by blank lines, as Moodle reads them. Every
// other question type (multiple choice, true/false, short answer,
// matching, numerical, missing word, descriptions) is refused with its
// file and line: Ace's questions are open prompts with a model answer, and
// an import is all or nothing. docs/import-formats.md is the user-facing
// description.

// giftEscapes are the characters GIFT escapes with a backslash; "\n" is
// a line break.
const giftEscapes = `~=#{}:\`

// giftFormat matches a text-format marker such as "[html]" at the start of
// a question text or feedback.
var giftFormat = regexp.MustCompile(`^\[(html|moodle|plain|markdown)\]`)

// ParseGIFT reads the essay questions of a GIFT file. file names the input
// in errors and becomes each question's Source; Line is the first line of
// the question (after its comments). Problems are *ParseError.
func ParseGIFT(file string, r io.Reader) ([]Question, error) {
	data, err := readInput(file, r)
	if err != nil {
		return nil, err
	}
	p := &giftParser{file: file}
	return p.parse(splitLines(string(data)))
}

type giftParser struct {
	file         string
	category     string
	categoryLine int
	out          []Question
}

func (p *giftParser) errorf(line int, format string, args ...any) *ParseError {
	return &ParseError{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (p *giftParser) parse(lines []string) ([]Question, error) {
	var block []string
	start := 0 // 1-based line of block[0]
	for i := 0; i <= len(lines); i++ {
		var t string
		if i < len(lines) {
			t = strings.TrimSpace(lines[i])
		}
		if t != "" && !strings.HasPrefix(t, "//") {
			if len(block) == 0 {
				start = i + 1
			}
			block = append(block, t)
			continue
		}
		if t == "" && len(block) > 0 {
			// A blank line (or the end of the file) ends the question.
			if err := p.block(block, start); err != nil {
				return nil, err
			}
			block = block[:0]
		}
	}
	if len(p.out) == 0 {
		return nil, p.errorf(1, "no questions found (want essay questions such as %q after a %q line)", "What does the go keyword do? {####It starts a goroutine.}", "$CATEGORY: Go/Beginner")
	}
	return p.out, nil
}

// block reads one blank-line separated block, its lines trimmed and its
// comment lines left out, as Moodle does.
func (p *giftParser) block(lines []string, line int) error {
	if rest, ok := strings.CutPrefix(lines[0], "$CATEGORY:"); ok {
		if len(lines) > 1 {
			return p.errorf(line+1, "a %q line must be followed by a blank line", "$CATEGORY:")
		}
		p.category, p.categoryLine = giftUnescape(strings.TrimSpace(rest)), line
		return nil
	}
	text := strings.Join(lines, "\n")
	n := len(p.out) + 1
	name := ""
	if strings.HasPrefix(text, "::") {
		end := giftIndex(text, "::", 2)
		if end < 0 {
			return p.errorf(line, "question %d: the title after %q has no closing %q", n, "::", "::")
		}
		name = strings.TrimSpace(giftUnescape(text[2:end]))
		text = strings.TrimSpace(text[end+2:])
	}
	what := fmt.Sprintf("question %d", n)
	if name != "" {
		what = fmt.Sprintf("question %d (%q)", n, name)
	}
	open := giftIndex(text, "{", 0)
	closing := giftIndex(text, "}", 0)
	switch {
	case open < 0 && closing < 0:
		return p.errorf(line, "%s has no answer braces: a description is not a question (Ace imports essay questions: text followed by {} or {####model answer})", what)
	case closing < 0:
		return p.errorf(line, "%s: %q is not closed before the blank line that ends the question (GIFT questions end at a blank line; write \\n for a line break)", what, "{")
	case open < 0 || closing < open:
		return p.errorf(line, "%s: %q without an opening %q", what, "}", "{")
	}
	if after := strings.TrimSpace(text[closing+1:]); after != "" {
		return p.errorf(line, "%s has text after its answer braces (a missing-word question): only essay questions can be imported", what)
	}
	prompt := strings.TrimSpace(text[:open])
	inside := text[open+1 : closing]
	feedback := ""
	if gf := giftLastIndex(inside, "####"); gf >= 0 {
		feedback = inside[gf+4:]
		inside = inside[:gf]
	}
	if kind := giftKind(strings.TrimSpace(inside)); kind != "" {
		return p.errorf(line, "%s is a %s question: only essay questions ({} or {####model answer}) can be imported", what, kind)
	}
	tech, level, err := p.techLevel()
	if err != nil {
		return p.errorf(line, "%s: %v", what, err)
	}
	promptFormat, prompt := giftTextFormat(prompt, "moodle")
	_, answer := giftTextFormat(strings.TrimSpace(feedback), promptFormat)
	q := Question{
		Technology: tech,
		Level:      level,
		Prompt:     prompt,
		Answer:     answer,
		Source:     p.file,
		Line:       line,
	}
	q.Normalize()
	if q.Answer == "" {
		return p.errorf(line, "%s has no general feedback to use as its model answer (write it after #### inside the braces)", what)
	}
	if err := q.Validate(); err != nil {
		return p.errorf(line, "%s: %v", what, err)
	}
	p.out = append(p.out, q)
	return nil
}

// techLevel reads the technology and level from the current category: its
// last two parts, after Moodle's own "$course$" and "top" parts, are the
// technology and the level ("$course$/top/Go/Beginner").
func (p *giftParser) techLevel() (string, Level, error) {
	if p.category == "" {
		return "", "", fmt.Errorf("no category before it: put a line such as %q (technology/level), then a blank line, before the questions", "$CATEGORY: Go/Beginner")
	}
	var parts []string
	for _, s := range strings.Split(p.category, "/") {
		s = strings.TrimSpace(s)
		if s == "" || s == "top" || (len(s) > 1 && strings.HasPrefix(s, "$") && strings.HasSuffix(s, "$")) {
			continue
		}
		parts = append(parts, s)
	}
	if len(parts) < 2 {
		return "", "", fmt.Errorf("category %q (line %d) does not end in technology/level, as in %q", p.category, p.categoryLine, "$CATEGORY: Go/Beginner")
	}
	level, err := ParseLevel(parts[len(parts)-1])
	if err != nil {
		return "", "", fmt.Errorf("category %q (line %d) does not end in a level: %v", p.category, p.categoryLine, err)
	}
	return parts[len(parts)-2], level, nil
}

// giftKind names the question type of a non-empty answer section the way
// Moodle tells them apart; "" is an essay.
func giftKind(answers string) string {
	switch {
	case answers == "":
		return ""
	case answers[0] == '#':
		return "numerical"
	case giftIndex(answers, "~", 0) >= 0:
		return "multiple-choice"
	case giftIndex(answers, "=", 0) >= 0 && strings.Contains(answers, "->"):
		return "matching"
	}
	tf := answers
	if i := giftIndex(answers, "#", 0); i > 0 {
		tf = strings.TrimSpace(answers[:i])
	}
	switch tf {
	case "T", "TRUE", "F", "FALSE":
		return "true/false"
	}
	return "short-answer"
}

// giftTextFormat takes the "[format]" marker off s and turns the text
// into Ace's plain text: escapes undone, and HTML ([html]) turned into
// paragraphs. Without a marker the text has format def.
func giftTextFormat(s, def string) (string, string) {
	format := def
	if m := giftFormat.FindStringSubmatch(s); m != nil {
		format, s = m[1], s[len(m[0]):]
	}
	s = giftUnescape(s)
	if format == "html" {
		s = htmlText(s)
	}
	return format, strings.TrimSpace(s)
}

// giftIndex is the index of the first sub in s at or after from that is
// not escaped by a backslash, or -1.
func giftIndex(s, sub string, from int) int {
	for i := from; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], sub) {
			return i
		}
	}
	return -1
}

// giftLastIndex is the index of the last unescaped sub in s, or -1.
func giftLastIndex(s, sub string) int {
	last := -1
	for i := giftIndex(s, sub, 0); i >= 0; i = giftIndex(s, sub, i+1) {
		last = i
	}
	return last
}

// giftUnescape undoes GIFT's escapes: "\~" is "~" and so on, "\n" is a
// line break; a backslash before anything else stays, as in Moodle.
func giftUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch c := s[i+1]; {
			case c == 'n':
				b.WriteByte('\n')
				i++
				continue
			case strings.IndexByte(giftEscapes, c) >= 0:
				b.WriteByte(c)
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

var (
	htmlBreak = regexp.MustCompile(`(?i)<br\s*/?>`)
	htmlBlock = regexp.MustCompile(`(?i)</?(p|div|h[1-6]|ul|ol|pre|blockquote|table|tr)(\s[^>]*)?>`)
	htmlItem  = regexp.MustCompile(`(?i)<li(\s[^>]*)?>`)
	htmlTag   = regexp.MustCompile(`<[^>]*>`)
	blankRun  = regexp.MustCompile(`\n[ \t]*(\n[ \t]*)+`)
)

// htmlText turns the HTML that Moodle's editor writes into plain text:
// block elements become paragraphs, <br> a line break, list items lines
// starting with "- ", other tags are dropped and entities decoded. Ace
// stores and shows plain text only.
func htmlText(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlItem.ReplaceAllString(s, "\n- ")
	s = htmlBlock.ReplaceAllString(s, "\n\n")
	s = htmlTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	s = strings.Join(lines, "\n")
	return strings.TrimSpace(blankRun.ReplaceAllString(s, "\n\n"))
}
