package loadtest

import (
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	ok := Config{URLs: []string{"http://127.0.0.1:8080"}, Token: "t", Rooms: 1, Candidates: 1, TimerS: 2, Pushes: 1, Pacing: "pushed", LoadedFloorRate: 20}
	if err := ok.Validate(); err != nil {
		t.Fatalf("a good config: %v", err)
	}
	for _, c := range []struct {
		name string
		edit func(*Config)
		want string // "" for valid
	}{
		{"no loaded floor", func(c *Config) { c.LoadedFloorRate = 0 }, ""},
		{"negative loaded floor rate", func(c *Config) { c.LoadedFloorRate = -1 }, "--loaded-floor-rate"},
		{"loaded floor rate too high", func(c *Config) { c.LoadedFloorRate = 1001 }, "--loaded-floor-rate"},
		{"no url", func(c *Config) { c.URLs = nil }, "--url"},
		{"no token", func(c *Config) { c.Token = "" }, "--token"},
		{"too many candidates", func(c *Config) { c.Candidates = 201 }, "at most 200"},
		{"rates over the server's limit", func(c *Config) { c.DraftRate, c.ChatRate = 20, 11 }, "30 messages/s"},
		{"bad pacing", func(c *Config) { c.Pacing = "fast" }, "--pacing"},
		{"bad url", func(c *Config) { c.URLs = []string{"ws://x"} }, "want http://host:port"},
	} {
		cfg := ok
		c.edit(&cfg)
		err := cfg.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want an error naming %q", c.name, err, c.want)
		}
	}
}
