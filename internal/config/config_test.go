package config

import (
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*Config)
		ok   bool
	}{
		{"defaults", func(*Config) {}, true},
		{"postgres", func(c *Config) { c.DatabaseURL = "postgres://u@h/db" }, true},
		{"mysql", func(c *Config) { c.DatabaseURL = "mysql://u@h/db" }, false},
		{"bad addr", func(c *Config) { c.Addr = "8080" }, false},
		{"no data dir", func(c *Config) { c.DataDir = "" }, false},
		{"bad base url", func(c *Config) { c.BaseURL = "example.com" }, false},
		{"https base url", func(c *Config) { c.BaseURL = "https://ace.example.com/" }, true},
		{"bad log level", func(c *Config) { c.LogLevel = "loud" }, false},
		{"metrics addr", func(c *Config) { c.MetricsAddr = "127.0.0.1:9090" }, true},
		{"bad metrics addr", func(c *Config) { c.MetricsAddr = "9090" }, false},
		{"metrics addr is addr", func(c *Config) { c.MetricsAddr = c.Addr }, false},
		{"practice retention", func(c *Config) { c.PracticeRetention = 2 * time.Hour }, true},
		{"practice retention too short", func(c *Config) { c.PracticeRetention = time.Minute }, false},
		{"no practice limit", func(c *Config) { c.PracticeLimit = 0 }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.mod(&c)
			if err := c.Validate(); (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
		})
	}
	c := Default()
	c.BaseURL = "https://ace.example.com/"
	_ = c.Validate()
	if c.BaseURL != "https://ace.example.com" || !c.Secure() {
		t.Fatalf("base URL %q secure=%v", c.BaseURL, c.Secure())
	}
}
