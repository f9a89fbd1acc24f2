package loadtest

import (
	"bytes"
	"strings"
	"testing"
)

func sum(p50, p99 float64) Summary { return Summary{N: 100, P50: p50, P99: p99} }

// Results are read against the floor sampled under the load when there is
// one, and against the one before the load otherwise; the report names both.
func TestFloorUnderLoadPreferred(t *testing.T) {
	quiet := Floors{NATS: sum(0.1, 0.2), PGLogged: sum(0.4, 0.8)}
	if _, p99, _ := quiet.of(floorBoth); p99 != 1.0 {
		t.Fatalf("quiet floor p99 %v, want 1.0", p99)
	}
	loaded := quiet
	loaded.Loaded = LoadedFloors{Rate: 20, NATS: sum(0.5, 1), PG: sum(1, 3)}
	for k, want := range map[floorKind]float64{floorNATS: 1, floorCommit: 3, floorBoth: 4} {
		if _, p99, _ := loaded.of(k); p99 != want {
			t.Errorf("loaded floor %d p99 %v, want %v", k, p99, want)
		}
	}
	// A loaded probe that measured NATS only leaves the commit to the quiet floor.
	half := quiet
	half.Loaded = LoadedFloors{Rate: 20, NATS: sum(0.5, 1), Error: "pg floor: refused"}
	if _, p99, _ := half.of(floorBoth); p99 != 1.0 {
		t.Errorf("half-measured loaded floor used: p99 %v", p99)
	}
	if _, p99, _ := half.of(floorNATS); p99 != 1 {
		t.Errorf("loaded NATS floor not used: p99 %v", p99)
	}

	got := loaded.versus(8, floorBoth)
	for _, want := range []string{"2.0× the floor under the load (PG commit + NATS hop p99 4.00 ms)", "8.0× the floor before the load (PG commit + NATS hop p99 1.00 ms)"} {
		if !strings.Contains(got, want) {
			t.Errorf("versus = %q, lacks %q", got, want)
		}
	}
	if got := quiet.versus(8, floorBoth); strings.Contains(got, "under") || !strings.Contains(got, "8.0× the floor before the load") {
		t.Errorf("versus without a loaded floor = %q", got)
	}

	var b bytes.Buffer
	half.Loaded.print(&b)
	if !strings.Contains(b.String(), "not measured in full: pg floor: refused") || !strings.Contains(b.String(), "100 round trips") {
		t.Errorf("loaded floors printed as:\n%s", b.String())
	}
	b.Reset()
	quiet.Loaded.print(&b)
	if b.Len() != 0 {
		t.Errorf("an unmeasured loaded floor printed:\n%s", b.String())
	}
}
