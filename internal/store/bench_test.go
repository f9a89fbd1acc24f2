package store_test

// Benchmarks for issue 3: "Text search over a bank of 10,000 questions
// answers in under 20 ms p99 on SQLite and on PostgreSQL on this 2-core
// machine; importing 10,000 questions takes under 5 s."
//
// They only run with -bench (plain go test compiles them and skips them):
//
//	go test ./internal/store -run '^$' -bench Search10k -benchtime 200x
//	go test ./internal/store -run '^$' -bench Import10k -benchtime 3x
//
// Results and the machine they were taken on are in docs/benchmarks.md.

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

// benchBankSize is the size of the bank the issue asks about.
const benchBankSize = 10_000

// benchSeed fixes the generated bank: every run searches the same rows.
const benchSeed = 3

// benchTechnologies includes names with spaces, dots, '+' and '#', as real banks have.
var benchTechnologies = []string{
	"Go", "Rust", "Python", "Java", "Kotlin", "Swift", "C++", "C#", "TypeScript",
	"Node.js", "Vue.js", "Next.js", "React Native", "Ruby on Rails", "ASP.NET Core",
	"Spring Boot", "PostgreSQL", "SQL Server", "Redis", "Kafka", "Kubernetes",
	"Docker", "AWS Lambda", "Terraform", "GraphQL", "Linux", "Git", "System Design",
}

// benchNouns is ordered from common to rare: words are drawn from it with a
// Zipf distribution, so early words hit a large share of the bank and late
// ones a small share, as in a real bank.
var benchNouns = strings.Fields(`
	memory request data value error function type thread connection query
	process cache server client index transaction state buffer interface object
	service file module package field method pointer response stream table
	event message handler lock pool queue key record schema session timeout
	latency throughput dependency container network socket channel goroutine closure callback
	promise iterator generator array slice map struct class instance variable
	constant parameter argument exception panic log metric trace span deployment
	cluster node replica partition shard leader follower consensus snapshot checkpoint
	migration column row constraint trigger view cursor join aggregate predicate
	scheduler worker job task pipeline build artifact image registry volume
	namespace pod controller operator ingress endpoint route middleware router template
	component hook prop render layout style selector element attribute document
	token credential certificate signature hash cipher secret policy role permission
	header payload body cookie redirect proxy gateway balancer circuit breaker
	retry backoff deadline context cancellation signal mutex semaphore barrier atomic
	allocation heap stack frame collector generation reference ownership lifetime borrow
	trait generic macro compiler linker binary runtime interpreter bytecode optimizer
	test fixture mock benchmark profile coverage assertion regression release version
	branch commit merge rebase conflict tag remote patch diff history
	bucket object-store topic subscriber publisher offset consumer producer broker retention
	resolver mutation subscription fragment directive enum union scalar input output
	kernel syscall descriptor filesystem inode permission-bit signal-handler daemon cgroup scheduler-class
	heuristic invariant contract precondition postcondition idempotency serialization encoding checksum compression
	`)

// benchRare words each appear in well under one percent of the bank.
var benchRare = strings.Fields(`
	linearizability quiescence tombstone hysteresis backpressure monomorphization
	reentrancy thundering-herd write-skew phantom-read vectorization memoization
	bloom-filter skiplist copy-on-write epoch fencing lamport hyperloglog
	trampolining coroutine continuation defunctionalization escape-analysis
	stop-the-world tail-latency head-of-line false-sharing cache-line
	priority-inversion livelock starvation split-brain quorum anti-entropy
	gossip merkle consistent-hashing rendezvous
	`)

var benchVerbs = strings.Fields(`
	allocates blocks serializes retries caches evicts locks releases schedules
	spawns closes opens reads writes flushes commits rolls-back replicates
	partitions compacts validates rejects accepts routes buffers streams
	batches throttles invalidates refreshes resolves compiles links loads
	unloads migrates indexes scans sorts hashes encrypts decrypts signs
	verifies logs traces measures recovers restarts drains cancels
	`)

var benchAdjectives = strings.Fields(`
	concurrent distributed immutable mutable stale consistent eventual strict
	lazy eager blocking non-blocking synchronous asynchronous idempotent
	transient persistent global local shared exclusive optimistic pessimistic
	bounded unbounded nested recursive generic dynamic static volatile
	durable isolated partial full incremental cold hot slow large small
	`)

var benchPromptFrames = []string{
	"In {T}, how does the {n} behave when the {n} {v} the {n} under {adj} load?",
	"What is the difference between the {n} and the {adj} {n} in {T}?",
	"Explain how {T} {v} the {n} and why the {n} matters for {n}.",
	"Why would you choose the {adj} {n} over the {adj} {n} in {T}, and what does it cost?",
	"Describe what happens to the {n} when a {n} {v} during the {adj} {n}.",
	"How would you debug the {adj} {n} in {T} that {v} the {n}?",
	"When should a {T} {n} use a {n} instead of a {n}?",
	"Walk through how {T} {v} a {n} from the {n} to the {n}.",
}

var benchPromptTails = []string{
	" Consider the {n} and the {n}.",
	" Mention the effect on {n}.",
	" What changes if the {n} is {adj}?",
	" Give an example with the {n}.",
	" How does {rare} relate to it?",
}

var benchAnswerFrames = []string{
	"The {n} {v} the {n} before the {n} {v} it, so the {n} stays {adj}.",
	"{T} keeps the {n} {adj}: each {n} {v} its own {n} and never the shared {n}.",
	"Under {adj} load the {n} {v} the {n}; the {adj} {n} avoids that by {n} and {n}.",
	"Use the {adj} {n} when the {n} is {adj}; otherwise the {n} {v} every {n}.",
	"A common mistake is to let the {n} {v} the {n} while the {n} is still {adj}.",
	"In practice you measure the {n} and the {n}, then tune the {n} until the {n} is {adj}.",
	"This is where {rare} matters: the {n} {v} the {n} only once the {n} is {adj}.",
	"The trade-off is {n} against {n}: the {adj} {n} costs {n} but saves {n}.",
}

// benchGen draws words for one generated bank.
type benchGen struct {
	r    *rand.Rand
	zipf *rand.Zipf
	tech string
}

func (g *benchGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// fill expands the placeholders of a frame.
func (g *benchGen) fill(frame string) string {
	var sb strings.Builder
	for {
		i := strings.IndexByte(frame, '{')
		if i < 0 {
			sb.WriteString(frame)
			return sb.String()
		}
		j := strings.IndexByte(frame[i:], '}') + i
		sb.WriteString(frame[:i])
		switch frame[i+1 : j] {
		case "T":
			sb.WriteString(g.tech)
		case "n":
			sb.WriteString(benchNouns[g.zipf.Uint64()])
		case "v":
			sb.WriteString(g.pick(benchVerbs))
		case "adj":
			sb.WriteString(g.pick(benchAdjectives))
		case "rare":
			sb.WriteString(g.pick(benchRare))
		}
		frame = frame[j+1:]
	}
}

// text appends sentences from frames until it is at least minLen long.
// frames[0] may be a fixed opener (the prompt's question); rest are appended.
func (g *benchGen) text(first string, rest []string, minLen int) string {
	s := g.fill(first)
	for len(s) < minLen {
		s += " " + strings.TrimPrefix(g.fill(g.pick(rest)), " ")
	}
	return s
}

// benchQuestions returns n distinct, valid questions generated from seed:
// about 28 technologies, every level, prompts of about 150 characters and
// answers of about 600, over a vocabulary of about 400 technical words.
func benchQuestions(n int, seed uint64) []bank.Question {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &benchGen{r: r, zipf: rand.NewZipf(r, 1.2, 30, uint64(len(benchNouns)-1))}
	seen := make(map[string]bool, n)
	limits := []int{0, 60, 120, 300, 600}
	out := make([]bank.Question, 0, n)
	for len(out) < n {
		g.tech = g.pick(benchTechnologies)
		// A "rare" tail only now and then keeps each rare word well under 1%.
		var prompt string
		if r.IntN(10) == 0 {
			prompt = g.fill(g.pick(benchPromptFrames)) + g.fill(benchPromptTails[4])
		} else {
			prompt = g.text(g.pick(benchPromptFrames), benchPromptTails[:4], 120+r.IntN(60))
		}
		key := g.tech + "\x00" + bank.PromptKey(prompt)
		if seen[key] {
			continue
		}
		seen[key] = true
		answerFrames := benchAnswerFrames[:6]
		if r.IntN(10) == 0 {
			answerFrames = benchAnswerFrames
		}
		answer := g.text(g.pick(answerFrames), answerFrames, 450+r.IntN(300))
		tags := make([]string, 1+r.IntN(3))
		for i := range tags {
			tags[i] = benchNouns[g.zipf.Uint64()]
		}
		q := bank.Question{
			Technology: g.tech,
			Level:      bank.Levels[r.IntN(len(bank.Levels))],
			Prompt:     prompt,
			Answer:     answer,
			Tags:       tags,
			TimeLimitS: limits[r.IntN(len(limits))],
			Source:     "benchmark",
		}
		out = append(out, q)
	}
	return out
}

// BenchmarkImport10k imports 10,000 new questions into an empty bank, one
// ImportQuestions call (one transaction) per iteration, on a fresh store each time.
func BenchmarkImport10k(b *testing.B) {
	qs := benchQuestions(benchBankSize, benchSeed)
	for _, q := range qs {
		if err := q.Validate(); err != nil {
			b.Fatalf("generated question is invalid: %v: %+v", err, q)
		}
	}
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			var total time.Duration
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				s := storetest.New(b, d)
				b.StartTimer()
				start := time.Now()
				res, err := s.ImportQuestions(ctx, qs)
				elapsed := time.Since(start)
				b.StopTimer()
				total += elapsed
				if err != nil {
					b.Fatal(err)
				}
				if res.Created != len(qs) {
					b.Fatalf("created %d questions, want %d", res.Created, len(qs))
				}
				_ = s.Close()
				b.StartTimer()
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/import")
		})
	}
}

// benchSearchCases are the searches a visitor of /questions makes, 20 per
// page like the pages; "list-no-query" is the in-run baseline.
var benchSearchCases = []struct {
	name string
	f    store.QuestionFilter
}{
	{"list-no-query", store.QuestionFilter{Limit: 20}},
	{"common-word", store.QuestionFilter{Query: "Memory", Limit: 20}},
	{"rare-word", store.QuestionFilter{Query: "linearizability", Limit: 20}},
	{"two-words", store.QuestionFilter{Query: "cache latency", Limit: 20}},
	{"two-letter-word", store.QuestionFilter{Query: "io", Limit: 20}},
	{"tech-level-word", store.QuestionFilter{Technology: "Node.js", Level: "intermediate", Query: "memory", Limit: 20}},
}

// BenchmarkSearch10k runs each search against a bank of 10,000 questions and
// reports the median and 99th percentile of the per-call durations.
func BenchmarkSearch10k(b *testing.B) {
	qs := benchQuestions(benchBankSize, benchSeed)
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			s := storetest.New(b, d)
			if _, err := s.ImportQuestions(ctx, qs); err != nil {
				b.Fatal(err)
			}
			for _, c := range benchSearchCases {
				b.Run(c.name, func(b *testing.B) {
					durs := make([]time.Duration, 0, b.N)
					matches := 0
					b.ResetTimer()
					for range b.N {
						start := time.Now()
						page, n, err := s.ListQuestions(ctx, c.f)
						durs = append(durs, time.Since(start))
						if err != nil {
							b.Fatal(err)
						}
						if n == 0 || len(page) == 0 {
							b.Fatalf("%+v matched nothing: the benchmark would measure an empty search", c.f)
						}
						matches = n
					}
					b.StopTimer()
					slices.Sort(durs)
					b.ReportMetric(benchMillis(benchPercentile(durs, 50)), "p50-ms")
					b.ReportMetric(benchMillis(benchPercentile(durs, 99)), "p99-ms")
					b.ReportMetric(float64(matches), "matches")
				})
			}
		})
	}
}

// benchPercentile is the nearest-rank p-th percentile of sorted durations.
func benchPercentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100 // ceil(n*p/100)
	if i < 1 {
		i = 1
	}
	return sorted[i-1]
}

func benchMillis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
