package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v3"

	"github.com/ace-interviews/ace/internal/bank"
)

func importCmd() *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "import question files (.txt, .json, .yaml, .gift) into the configured database",
		ArgsUsage: "PATH...",
		Description: "Every file is parsed before anything is written; one malformed file stops the whole\n" +
			"import with its file and line, and nothing changes. Importing the same technology and\n" +
			"prompt again updates that question instead of adding a copy. Questions are public unless\n" +
			"their file says \"visibility\": \"private\" or --private is given; an existing question keeps\n" +
			"its visibility unless the file says one.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "private", Usage: "make every imported question private (staff only), whatever the files say"},
			&cli.StringFlag{Name: "format", Usage: "read every file as text, json, yaml or gift instead of by extension (Moodle names GIFT exports .txt)"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.NArg() == 0 {
				return errors.New("import: name at least one file")
			}
			var format bank.Format
			if name := cmd.String("format"); name != "" {
				f, err := bank.ParseFormat(name)
				if err != nil {
					return fmt.Errorf("import: %w", err)
				}
				format = f
			}
			var all []bank.Question
			for _, path := range cmd.Args().Slice() {
				qs, err := parseFile(path, format)
				if err != nil {
					return err
				}
				all = append(all, qs...)
			}
			if cmd.Bool("private") {
				bank.SetVisibility(all, bank.Private)
			}
			st, err := openStore(ctx, cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := st.ImportQuestions(ctx, all)
			if err != nil {
				return err
			}
			total := 0
			out(cmd, "%-24s %9s %13s %9s\n", "TECHNOLOGY", "BEGINNER", "INTERMEDIATE", "ADVANCED")
			for _, c := range res.Counts {
				out(cmd, "%-24s %9d %13d %9d\n", c.Technology, c.Beginner, c.Intermediate, c.Advanced)
				total += c.Beginner + c.Intermediate + c.Advanced
			}
			out(cmd, "Imported %d questions: %d new, %d updated, %d unchanged.\n", total, res.Created, res.Updated, res.Unchanged)
			if cmd.Bool("private") {
				out(cmd, "All of them are private.\n")
			}
			return nil
		},
	}
}

// parseFile reads path in format f, or in the format its extension names
// when f is empty.
func parseFile(path string, f bank.Format) ([]bank.Question, error) {
	if f == "" {
		var err error
		if f, err = bank.FormatFromName(path); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return bank.Parse(filepath.Clean(path), f, fh)
}
