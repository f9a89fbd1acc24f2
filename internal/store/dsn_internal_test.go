package store

import "testing"

func TestWithBinaryParameters(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"postgres://u@h:5432/db?sslmode=disable", "postgres://u@h:5432/db?binary_parameters=yes&sslmode=disable"},
		{"postgres://u@h/db", "postgres://u@h/db?binary_parameters=yes"},
		{"postgres://u@h/db?binary_parameters=no", "postgres://u@h/db?binary_parameters=no"},
	} {
		if got := withBinaryParameters(c.in); got != c.want {
			t.Errorf("withBinaryParameters(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
