package web

import "testing"

func TestLocalPath(t *testing.T) {
	good := []string{
		"/",
		"/staff/questions",
		"/staff/import?x=1&y=two",
		"/questions?q=a%26b",
		"/questions?q=caf%C3%A9",
		"/interviews/12/console#notes",
		"/questions?q=%2f%2f", // "//" inside the query is not a host
		"/.//x",               // resolves to a path on this host
	}
	for _, s := range good {
		if got, ok := localPath(s); !ok || got != s {
			t.Errorf("localPath(%q) = %q, %v; want it kept", s, got, ok)
		}
	}
	bad := []string{
		"",
		"staff/questions",
		" /staff",
		"//evil.example/",
		"///evil.example/",
		"/\\evil.example/",
		"\\\\evil.example/",
		"/x\\y",
		"/\t/evil.example/",
		"/%09/evil.example/",
		"/%2509/evil.example/",
		"/\n/evil.example/",
		"/\r/evil.example/",
		"/x\r\nSet-Cookie: planted=1; Path=/",
		"/x%0d%0aSet-Cookie:%20planted=1;%20Path=/",
		"/x%0D%0ASet-Cookie:%20planted=1",
		"%0d%0a",
		"/%2f%2fevil.example",
		"/%2F%2Fevil.example",
		"/%252f%252fevil.example",
		"/%25252f%25252fevil.example",
		"/%5cevil.example",
		"/%5Cevil.example",
		"/x\x00y",
		"/x%00y",
		"/x\x7f",
		"/x\x0b/evil",
		"/\xff",
		"/%ff",
		"/100%",
		"https://evil.example/",
		"http:/evil.example/",
		"javascript:alert(1)",
		"JavaScript:alert(1)",
		"mailto:a@evil.example",
		"evil.example",
	}
	for _, s := range bad {
		if got, ok := localPath(s); ok || got != "" {
			t.Errorf("localPath(%q) = %q, %v; want it refused", s, got, ok)
		}
		if got := afterLogin(s); got != defaultAfterLogin {
			t.Errorf("afterLogin(%q) = %q; want %q", s, got, defaultAfterLogin)
		}
	}
}
