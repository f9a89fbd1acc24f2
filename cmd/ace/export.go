package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
)

func exportCmd() *cli.Command {
	return &cli.Command{
		Name:  "export",
		Usage: "write the question bank, or part of it, in an import format",
		Description: "Writes every selected question, model answers and private questions included, sorted by\n" +
			"technology, level and prompt. Importing the file into an empty bank and exporting it again\n" +
			"gives the same bytes. JSON and YAML hold every field; the text format holds technology,\n" +
			"level, prompt and answer, refuses a question it could not read back, and cannot say which\n" +
			"questions are private: export those with --visibility private and import them with --private.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "json", Usage: "text, json or yaml"},
			&cli.StringFlag{Name: "technology", Usage: "only this technology (exact name)"},
			&cli.StringFlag{Name: "level", Usage: "only this level: beginner, intermediate or advanced"},
			&cli.StringFlag{Name: "visibility", Usage: "only public or only private questions (default both)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to this file instead of standard output"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			format, err := bank.ParseFormat(cmd.String("format"))
			if err != nil || format == bank.FormatGIFT {
				return fmt.Errorf("export: --format must be text, json or yaml, not %q", cmd.String("format"))
			}
			f := store.QuestionFilter{Technology: strings.TrimSpace(cmd.String("technology")), IncludePrivate: true}
			if l := cmd.String("level"); l != "" {
				lv, err := bank.ParseLevel(l)
				if err != nil {
					return fmt.Errorf("export: --level: %w", err)
				}
				f.Level = string(lv)
			}
			if v := cmd.String("visibility"); v != "" {
				if f.Visibility, err = bank.ParseVisibility(v); err != nil {
					return fmt.Errorf("export: --visibility: %w", err)
				}
			}
			st, err := openStore(ctx, cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			qs, err := st.ExportQuestions(ctx, f)
			if err != nil {
				return err
			}
			// The whole file is built first, so a refused question leaves no
			// half-written output behind.
			var buf bytes.Buffer
			if err := bank.Export(&buf, format, qs, f.Visibility); err != nil {
				return err
			}
			path := cmd.String("output")
			if path == "" {
				_, err := cmd.Root().Writer.Write(buf.Bytes())
				return err
			}
			if err := writeFileAtomic(path, buf.Bytes()); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			fmt.Fprintf(cmd.Root().ErrWriter, "Exported %d questions to %s.\n", len(qs), path)
			return nil
		},
	}
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it into place, so path holds either the old file or the whole new one.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
