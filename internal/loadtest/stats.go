package loadtest

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method: the smallest sample such that at least p% of the
// samples are less than or equal to it. It returns NaN for no samples.
// sorted must be in ascending order.
func Percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	if p <= 0 {
		return sorted[0]
	}
	if p >= 100 {
		return sorted[n-1]
	}
	// Rank in 1..n; the small epsilon keeps p*n that is a whole number
	// (e.g. 50% of 10) from rounding up through floating-point error.
	rank := int(math.Ceil(p/100*float64(n) - 1e-9))
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}

// Summary is the distribution of one latency, in milliseconds.
type Summary struct {
	N                       int
	Min, P50, P95, P99, Max float64
	Mean                    float64
}

// Summarize sorts a copy of samples and returns their summary.
func Summarize(samples []float64) Summary {
	if len(samples) == 0 {
		nan := math.NaN()
		return Summary{Min: nan, P50: nan, P95: nan, P99: nan, Max: nan, Mean: nan}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	sum := 0.0
	for _, v := range s {
		sum += v
	}
	return Summary{N: len(s), Min: s[0], P50: Percentile(s, 50), P95: Percentile(s, 95), P99: Percentile(s, 99),
		Max: s[len(s)-1], Mean: sum / float64(len(s))}
}

// recorder collects samples from many goroutines.
type recorder struct {
	mu sync.Mutex
	v  []float64
}

func (r *recorder) add(ms float64) {
	r.mu.Lock()
	r.v = append(r.v, ms)
	r.mu.Unlock()
}

func (r *recorder) since(t0 time.Time) { r.add(msSince(t0)) }

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.v)
}

func (r *recorder) summary() Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Summarize(r.v)
}

func msSince(t0 time.Time) float64 { return float64(time.Since(t0).Nanoseconds()) / 1e6 }

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
