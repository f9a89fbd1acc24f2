package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

var httpClient = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

// apiDo sends a JSON request with the bearer token and decodes a 2xx answer into out.
func apiDo(ctx context.Context, method, url, token string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, url, res.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: decode: %w", method, url, err)
		}
	}
	return nil
}

// pickQuestion returns the id of the first question the bank lists.
func pickQuestion(ctx context.Context, base, token string) (int64, error) {
	var out struct {
		Questions []struct {
			ID int64 `json:"id"`
		} `json:"questions"`
	}
	if err := apiDo(ctx, "GET", base+"/api/v1/questions?limit=1", token, nil, &out); err != nil {
		return 0, err
	}
	if len(out.Questions) == 0 {
		return 0, fmt.Errorf("the question bank at %s is empty; import questions or pass --seed-question-id", base)
	}
	return out.Questions[0].ID, nil
}

type created struct {
	ID         int64 `json:"id"`
	Candidates []struct {
		ID          int64  `json:"id"`
		InviteToken string `json:"invite_token"`
	} `json:"candidates"`
}

// createInterview plans `pushes` copies of question qid with timerS each
// and invites k candidates.
func createInterview(ctx context.Context, base, token, title string, qid int64, pushes, timerS, k int, pacing ...string) (created, error) {
	qs := make([]map[string]any, pushes)
	for i := range qs {
		qs[i] = map[string]any{"question_id": qid, "time_limit_s": timerS}
	}
	cs := make([]map[string]any, k)
	for i := range cs {
		cs[i] = map[string]any{"name": fmt.Sprintf("Load %d", i+1)}
	}
	var out created
	body := map[string]any{"title": title, "questions": qs, "candidates": cs}
	if len(pacing) > 0 {
		body["pacing"] = pacing[0]
	}
	err := apiDo(ctx, "POST", base+"/api/v1/interviews", token, body, &out)
	if err == nil && len(out.Candidates) != k {
		err = fmt.Errorf("create interview: asked for %d candidates, got %d", k, len(out.Candidates))
	}
	return out, err
}

type transcriptEvent struct {
	Seq  int64           `json:"seq"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// transcript reads an interview's whole transcript through the REST API.
func transcript(ctx context.Context, base, token string, id int64) ([]transcriptEvent, error) {
	var all []transcriptEvent
	after := int64(0)
	for {
		var out struct {
			Events []transcriptEvent `json:"events"`
		}
		if err := apiDo(ctx, "GET", fmt.Sprintf("%s/api/v1/interviews/%d/events?after=%d&limit=5000", base, id, after), token, nil, &out); err != nil {
			return all, err
		}
		all = append(all, out.Events...)
		if len(out.Events) < 5000 {
			return all, nil
		}
		after = out.Events[len(out.Events)-1].Seq
	}
}

// Memory is a server's memory as its /metrics reports it.
type Memory struct {
	RSS        float64 // process_resident_memory_bytes
	HeapInuse  float64 // go_memstats_heap_inuse_bytes
	Goroutines float64 // go_goroutines
	StackInuse float64 // go_memstats_stack_inuse_bytes
	NextGC     float64 // go_memstats_next_gc_bytes
	GOGC       float64 // go_gc_gogc_percent
	ProcRSS    float64 // VmRSS of /proc/PID/status, when the server's pid was given
	// MetricsError is why /metrics could not be read, if it could not.
	MetricsError string
}

// LiveHeap estimates the live heap at the last garbage collection: the
// collector sets its next target to live × (1 + GOGC/100). Unlike
// heap_inuse it leaves out garbage not yet collected.
func (m Memory) LiveHeap() float64 {
	if m.GOGC <= 0 || math.IsNaN(m.GOGC) {
		return math.NaN()
	}
	return m.NextGC / (1 + m.GOGC/100)
}

// readMemory scrapes the metrics at url for the process's memory.
func readMemory(ctx context.Context, url, token string) (Memory, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return Memory{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := httpClient.Do(req)
	if err != nil {
		return Memory{}, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return Memory{}, fmt.Errorf("GET %s: %d (serve it with --metrics-addr and pass --metrics-url)", url, res.StatusCode)
	}
	var m Memory
	found := 0
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		var dst *float64
		switch name {
		case "process_resident_memory_bytes":
			dst = &m.RSS
		case "go_memstats_heap_inuse_bytes":
			dst = &m.HeapInuse
		case "go_goroutines":
			dst = &m.Goroutines
		case "go_memstats_stack_inuse_bytes":
			dst = &m.StackInuse
		case "go_memstats_next_gc_bytes":
			dst = &m.NextGC
		case "go_gc_gogc_percent":
			dst = &m.GOGC
		default:
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			continue
		}
		*dst = v
		found++
	}
	if err := sc.Err(); err != nil {
		return m, err
	}
	if m.RSS == 0 && m.HeapInuse == 0 {
		return m, fmt.Errorf("GET %s: no process_resident_memory_bytes or go_memstats_heap_inuse_bytes", url)
	}
	return m, nil
}

// procRSS reads a local process's resident set from /proc/PID/status.
func procRSS(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, err := strconv.ParseFloat(f[0], 64)
				return kb * 1024, err
			}
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no VmRSS", pid)
}

// settledMemory takes three readings a second apart and keeps the median
// of each value, which smooths over a garbage collection in between. It
// reads /metrics and, with pid > 0, /proc/PID/status; a /metrics that fails
// is tolerated when the process can be read instead.
func settledMemory(ctx context.Context, url, token string, pid int) (Memory, error) {
	var rss, heap, gr, stack, next, gogc, prss []float64
	var metricsErr error
	for i := 0; i < 3; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return Memory{}, ctx.Err()
			case <-time.After(time.Second):
			}
		}
		if m, err := readMemory(ctx, url, token); err != nil {
			metricsErr = err
		} else {
			rss, heap, gr = append(rss, m.RSS), append(heap, m.HeapInuse), append(gr, m.Goroutines)
			stack, next, gogc = append(stack, m.StackInuse), append(next, m.NextGC), append(gogc, m.GOGC)
		}
		if pid > 0 {
			v, err := procRSS(pid)
			if err != nil {
				return Memory{}, err
			}
			prss = append(prss, v)
		}
	}
	if metricsErr != nil && pid <= 0 {
		return Memory{}, metricsErr
	}
	nan := math.NaN()
	m := Memory{RSS: nan, HeapInuse: nan, Goroutines: nan, StackInuse: nan, NextGC: nan, GOGC: nan, ProcRSS: nan}
	if len(rss) > 0 {
		m.RSS, m.HeapInuse, m.Goroutines = Summarize(rss).P50, Summarize(heap).P50, Summarize(gr).P50
		m.StackInuse, m.NextGC, m.GOGC = Summarize(stack).P50, Summarize(next).P50, Summarize(gogc).P50
	}
	if metricsErr != nil {
		m.MetricsError = metricsErr.Error()
	}
	if len(prss) > 0 {
		m.ProcRSS = Summarize(prss).P50
	}
	return m, nil
}
