package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
	"github.com/ace-interviews/ace/internal/store/storetest"
)

func TestExportAPI(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t, d)
			seedVisibility(e)
			admin := e.user("ada@example.test", store.RoleAdmin)
			interviewer := e.user("ivy@example.test", store.RoleInterviewer)
			reviewer := e.user("rex@example.test", store.RoleReviewer)
			get := func(tok, query string) resp {
				h := []string{}
				if tok != "" {
					h = []string{"Authorization", "Bearer " + tok}
				}
				return e.client().get("/api/v1/questions/export"+query, h...)
			}
			if r := get("", ""); r.status != 401 {
				t.Fatalf("anonymous export: %d", r.status)
			}
			if r := get(reviewer, ""); r.status != 403 {
				t.Fatalf("reviewer export: %d", r.status)
			}
			r := get(interviewer, "")
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") ||
				r.header.Get("Content-Disposition") != `attachment; filename="ace-questions.json"` ||
				strings.Count(r.body, `"technology"`) != 5 || !strings.Contains(r.body, `"visibility": "private"`) || !strings.Contains(r.body, `"answer": "The `+secret+` answer."`) {
				t.Fatalf("json export: %d %v\n%s", r.status, r.header, r.body)
			}
			if r := get(admin, "?format=yaml&technology=Go&level=beginner"); r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/yaml") ||
				strings.Count(r.body, "- technology: Go") != 2 || strings.Contains(r.body, "advanced") {
				t.Fatalf("yaml export of Go beginner: %d\n%s", r.status, r.body)
			}
			if r := get(admin, "?format=text"); r.status != 422 || r.errorCode(t) != "not_exportable" || !strings.Contains(r.body, "private") {
				t.Fatalf("text export of a mixed bank: %d %s", r.status, r.body)
			}
			if r := get(admin, "?format=text&visibility=public"); r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") ||
				!strings.HasPrefix(r.body, "GoBeginner\n\nWhat is a goroutine?\n\nAnswer\n\n") || strings.Contains(r.body, secret) {
				t.Fatalf("text export of the public questions: %d\n%s", r.status, r.body)
			}
			for _, bad := range []string{"?format=gift", "?format=csv", "?level=expert", "?visibility=all"} {
				if r := get(admin, bad); r.status != 400 {
					t.Errorf("%s: %d", bad, r.status)
				}
			}
		})
	}
}

// TestExportImportRoundTripThroughAPI: an export imported into an empty
// bank and exported again gives the same bytes, in every format.
func TestExportImportRoundTripThroughAPI(t *testing.T) {
	src := newEnv(t, store.SQLite)
	seedVisibility(src)
	src.seed(bank.Question{Technology: "C#", Level: bank.Intermediate, Prompt: "What does\n\n    await x;\n\ndo?", Answer: "Yields until x completes & resumes.", Tags: []string{"async"}, Source: ""})
	srcTok := src.user("ada@example.test", store.RoleAdmin)
	for _, tc := range []struct{ format, query, ct string }{
		{"json", "", "application/json"},
		{"yaml", "", "application/yaml"},
		{"text", "&visibility=public", "text/plain"},
		{"text", "&visibility=private", "text/plain"},
	} {
		t.Run(tc.format+tc.query, func(t *testing.T) {
			first := src.client().get("/api/v1/questions/export?format="+tc.format+tc.query, "Authorization", "Bearer "+srcTok)
			if first.status != 200 {
				t.Fatalf("export: %d %s", first.status, first.body)
			}
			dst := newEnv(t, store.Postgres)
			tok := dst.user("ada@example.test", store.RoleAdmin)
			imp := ""
			if strings.Contains(tc.query, "private") {
				imp = "?visibility=private"
			}
			r := dst.client().do("POST", "/api/v1/questions/import"+imp, strings.NewReader(first.body), "Authorization", "Bearer "+tok, "Content-Type", tc.ct)
			if r.status != http.StatusOK {
				t.Fatalf("import: %d %s", r.status, r.body)
			}
			second := dst.client().get("/api/v1/questions/export?format="+tc.format+tc.query, "Authorization", "Bearer "+tok)
			if second.body != first.body {
				t.Fatalf("export → import → export differs:\n%s\n---\n%s", first.body, second.body)
			}
		})
	}
}
