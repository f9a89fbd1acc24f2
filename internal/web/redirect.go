package web

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// defaultAfterLogin is where a login goes when it names no acceptable page:
// the staff home.
const defaultAfterLogin = "/dashboard"

// localPath accepts s as a redirect target only when it is a path on this
// site. A Location is written as given, and browsers are lenient readers:
// Chromium drops tabs and newlines (so "/\t/evil.example/" becomes
// "//evil.example/", another host), treats "\" as "/", and CR LF would end
// the header and start another (STACK.md §18). So s must be valid UTF-8
// without control characters or backslashes, start with exactly one "/",
// have no scheme or host, and stay so once percent-decoded (up to three
// times, for doubly encoded forms such as "%252f").
func localPath(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	v := s
	for range 3 {
		if !plainLocal(v) {
			return "", false
		}
		d, err := url.PathUnescape(v)
		if err != nil {
			return "", false
		}
		if d == v {
			return s, true
		}
		v = d
	}
	// Still changing after three decodings: nobody writes such a link.
	return "", false
}

// plainLocal is localPath's check of one decoding of s.
func plainLocal(s string) bool {
	if !utf8.ValidString(s) || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b == 0x7f || b == '\\' {
			return false
		}
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "" && u.Host == "" && u.Opaque == "" && u.User == nil
}

// afterLogin is the page a login sends the user to: next when it is local,
// the default page otherwise.
func afterLogin(next string) string {
	if p, ok := localPath(next); ok {
		return p
	}
	return defaultAfterLogin
}
