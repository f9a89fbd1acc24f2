// Package delta describes how one text became the next as a single edit:
// keep a prefix, delete a run, insert new text, keep the suffix. Offsets
// and lengths count Unicode code points, so a browser, a database's substr
// and Go all agree on them. Typing history is stored and replayed as these
// edits (DESIGN.md, "Review and scoring"): one snapshot a second of a long
// answer costs what was typed that second, not the whole answer again.
package delta

import (
	"errors"
	"unicode/utf8"
)

// Delta replaces Delete code points at Offset with Insert.
type Delta struct {
	Offset int
	Delete int
	Insert string
}

// ErrOutOfRange is an edit that does not fit the text it is applied to.
var ErrOutOfRange = errors.New("delta: edit out of range")

// Diff returns the one edit that turns a into b: the common prefix and the
// common suffix are kept, what lies between is replaced. It is linear in
// the texts' length and exact for any valid UTF-8; it is not a minimal diff
// (two separate edits in one snapshot become one edit spanning both),
// which is what one second of typing usually is anyway.
func Diff(a, b string) Delta {
	n := min(len(a), len(b))
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	// Back off to a code point boundary of both texts.
	for p > 0 && (!boundary(a, p) || !boundary(b, p)) {
		p--
	}
	s := 0
	for s < n-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	for s > 0 && (!boundary(a, len(a)-s) || !boundary(b, len(b)-s)) {
		s--
	}
	return Delta{
		Offset: count(a[:p]),
		Delete: count(a[p : len(a)-s]),
		Insert: b[p : len(b)-s],
	}
}

// Apply returns s with the edit made, or ErrOutOfRange when s is too short
// for it (the edit was made against another text).
func (d Delta) Apply(s string) (string, error) {
	if d.Offset < 0 || d.Delete < 0 {
		return "", ErrOutOfRange
	}
	start, ok := byteIndex(s, 0, d.Offset)
	if !ok {
		return "", ErrOutOfRange
	}
	end, ok := byteIndex(s, start, d.Delete)
	if !ok {
		return "", ErrOutOfRange
	}
	return s[:start] + d.Insert + s[end:], nil
}

// Empty reports whether the edit changes nothing.
func (d Delta) Empty() bool { return d.Delete == 0 && d.Insert == "" }

// boundary reports whether byte i of s starts a code point (or ends s).
func boundary(s string, i int) bool {
	return i >= len(s) || utf8.RuneStart(s[i])
}

// count is the number of code points in s: the bytes that start one. For
// valid UTF-8 it is utf8.RuneCountInString, and Apply counts the same way.
func count(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if utf8.RuneStart(s[i]) {
			n++
		}
	}
	return n
}

// byteIndex returns the byte index n code points after byte from in s.
func byteIndex(s string, from, n int) (int, bool) {
	i := from
	for ; n > 0 && i < len(s); n-- {
		i++
		for i < len(s) && !utf8.RuneStart(s[i]) {
			i++
		}
	}
	return i, n == 0
}

// Builder rebuilds a text from a keyframe and the edits that follow it. It
// remembers where its last edit ended, so the next one near there (typing
// goes on where it stopped) is found by counting from that point rather
// than from the start: an hour of snapshots of a long answer is rebuilt in
// time that grows with what was typed.
type Builder struct {
	text  string
	runes int // a code point index of text ...
	at    int // ... and its byte index
}

// Reset starts over from a whole text.
func (b *Builder) Reset(s string) { *b = Builder{text: s} }

// String is the text as rebuilt so far.
func (b *Builder) String() string { return b.text }

// Apply makes the edit, or returns ErrOutOfRange and changes nothing.
func (b *Builder) Apply(d Delta) error {
	if d.Offset < 0 || d.Delete < 0 {
		return ErrOutOfRange
	}
	var start int
	var ok bool
	switch {
	case d.Offset >= b.runes:
		start, ok = byteIndex(b.text, b.at, d.Offset-b.runes)
	case b.runes-d.Offset < d.Offset:
		start, ok = byteIndexBack(b.text, b.at, b.runes-d.Offset), true
	default:
		start, ok = byteIndex(b.text, 0, d.Offset)
	}
	if !ok {
		return ErrOutOfRange
	}
	end, ok := byteIndex(b.text, start, d.Delete)
	if !ok {
		return ErrOutOfRange
	}
	b.text = b.text[:start] + d.Insert + b.text[end:]
	b.runes, b.at = d.Offset+count(d.Insert), start+len(d.Insert)
	return nil
}

// byteIndexBack returns the byte index n code points before byte from in s
// (n is at most the code points before from).
func byteIndexBack(s string, from, n int) int {
	i := from
	for ; n > 0 && i > 0; n-- {
		i--
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
	}
	return i
}
