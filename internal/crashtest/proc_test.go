package crashtest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// aceBinary returns the ace binary the tests run: $ACE_BIN when the test
// command has built it already (a cold build takes over a minute on two
// cores, STACK.md §17), otherwise one built here, once per test binary.
func aceBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if bin := os.Getenv("ACE_BIN"); bin != "" {
			binPath, buildErr = filepath.Abs(bin)
			return
		}
		if buildDir, buildErr = os.MkdirTemp("", "ace-crashtest-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "ace")
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		start := time.Now()
		out, err := exec.Command(goTool, "build", "-o", binPath, "github.com/ace-interviews/ace/cmd/ace").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build ./cmd/ace: %w\n%s", err, out)
			return
		}
		fmt.Fprintf(os.Stderr, "crashtest: built %s in %s\n", binPath, time.Since(start).Round(time.Millisecond))
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// cleanEnv is the test's environment without ACE_* settings, so that what
// a developer has exported never changes what the processes run on.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ACE_") {
			env = append(env, kv)
		}
	}
	return env
}

// ace runs one subcommand of the binary to completion.
func ace(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(aceBinary(t), args...)
	cmd.Env = cleanEnv()
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ace %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// proc is one running `ace serve`.
type proc struct {
	t      *testing.T
	name   string
	cmd    *exec.Cmd
	URL    string
	mu     sync.Mutex
	output []string
	exited chan struct{}
	killed bool
}

// serve starts `ace serve` on a random port against the database and NATS
// given, and waits for it to print its URL.
func serve(t *testing.T, name, databaseURL, natsURL string) *proc {
	t.Helper()
	cmd := exec.Command(aceBinary(t), "serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(),
		"--database-url", databaseURL, "--nats-url", natsURL, "--log-level", "warn")
	cmd.Env = cleanEnv()
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, name: name, cmd: cmd, exited: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.output = append(p.output, line)
			p.mu.Unlock()
			if u, ok := strings.CutPrefix(line, "Ace is running at "); ok {
				select {
				case urls <- strings.TrimSuffix(u, "/"):
				default:
				}
			}
		}
	}()
	go func() {
		_ = cmd.Wait()
		pw.Close()
		close(p.exited)
	}()
	t.Cleanup(p.stop)
	select {
	case p.URL = <-urls:
	case <-p.exited:
		t.Fatalf("%s exited before serving:\n%s", name, p.tail())
	case <-time.After(60 * time.Second):
		t.Fatalf("%s printed no URL within 60s:\n%s", name, p.tail())
	}
	return p
}

// kill is the crash: SIGKILL, no handler runs, nothing is flushed.
func (p *proc) kill() {
	p.t.Helper()
	p.killed = true
	if err := p.cmd.Process.Kill(); err != nil {
		p.t.Fatalf("kill %s: %v", p.name, err)
	}
	<-p.exited
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		p.t.Fatalf("%s ended with %v, not by SIGKILL", p.name, p.cmd.ProcessState)
	}
}

// stop ends a survivor gracefully and shows the output of any process of
// a failed test.
func (p *proc) stop() {
	select {
	case <-p.exited:
	default:
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(20 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
			p.t.Errorf("%s did not stop within 20s of SIGTERM", p.name)
		}
		if !p.killed && !p.cmd.ProcessState.Success() {
			p.t.Errorf("%s exited with %v after SIGTERM", p.name, p.cmd.ProcessState)
		}
	}
	if p.t.Failed() {
		p.t.Logf("output of %s:\n%s", p.name, p.tail())
	}
}

func (p *proc) tail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := p.output[max(0, len(p.output)-60):]
	return strings.Join(lines, "\n")
}
