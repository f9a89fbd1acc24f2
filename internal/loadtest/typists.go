package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// TypistsConfig drives candidates of an existing interview, whose invite
// tokens the caller has: each connects, waits for a question on screen and
// types at DraftRate for Duration, then the last text each sent is written
// to Out. The browser benchmark of a 200-candidate console uses it.
type TypistsConfig struct {
	URLs      []string // candidates spread over these instances
	Interview int64
	Tokens    []string
	DraftRate float64
	Duration  time.Duration
	Out       string // a JSON file: {"last": {"<participant id>": "<text>"}}
}

// Typists runs the typists and reports drafts sent and refused.
func Typists(ctx context.Context, cfg TypistsConfig, out io.Writer) error {
	if len(cfg.URLs) == 0 || cfg.Interview == 0 || len(cfg.Tokens) == 0 || cfg.DraftRate <= 0 || cfg.DraftRate > 30 {
		return fmt.Errorf("loadtest typists: need --url, --interview, tokens and a --draft-rate of at most 30/s")
	}
	var mu sync.Mutex
	last := map[string]string{}
	sent, refused := 0, 0
	var wg sync.WaitGroup
	errs := make(chan error, len(cfg.Tokens))
	end := time.Now().Add(cfg.Duration)
	for i, tok := range cfg.Tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := stormDial(ctx, strings.TrimRight(cfg.URLs[i%len(cfg.URLs)], "/"), cfg.Interview, tok, 0)
			if err != nil {
				errs <- fmt.Errorf("typist %d: %w", i, err)
				return
			}
			defer c.close()
			id, err := c.waitQuestion(ctx)
			if err != nil {
				errs <- fmt.Errorf("typist %d: %w", i, err)
				return
			}
			tick := time.NewTicker(time.Duration(float64(time.Second) / cfg.DraftRate))
			defer tick.Stop()
			var text strings.Builder
			fmt.Fprintf(&text, "Typist %d:", i+1)
			for v := int64(1); time.Now().Before(end); v++ {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
				fmt.Fprintf(&text, " w%d", v)
				b, _ := json.Marshal(map[string]any{"type": "answer.draft", "data": map[string]any{"text": text.String(), "version": v}})
				if err := c.write(b); err != nil {
					errs <- fmt.Errorf("typist %d: %w", i, err)
					return
				}
				mu.Lock()
				sent++
				last[id] = text.String()
				mu.Unlock()
			}
			refusedHere := c.errors()
			mu.Lock()
			refused += refusedHere
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	// The sockets close with a handshake the server answers after the
	// drafts before it: a long wait here is a server behind on its input.
	closed := time.Since(end)
	fmt.Fprintf(out, "typists: %d candidates sent %d drafts (%.0f/s), %d refused; all closed %s after the typing stopped\n",
		len(cfg.Tokens), sent, float64(sent)/cfg.Duration.Seconds(), refused, closed.Round(time.Millisecond))
	if cfg.Out == "" {
		return nil
	}
	b, err := json.Marshal(map[string]any{"last": last, "sent": sent, "refused": refused})
	if err != nil {
		return err
	}
	return os.WriteFile(cfg.Out, b, 0o644)
}
