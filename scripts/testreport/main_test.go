package main

import (
	"strings"
	"testing"
)

// A package that fails while all its tests pass (a data race reported
// after its test ended) shows what its tests printed, which plain go test
// would have shown and the report used to drop.
func TestPackageFailingWithPassingTests(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"WARNING: DATA RACE\n"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"--- PASS: TestA (0.01s)\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t0.1s\n"}`,
		`{"Action":"fail","Package":"p"}`,
		`{"Action":"run","Package":"q","Test":"TestB"}`,
		`{"Action":"output","Package":"q","Test":"TestB","Output":"quiet\n"}`,
		`{"Action":"pass","Package":"q","Test":"TestB"}`,
		`{"Action":"pass","Package":"q"}`,
	}, "\n")
	var out strings.Builder
	r := &report{out: &out, buf: map[string][]string{}, passedOut: map[string][]string{}, failedIn: map[string]int{}}
	if err := r.read(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, "WARNING: DATA RACE") || !strings.Contains(got, "p failed although its tests passed") {
		t.Fatalf("the failing package's clue is missing:\n%s", got)
	}
	if strings.Contains(got, "quiet") || strings.Contains(got, "--- PASS") {
		t.Fatalf("a passing package's output, or PASS lines, printed:\n%s", got)
	}
}
