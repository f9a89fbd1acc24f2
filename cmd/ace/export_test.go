package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/store"
)

func testdata(name string) string {
	return filepath.Join("..", "..", "internal", "bank", "testdata", name)
}

func TestImportPrivateAndGIFT(t *testing.T) {
	for name, tg := range targets(t) {
		t.Run(name, func(t *testing.T) {
			cmd := func(args ...string) (string, error) {
				return run(t, "", append(append([]string{args[0]}, tg.flags...), args[1:]...)...)
			}
			out, err := cmd("import", "--private", testdata("mixed.txt"))
			if err != nil || !strings.Contains(out, "All of them are private.") {
				t.Fatalf("import --private: %v\n%s", err, out)
			}
			s := tg.open()
			ctx := context.Background()
			if qs, total, err := s.ListQuestions(ctx, store.QuestionFilter{Limit: 10}); err != nil || total != 0 || len(qs) != 0 {
				t.Fatalf("public bank after import --private: %d %v", total, err)
			}
			all, total, _ := s.ListQuestions(ctx, store.QuestionFilter{IncludePrivate: true, Limit: 100})
			if total == 0 {
				t.Fatal("nothing imported")
			}
			for _, q := range all {
				if q.Visibility != "private" {
					t.Fatalf("%q is %s", q.Prompt, q.Visibility)
				}
			}
			// The same file again without --private changes nothing.
			if out, err := cmd("import", testdata("mixed.txt")); err != nil || !strings.Contains(out, ": 0 new, 0 updated,") {
				t.Fatalf("re-import: %v\n%s", err, out)
			}
			if _, total, _ := s.ListQuestions(ctx, store.QuestionFilter{Limit: 10}); total != 0 {
				t.Fatalf("re-import without --private published %d questions", total)
			}
			// GIFT by extension, and a Moodle .txt export with --format gift.
			if out, err := cmd("import", testdata("essays.gift")); err != nil || !strings.Contains(out, "Imported 5 questions: 5 new") {
				t.Fatalf("import gift: %v\n%s", err, out)
			}
			dir := t.TempDir()
			moodle := filepath.Join(dir, "moodle-export.txt")
			if err := os.WriteFile(moodle, []byte("$CATEGORY: $course$/top/Rust/Beginner\n\n::Own:: What is ownership? {####Each value has one owner.}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := cmd("import", moodle); err == nil {
				t.Fatal("a GIFT .txt read as the text format imported")
			}
			if out, err := cmd("import", "--format", "gift", moodle); err != nil || !strings.Contains(out, "Rust") {
				t.Fatalf("import --format gift: %v\n%s", err, out)
			}
			for _, bad := range []string{"mixed-types.gift", "no-feedback.gift", "unclosed.gift"} {
				if _, err := cmd("import", testdata(bad)); err == nil || !strings.Contains(err.Error(), testdata(bad)+":") {
					t.Fatalf("%s: %v, want an error naming its file and line", bad, err)
				}
			}
			if _, err := cmd("import", "--format", "csv", moodle); err == nil {
				t.Fatal("--format csv accepted")
			}
		})
	}
}

// TestExportRoundTrip: ace export, ace import into an empty bank, ace
// export again gives the same bytes, for every format, on both databases,
// also with the real seed file when it is there.
func TestExportRoundTrip(t *testing.T) {
	files := []string{testdata("mixed.json"), testdata("mixed.yaml"), testdata("essays.gift")}
	seed := filepath.Join("..", "..", "..", "shared", "data", "question-bank-django.txt")
	if _, err := os.Stat(seed); err == nil {
		files = append(files, seed)
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true but the seed file is missing: %v", err)
	}
	for name, src := range targets(t) {
		t.Run(name, func(t *testing.T) {
			if out, err := run(t, "", append(append([]string{"import"}, src.flags...), files...)...); err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			if out, err := run(t, "", append(append([]string{"import", "--private"}, src.flags...), testdata("mixed.txt"))...); err != nil {
				t.Fatalf("import --private: %v\n%s", err, out)
			}
			for _, tc := range []struct {
				format  string
				export  []string
				import_ []string
			}{
				{"json", nil, nil},
				{"yaml", nil, nil},
				{"text", []string{"--visibility", "public"}, nil},
				{"text", []string{"--visibility", "private"}, []string{"--private"}},
				{"json", []string{"--technology", "Go", "--level", "advanced"}, nil},
			} {
				t.Run(tc.format+strings.Join(tc.export, ""), func(t *testing.T) {
					dir := t.TempDir()
					first := filepath.Join(dir, "first."+map[string]string{"json": "json", "yaml": "yaml", "text": "txt"}[tc.format])
					args := append(append(append([]string{"export"}, src.flags...), "--format", tc.format, "-o", first), tc.export...)
					if out, err := run(t, "", args...); err != nil {
						t.Fatalf("export: %v\n%s", err, out)
					}
					// A fresh SQLite bank for the copy.
					dst := []string{"--data-dir", filepath.Join(dir, "copy")}
					if out, err := run(t, "", append(append(append([]string{"import"}, dst...), tc.import_...), first)...); err != nil {
						t.Fatalf("import of the export: %v\n%s", err, out)
					}
					second, err := run(t, "", append(append(append([]string{"export"}, dst...), "--format", tc.format), tc.export...)...)
					if err != nil {
						t.Fatal(err)
					}
					want, _ := os.ReadFile(first)
					if len(want) == 0 || second != string(want) {
						t.Fatalf("export → import → export differs:\n%s\n---\n%s", want, second)
					}
				})
			}
			if _, err := run(t, "", append(append([]string{"export"}, src.flags...), "--format", "text")...); err == nil || !strings.Contains(err.Error(), "private") {
				t.Fatalf("text export of a mixed bank: %v", err)
			}
			for _, bad := range [][]string{{"--format", "gift"}, {"--level", "expert"}, {"--visibility", "staff"}} {
				if _, err := run(t, "", append(append([]string{"export"}, src.flags...), bad...)...); err == nil {
					t.Fatalf("export %v accepted", bad)
				}
			}
		})
	}
}
