package bank

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
)

// The text format is what a browser gives when one copies a question page of
// the "Ace Your Interviews" site, so staff can import a page without
// retyping it. Each question reads:
//
//	DjangoBeginner              <- header: technology with the level glued on
//	                            <- blank lines are optional
//	What is Django?             <- prompt, one or more lines
//
//	Answer                      <- a line that is exactly "Answer"
//
//	Django is ...               <- answer, one or more paragraphs, up to the
//	                               next header or the end of the file
//
// docs/import-formats.md is the user-facing description of these rules.

// answerMarker is the line that ends a prompt and starts its answer.
const answerMarker = "Answer"

// levelWords are the level names as they appear in headers: capitalised and
// matched case-sensitively, so ordinary words in prose are less likely to
// pass for a header.
var levelWords = []struct {
	word  string
	level Level
}{
	{"Beginner", Beginner},
	{"Intermediate", Intermediate},
	{"Advanced", Advanced},
}

// chrome matches the site's own one-line paragraphs. A copied page starts
// with "Ace Your Interviews 🎯" and "Browse our collection ..." and ends with
// "Ready for a real challenge?" and "Master Django" (the seed file has no
// count; the live page may glue one on, as in "Master Django32"). Text
// before the first header is skipped anyway; these patterns strip such
// paragraphs from the end of an answer, where the page footer (or, in
// concatenated pages, the next page's banner) would otherwise land. Only
// whole paragraphs at the tail of an answer are dropped, so an answer's own
// paragraphs stay intact.
var chrome = []*regexp.Regexp{
	regexp.MustCompile(`^Ace Your Interviews(\s.*)?$`),
	regexp.MustCompile(`^Browse our collection of interview questions\b.*$`),
	regexp.MustCompile(`^Ready for a real challenge\?$`),
}

// looseHeader matches a line shaped like a header whose level is not one of
// ours ("DjangoExpert", "GoEXPERT"); it is only consulted to explain an
// error, never to find questions.
var looseHeader = regexp.MustCompile(`^(.+?)([A-Z][a-z]+|[A-Z]{2,})$`)

// ParseText reads questions in the "Ace Your Interviews" text format. file
// names the input in errors and becomes each question's Source; Line is the
// line of the question's header. Problems in the content are *ParseError.
func ParseText(file string, r io.Reader) ([]Question, error) {
	data, err := readInput(file, r)
	if err != nil {
		return nil, err
	}
	p := &textParser{file: file, lines: splitLines(string(data))}
	return p.parse()
}

// splitLines accepts Unix, Windows and old Mac line endings alike.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

type textParser struct {
	file  string
	lines []string
	techs map[string]bool // technologies of all headers, for isMasterChrome
	out   []Question
}

// textQuestion is a question while its lines are being read.
type textQuestion struct {
	header     string
	technology string
	level      Level
	line       int // 1-based line of the header
	answerLine int // 1-based line of "Answer"; 0 while reading the prompt
	prompt     []string
	answer     []string
}

func (p *textParser) parse() ([]Question, error) {
	p.techs = map[string]bool{}
	for _, l := range p.lines {
		if tech, _, ok := parseHeader(strings.TrimSpace(l)); ok {
			p.techs[tech] = true
		}
	}
	var cur *textQuestion
	for i, raw := range p.lines {
		t := strings.TrimSpace(raw)
		if tech, level, ok := parseHeader(t); ok {
			if err := p.finish(cur); err != nil {
				return nil, err
			}
			cur = &textQuestion{header: t, technology: tech, level: level, line: i + 1}
			continue
		}
		if t == answerMarker {
			if cur == nil || cur.answerLine != 0 {
				return nil, p.strayAnswer(cur, i)
			}
			if err := p.checkPrompt(cur, i); err != nil {
				return nil, err
			}
			cur.answerLine = i + 1
			continue
		}
		switch {
		case cur == nil:
			// Page chrome before the first header.
		case cur.answerLine == 0:
			cur.prompt = append(cur.prompt, strings.TrimRight(raw, " \t"))
		default:
			cur.answer = append(cur.answer, strings.TrimRight(raw, " \t"))
		}
	}
	if err := p.finish(cur); err != nil {
		return nil, err
	}
	if len(p.out) == 0 {
		return nil, p.errorf(1, "no questions found (want a header such as %q, a prompt, an %q line and an answer)", "GoBeginner", answerMarker)
	}
	return p.out, nil
}

func (p *textParser) errorf(line int, format string, args ...any) *ParseError {
	return &ParseError{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// finish turns the question read so far into a Question, or says why not.
func (p *textParser) finish(cur *textQuestion) error {
	if cur == nil {
		return nil
	}
	if cur.answerLine == 0 {
		return p.errorf(cur.line, "question %q has no %q line", cur.header, answerMarker)
	}
	q := Question{
		Technology: cur.technology,
		Level:      cur.level,
		Prompt:     joinParagraphs(paragraphs(cur.prompt)),
		Answer:     joinParagraphs(dropChrome(paragraphs(cur.answer), p.techs)),
		Source:     p.file,
		Line:       cur.line,
	}
	q.Normalize()
	if err := q.Validate(); err != nil {
		return p.errorf(cur.line, "question %q: %v", cur.header, err)
	}
	p.out = append(p.out, q)
	return nil
}

// checkPrompt runs when the "Answer" line of cur is at index i. A prompt
// holding a stand-alone header-like line means the question before it had
// no "Answer" and the next header is misspelt ("DjangoExpert"): report the
// misspelt header rather than import the two as one question.
func (p *textParser) checkPrompt(cur *textQuestion, i int) error {
	first := cur.line // index of the line after the header
	content := false
	for k := first; k < i; k++ {
		if isBlank(p.lines[k]) {
			continue
		}
		content = true
		standalone := (k == first || isBlank(p.lines[k-1])) && k+1 < i && isBlank(p.lines[k+1])
		if standalone && hasContent(p.lines[k+1:i]) {
			if msg, ok := badHeader(strings.TrimSpace(p.lines[k]), true); ok {
				return p.errorf(k+1, "%s", msg)
			}
		}
	}
	if !content {
		return p.errorf(cur.line, "question %q: prompt is empty", cur.header)
	}
	return nil
}

// strayAnswer explains an "Answer" line at index i that follows no prompt of
// a valid header. The usual cause is a header with a level we do not know,
// so look back past the prompt for a line shaped like a header.
func (p *textParser) strayAnswer(cur *textQuestion, i int) error {
	from := 0
	if cur != nil {
		from = cur.answerLine // index of the line after the previous "Answer"
	}
	last := i - 1
	for last >= from && isBlank(p.lines[last]) {
		last--
	}
	// The last line before "Answer" is the prompt, unless the prompt is
	// missing and it is the header itself: try it after the lines above.
	for k := last - 1; k >= from; k-- {
		if msg, ok := badHeader(strings.TrimSpace(p.lines[k]), false); ok {
			return p.errorf(k+1, "%s", msg)
		}
	}
	if last >= from {
		if msg, ok := badHeader(strings.TrimSpace(p.lines[last]), false); ok {
			return p.errorf(last+1, "%s", msg)
		}
	}
	if cur != nil {
		return p.errorf(i+1, "second %q line in question %q at line %d (want a header such as %q before the next prompt)",
			answerMarker, cur.header, cur.line, "GoBeginner")
	}
	return p.errorf(i+1, "%q line with no header before its prompt (want a header such as %q)", answerMarker, "GoBeginner")
}

// parseHeader recognises "<Technology><Level>", such as "System DesignAdvanced".
func parseHeader(t string) (string, Level, bool) {
	for _, lw := range levelWords {
		if tech, ok := strings.CutSuffix(t, lw.word); ok && validTechnology(tech) {
			return tech, lw.level, true
		}
	}
	return "", "", false
}

// levelish are words people use for levels. Inside a prompt, where a
// capitalised word glued to a name ("PostgreSQL", "JavaScript") is ordinary
// text, only these count as a misspelt level.
var levelish = map[string]bool{
	"expert": true, "basic": true, "basics": true, "easy": true, "medium": true, "hard": true,
	"junior": true, "middle": true, "mid": true, "senior": true, "advance": true, "novice": true,
	"beginer": true, "begginer": true, "intermidiate": true, "intermediary": true, "elementary": true,
}

// badHeader says what is wrong with a line that looks like a header but is
// not one; ok is false when the line does not look like a header at all.
// strict limits unknown levels to levelish words.
func badHeader(t string, strict bool) (msg string, ok bool) {
	if _, _, valid := parseHeader(t); valid {
		return "", false
	}
	for _, lw := range levelWords {
		n := len(t) - len(lw.word)
		if n <= 0 || !strings.EqualFold(t[n:], lw.word) {
			continue
		}
		tech := t[:n]
		if validTechnology(tech) {
			return fmt.Sprintf("unknown level %q in header %q (levels are case-sensitive: write %q)", t[n:], t, tech+lw.word), true
		}
		if trimmed := strings.TrimRight(tech, " "); trimmed != tech && validTechnology(trimmed) {
			return fmt.Sprintf("header %q has a space before its level (write %q)", t, trimmed+lw.word), true
		}
	}
	if m := looseHeader.FindStringSubmatch(t); m != nil && validTechnology(m[1]) && (!strict || levelish[strings.ToLower(m[2])]) {
		return fmt.Sprintf("unknown level %q in header %q (want Beginner, Intermediate or Advanced glued to the technology, as in %q)",
			m[2], t, m[1]+"Beginner"), true
	}
	return "", false
}

// validTechnology accepts names such as "Go", "System Design", "Node.js",
// "C++", "C#" and ".NET": letters and digits with a few joining marks, no
// sentence punctuation. Keeping it strict keeps prose from being taken for
// a header.
func validTechnology(s string) bool {
	if s == "" || len(s) > MaxTechnologyLen || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	alnum := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			alnum = true
		case strings.ContainsRune(" .+#-/&_", r):
		default:
			return false
		}
	}
	return alnum
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

func hasContent(lines []string) bool {
	for _, l := range lines {
		if !isBlank(l) {
			return true
		}
	}
	return false
}

// paragraphs groups lines into paragraphs separated by blank lines.
func paragraphs(lines []string) [][]string {
	var out [][]string
	var cur []string
	for _, l := range lines {
		if isBlank(l) {
			if cur != nil {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// dropChrome removes site chrome paragraphs from the end of an answer.
func dropChrome(ps [][]string, techs map[string]bool) [][]string {
	for len(ps) > 0 {
		last := ps[len(ps)-1]
		if len(last) != 1 || !isChrome(strings.TrimSpace(last[0]), techs) {
			break
		}
		ps = ps[:len(ps)-1]
	}
	return ps
}

func isChrome(s string, techs map[string]bool) bool {
	for _, re := range chrome {
		if re.MatchString(s) {
			return true
		}
	}
	return isMasterChrome(s, techs)
}

// isMasterChrome recognises the footer "Master <Technology>[<count>]". It
// counts as chrome only when the name is the technology of a header in the
// same file, so an answer's closing line such as "Master the basics first"
// is kept. Trailing digits are tried both as count and as part of the name,
// for technologies such as "Python3".
func isMasterChrome(s string, techs map[string]bool) bool {
	name, ok := strings.CutPrefix(s, "Master ")
	for ok && name != "" {
		if techs[name] {
			return true
		}
		last := name[len(name)-1]
		ok = last >= '0' && last <= '9'
		name = name[:len(name)-1]
	}
	return false
}

// joinParagraphs keeps line breaks inside a paragraph (code, lists) and one
// blank line between paragraphs, however many the input had.
func joinParagraphs(ps [][]string) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = strings.Join(p, "\n")
	}
	return strings.Join(parts, "\n\n")
}
