// Command testreport turns `go test -json` on standard input into what plain
// `go test` prints — a line per package, and the output of each test that
// failed — plus the output of each skipped test and a count of passed,
// failed and skipped tests. plain `go test` hides skips; CI refuses them.
//
//	go test -json ./... | go run ./scripts/testreport [-no-skips]
//
// With -no-skips it exits 1 when any test skipped. The exit status of go
// test itself says whether tests failed.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

type report struct {
	out                 io.Writer
	buf                 map[string][]string // output of each running test, by package and name
	passedOut           map[string][]string // output of the package's tests that passed, by package
	failedIn            map[string]int      // tests that failed, by package
	passed, failed      int
	skipped, unfinished []string
}

func main() {
	noSkips := flag.Bool("no-skips", false, "exit 1 when any test skipped")
	flag.Parse()
	r := &report{out: os.Stdout, buf: map[string][]string{}, passedOut: map[string][]string{}, failedIn: map[string]int{}}
	if err := r.read(os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
	r.summary()
	if *noSkips && len(r.skipped) > 0 {
		fmt.Fprintf(r.out, "testreport: %d skipped test(s) under CI=true: a skip here is a failure (fix the test or what it needs)\n", len(r.skipped))
		os.Exit(1)
	}
}

func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintf(r.out, "%s\n", line) // not an event: pass it on as it is
			continue
		}
		r.handle(e)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	// A test binary that crashed or timed out leaves tests without a result:
	// their output is the clue.
	keys := make([]string, 0, len(r.buf))
	for k := range r.buf {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r.unfinished = append(r.unfinished, k)
		r.print(r.buf[k])
	}
	return nil
}

func (r *report) handle(e event) {
	key := e.Package + " " + e.Test
	switch {
	case e.Action == "build-output":
		fmt.Fprint(r.out, e.Output)
	case e.Test == "":
		// A package's own lines: "ok  pkg 1.2s", "FAIL pkg", "? pkg [no test
		// files]", panics outside any test. A package-level skip is a
		// package without tests, not a skipped test.
		if e.Action == "output" && e.Output != "PASS\n" && !strings.HasPrefix(e.Output, "=== ") {
			fmt.Fprint(r.out, e.Output)
		}
		if e.Action == "fail" && r.failedIn[e.Package] == 0 {
			// The package failed with every test passing: a data race or a
			// panic in a goroutine that outlived its test, reported while
			// another test ran. That test's output is the clue.
			fmt.Fprintf(r.out, "--- %s failed although its tests passed; their output:\n", e.Package)
			r.print(r.passedOut[e.Package])
		}
		if e.Action == "pass" || e.Action == "fail" {
			delete(r.passedOut, e.Package)
		}
	case e.Action == "output":
		r.buf[key] = append(r.buf[key], e.Output)
	case e.Action == "pass":
		r.passed++
		r.passedOut[e.Package] = append(r.passedOut[e.Package], r.buf[key]...)
		delete(r.buf, key)
	case e.Action == "fail":
		r.failed++
		r.failedIn[e.Package]++
		r.print(r.buf[key])
		delete(r.buf, key)
	case e.Action == "skip":
		r.skipped = append(r.skipped, e.Package+" "+e.Test)
		r.print(r.buf[key])
		delete(r.buf, key)
	}
}

// print writes a test's output without the progress lines of -v.
func (r *report) print(lines []string) {
	for _, l := range lines {
		if t := strings.TrimLeft(l, " "); !strings.HasPrefix(t, "=== ") && !strings.HasPrefix(t, "--- PASS") {
			fmt.Fprint(r.out, l)
		}
	}
}

func (r *report) summary() {
	fmt.Fprintf(r.out, "go test: %d passed, %d failed, %d skipped", r.passed, r.failed, len(r.skipped))
	if len(r.unfinished) > 0 {
		fmt.Fprintf(r.out, ", %d without a result", len(r.unfinished))
	}
	fmt.Fprintln(r.out)
	for _, s := range r.skipped {
		fmt.Fprintf(r.out, "  SKIP  %s\n", s)
	}
	for _, s := range r.unfinished {
		fmt.Fprintf(r.out, "  NO RESULT  %s\n", s)
	}
}
