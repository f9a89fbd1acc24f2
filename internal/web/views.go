package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/frontend"
	"github.com/ace-interviews/ace/internal/store"
)

// views holds the parsed pages and the static files with their content hashes.
type views struct {
	pages  map[string]*template.Template
	static map[string][]byte
	hashes map[string]string
}

var pageNames = []string{"home", "questions", "login", "setup", "error", "staff_questions", "question_form", "import", "users",
	"interviews", "interview_new", "interview_manage", "interview_console", "interview_room", "room_closed", "interview_report", "reports",
	"reviews", "compare", "dashboard", "practice_new", "practice_results", "practice_shared"}

func newViews() (*views, error) {
	v := &views{pages: map[string]*template.Template{}, static: map[string][]byte{}, hashes: map[string]string{}}
	err := fs.WalkDir(frontend.Static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(frontend.Static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		v.static[p] = b
		v.hashes[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	funcs := template.FuncMap{
		"asset": func(p string) (string, error) {
			h, ok := v.hashes[p]
			if !ok {
				return "", fmt.Errorf("no static file %q", p)
			}
			return "/static/" + p + "?v=" + h, nil
		},
		"title": func(s string) string {
			if s == "" {
				return s
			}
			return strings.ToUpper(s[:1]) + s[1:]
		},
		"minutes": func(sec int) string {
			if sec%60 == 0 {
				return fmt.Sprintf("%d min", sec/60)
			}
			return fmt.Sprintf("%d min %d s", sec/60, sec%60)
		},
		"join":  func(s []string, sep string) string { return strings.Join(s, sep) },
		"upper": strings.ToUpper,
		// paragraphs renders plain text as escaped paragraphs: html/template
		// escapes each one, so user text never becomes markup.
		"paragraphs": func(s string) []string { return splitParagraphs(s) },
	}
	for k, f := range reviewFuncs() {
		funcs[k] = f
	}
	for k, f := range practiceFuncs() {
		funcs[k] = f
	}
	for k, f := range listFuncs() {
		funcs[k] = f
	}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(frontend.Templates, "templates/layout.html", "templates/filters.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		v.pages[name] = t
	}
	return v, nil
}

func splitParagraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// page is what every template receives.
type page struct {
	Title string
	// Exam pages (the candidate view) show no site navigation: a candidate
	// in an exam has no business browsing the public bank's model answers.
	Exam    bool
	User    *store.User
	CanEdit bool
	CSRF    string
	Flash   string
	Error   string
	Data    any
}

// render writes a page with status.
func (h *handler) render(c *fiber.Ctx, status int, name string, p page) error {
	t, ok := h.views.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	p.User = currentUser(c)
	p.CanEdit = p.User != nil && (p.User.Role == store.RoleAdmin || p.User.Role == store.RoleInterviewer)
	if tok, ok := c.Locals(localCSRF).(string); ok {
		p.CSRF = tok
	}
	if p.Flash == "" {
		p.Flash = flashes[c.Query("flash")]
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.Status(status).Send(buf.Bytes())
}

// flashes are the confirmations a redirect can ask for by code, so no
// user-written text travels in a URL.
var flashes = map[string]string{
	"saved":    "Question saved.",
	"deleted":  "Question deleted.",
	"user":     "User added.",
	"role":     "Role changed. Their open connections were closed so the new role applies there too.",
	"disabled": "Account disabled: its sessions, API tokens and open connections stopped working.",
	"enabled":  "Account enabled.",
	"token":    "API token revoked.",
	"welcome":  "Welcome to Ace. Your admin account is ready.",
	"out":      "You are logged out.",
}

// static serves embedded files; the hash in ?v= changes with the content,
// so they may be cached for a year.
func (h *handler) static(c *fiber.Ctx) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Params("*")), "/")
	b, ok := h.views.static[p]
	if !ok {
		return fiber.NewError(fiber.StatusNotFound, "no such file")
	}
	if c.Query("v") == h.views.hashes[p] {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		// Modules imported by other modules have no hash in their URL:
		// revalidate them cheaply with the content hash as ETag.
		c.Set(fiber.HeaderCacheControl, "no-cache")
		etag := `"` + h.views.hashes[p] + `"`
		c.Set(fiber.HeaderETag, etag)
		if c.Get(fiber.HeaderIfNoneMatch) == etag {
			return c.SendStatus(fiber.StatusNotModified)
		}
	}
	c.Set(fiber.HeaderContentType, mime.TypeByExtension(path.Ext(p)))
	return c.Send(b)
}
