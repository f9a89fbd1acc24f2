package bank

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sync"
)

// DemoSource is the Source of every demo question, so staff can tell the
// seeded questions from their own imports.
const DemoSource = "Ace demo bank"

// demoFiles is the demo bank, one YAML file per technology, written in the
// import format so that it doubles as an example of it.
//
//go:embed demo/*.yaml
var demoFiles embed.FS

// demoBank parses the embedded files once; Demo hands out copies.
var demoBank = sync.OnceValues(loadDemo)

// Demo returns the built-in demo bank, which lets a fresh install show a
// working question bank before anyone imports one. The embedded files are
// checked by the package tests, so it panics only on a broken build.
func Demo() []Question {
	qs, err := demoBank()
	if err != nil {
		panic(err)
	}
	out := make([]Question, len(qs))
	for i, q := range qs {
		q.Tags = slices.Clone(q.Tags)
		out[i] = q
	}
	return out
}

// loadDemo parses every embedded demo file, in file name order.
func loadDemo() ([]Question, error) {
	names, err := fs.Glob(demoFiles, "demo/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("bank: demo: %w", err)
	}
	var out []Question
	for _, name := range names {
		f, err := demoFiles.Open(name)
		if err != nil {
			return nil, fmt.Errorf("bank: demo: %w", err)
		}
		qs, err := ParseYAML(name, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("bank: demo: %w", err)
		}
		for i := range qs {
			qs[i].Source = DemoSource
		}
		out = append(out, qs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("bank: demo: no embedded questions")
	}
	return out, nil
}
