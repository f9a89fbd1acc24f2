package loadtest

import (
	"math"
	"testing"
)

func TestPercentileNearestRank(t *testing.T) {
	// 1..100: the p-th percentile by nearest rank is p itself.
	s := make([]float64, 100)
	for i := range s {
		s[i] = float64(i + 1)
	}
	for _, c := range []struct{ p, want float64 }{
		{1, 1}, {50, 50}, {95, 95}, {99, 99}, {99.9, 100}, {100, 100}, {0, 1}, {0.5, 1},
	} {
		if got := Percentile(s, c.p); got != c.want {
			t.Errorf("p%v of 1..100 = %v, want %v", c.p, got, c.want)
		}
	}
	// Ten samples: p50 is the 5th, p95 and p99 the 10th, p10 the 1st.
	ten := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, c := range []struct{ p, want float64 }{{10, 1}, {50, 5}, {51, 6}, {90, 9}, {95, 10}, {99, 10}} {
		if got := Percentile(ten, c.p); got != c.want {
			t.Errorf("p%v of 1..10 = %v, want %v", c.p, got, c.want)
		}
	}
	if got := Percentile([]float64{7}, 99); got != 7 {
		t.Errorf("p99 of one sample = %v", got)
	}
	if got := Percentile(nil, 50); !math.IsNaN(got) {
		t.Errorf("p50 of nothing = %v, want NaN", got)
	}
}

func TestSummarizeSortsACopy(t *testing.T) {
	in := []float64{5, 1, 4, 2, 3}
	s := Summarize(in)
	if s.N != 5 || s.Min != 1 || s.Max != 5 || s.P50 != 3 || s.P99 != 5 || s.Mean != 3 {
		t.Fatalf("summary %+v", s)
	}
	if in[0] != 5 {
		t.Fatal("Summarize reordered its input")
	}
	if e := Summarize(nil); e.N != 0 || !math.IsNaN(e.P50) {
		t.Fatalf("empty summary %+v", e)
	}
	// 1000 samples 0.001..1.000: p99 is the 990th.
	many := make([]float64, 1000)
	for i := range many {
		many[len(many)-1-i] = float64(i+1) / 1000
	}
	if s := Summarize(many); s.P99 != 0.99 || s.P95 != 0.95 || s.P50 != 0.5 {
		t.Fatalf("1000 samples: %+v", s)
	}
}

func TestIdlePerConn(t *testing.T) {
	r := IdleReport{Opened: 100, Before: Memory{RSS: 1000, HeapInuse: 500, Goroutines: 10}, After: Memory{RSS: 101000, HeapInuse: 50500, Goroutines: 310}}
	p := r.PerConn()
	if p.RSS != 1000 || p.HeapInuse != 500 || p.Goroutines != 3 {
		t.Fatalf("per conn %+v", p)
	}
}
