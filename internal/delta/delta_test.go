package delta

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		name, a, b string
		want       Delta
	}{
		{"same", "abc", "abc", Delta{Offset: 3}},
		{"empty to text", "", "hello", Delta{Insert: "hello"}},
		{"text to empty", "hello", "", Delta{Delete: 5}},
		{"append", "hello", "hello, world", Delta{Offset: 5, Insert: ", world"}},
		{"backspace", "hello", "hell", Delta{Offset: 4, Delete: 1}},
		{"middle", "the cat sat", "the dog sat", Delta{Offset: 4, Delete: 3, Insert: "dog"}},
		{"prepend", "world", "hello world", Delta{Insert: "hello "}},
		{"repeated letter", "aaa", "aaaa", Delta{Offset: 3, Insert: "a"}},
		// Offsets count code points, not bytes or UTF-16 units.
		{"after accents", "café", "café au lait", Delta{Offset: 4, Insert: " au lait"}},
		{"astral", "🙂🙂", "🙂x🙂", Delta{Offset: 1, Insert: "x"}},
		// é (c3 a9) and è (c3 a8) share their first byte: the edit must
		// not split it.
		{"shared lead byte", "é", "è", Delta{Delete: 1, Insert: "è"}},
		{"shared trail bytes", "aé", "bé", Delta{Delete: 1, Insert: "b"}},
		{"emoji with shared bytes", "😀", "😁", Delta{Delete: 1, Insert: "😁"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Diff(tc.a, tc.b)
			if got != tc.want {
				t.Fatalf("Diff(%q, %q) = %+v, want %+v", tc.a, tc.b, got, tc.want)
			}
			if out, err := got.Apply(tc.a); err != nil || out != tc.b {
				t.Fatalf("apply: %q %v, want %q", out, err, tc.b)
			}
		})
	}
}

func TestApplyOutOfRange(t *testing.T) {
	for _, d := range []Delta{{Offset: 4}, {Offset: 2, Delete: 2}, {Offset: -1}, {Delete: -1}} {
		if _, err := d.Apply("abc"); err != ErrOutOfRange {
			t.Errorf("%+v on abc: %v, want ErrOutOfRange", d, err)
		}
	}
	if out, err := (Delta{Offset: 3}).Apply("abc"); err != nil || out != "abc" {
		t.Errorf("an edit at the very end: %q %v", out, err)
	}
}

// FuzzDelta: applying Diff(a, b) to a gives b, for any UTF-8 texts, and the
// edit agrees with the same edit made on code points ([]rune).
func FuzzDelta(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""}, {"abc", "abd"}, {"é", "è"}, {"😀😀", "😀😁😀"}, {"aaaa", "aa"}, {"x\u0000y", "xy"},
		{"日本語のテキスト", "日本語テキスト"}, {strings.Repeat("ab", 50), strings.Repeat("ab", 49) + "c"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			t.Skip()
		}
		d := Diff(a, b)
		got, err := d.Apply(a)
		if err != nil || got != b {
			t.Fatalf("Diff(%q, %q) = %+v applies as %q, %v", a, b, d, got, err)
		}
		ra := []rune(a)
		if d.Offset+d.Delete > len(ra) {
			t.Fatalf("%+v reaches past %d code points", d, len(ra))
		}
		viaRunes := string(ra[:d.Offset]) + d.Insert + string(ra[d.Offset+d.Delete:])
		if viaRunes != b {
			t.Fatalf("the edit on code points gives %q, want %q", viaRunes, b)
		}
		if !utf8.ValidString(d.Insert) {
			t.Fatalf("insert %q is not valid UTF-8", d.Insert)
		}
		if d.Empty() != (a == b) {
			t.Fatalf("Empty() = %v for %q -> %q", d.Empty(), a, b)
		}
		// A Builder gives the same texts from wherever its last edit ended:
		// a to b, back to a, and on to b+a.
		var bd Builder
		bd.Reset(a)
		for _, next := range []string{b, a, b + a, a} {
			e := Diff(bd.String(), next)
			if err := bd.Apply(e); err != nil || bd.String() != next {
				t.Fatalf("builder: %+v gives %q, %v; want %q", e, bd.String(), err, next)
			}
		}
	})
}

func TestBuilder(t *testing.T) {
	var b Builder
	b.Reset("héllo wörld")
	for _, step := range []struct {
		d    Delta
		want string
	}{
		{Delta{Offset: 11, Insert: "!"}, "héllo wörld!"},
		{Delta{Offset: 12, Insert: "🙂"}, "héllo wörld!🙂"},
		{Delta{Offset: 1, Delete: 1, Insert: "e"}, "hello wörld!🙂"}, // far before: from the start
		{Delta{Offset: 12, Delete: 1}, "hello wörld!"},              // after: from the last edit
		{Delta{Offset: 10, Delete: 1, Insert: "D"}, "hello wörlD!"}, // just before: backwards
		{Delta{Offset: 7, Delete: 1, Insert: "o"}, "hello worlD!"},  // backwards over é-free text
		{Delta{Offset: 0, Delete: 12, Insert: "日本"}, "日本"},
		{Delta{Offset: 2, Insert: "語"}, "日本語"},
	} {
		if err := b.Apply(step.d); err != nil || b.String() != step.want {
			t.Fatalf("%+v: %q %v, want %q", step.d, b.String(), err, step.want)
		}
	}
	if err := b.Apply(Delta{Offset: 2, Delete: 2}); err != ErrOutOfRange || b.String() != "日本語" {
		t.Fatalf("out of range: %v, text %q", err, b.String())
	}
}

func BenchmarkDiffLongAnswer(b *testing.B) {
	a := strings.Repeat("func main() { fmt.Println(\"héllo\") }\n", 130) // ~5,000 characters
	c := a[:2500] + "typed" + a[2500:]
	for b.Loop() {
		_ = Diff(a, c)
	}
}
