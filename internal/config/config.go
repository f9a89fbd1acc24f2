// Package config is Ace's configuration: flags with ACE_* environment
// equivalents (wired in cmd/ace), checked in one place.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"
)

// Config is everything an instance needs to run.
type Config struct {
	Addr        string // listen address, host:port; port 0 picks a free one
	DataDir     string // SQLite file and other local state
	DatabaseURL string // postgres://... selects PostgreSQL; empty means SQLite in DataDir
	NATSURL     string // external NATS; empty means an embedded in-process server
	BaseURL     string // public URL used in printed and e-mailed links; derived from Addr when empty
	LogLevel    string // debug, info, warn, error
	// TrustedProxies are the addresses whose X-Forwarded-* headers are believed (STACK.md §12).
	TrustedProxies []string
	// MetricsAddr is a separate listener for /metrics; empty keeps metrics
	// off the network unless MetricsToken is set.
	MetricsAddr string
	// MetricsToken, when set, is required as a bearer token for /metrics;
	// without MetricsAddr it serves /metrics on the main listener.
	MetricsToken string
	// PracticeRetention is how long a practice attempt its taker has left
	// alone is kept before the purge deletes it.
	PracticeRetention time.Duration
	// PracticeLimit is how many practice attempts one client address may
	// start per hour.
	PracticeLimit int
}

// Default returns the embedded defaults.
func Default() Config {
	return Config{Addr: "127.0.0.1:8080", DataDir: "./data", LogLevel: "info", PracticeRetention: 30 * 24 * time.Hour, PracticeLimit: 30}
}

// Validate reports the first setting that cannot work.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("config: --addr %q: want host:port: %w", c.Addr, err)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("config: --metrics-addr %q: want host:port: %w", c.MetricsAddr, err)
		}
		if c.MetricsAddr == c.Addr {
			return fmt.Errorf("config: --metrics-addr must differ from --addr")
		}
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		return fmt.Errorf("config: --data-dir is empty and no --database-url is set")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return fmt.Errorf("config: --database-url must start with postgres:// (empty means SQLite in --data-dir)")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: --base-url %q: want http(s)://host[:port]", c.BaseURL)
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	if c.PracticeRetention < time.Hour {
		return fmt.Errorf("config: --practice-retention %s: keep practice attempts for at least 1h", c.PracticeRetention)
	}
	if c.PracticeLimit < 1 {
		return fmt.Errorf("config: --practice-limit %d: allow at least 1 practice attempt per hour", c.PracticeLimit)
	}
	if _, err := c.SlogLevel(); err != nil {
		return err
	}
	return nil
}

// SlogLevel parses LogLevel.
func (c *Config) SlogLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("config: --log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

// Secure reports whether the public URL is HTTPS, which decides cookie flags.
func (c *Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }
