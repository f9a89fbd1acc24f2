// Package web serves Ace over HTTP with Fiber: pages, the REST API under
// /api/v1, health and metrics.
package web

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/ace-interviews/ace/internal/bus"
	"github.com/ace-interviews/ace/internal/config"
	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
)

// Deps are what the handlers need, built in main.
type Deps struct {
	Config config.Config
	Store  *store.Store
	Bus    *bus.Bus
	Hub    *room.Hub
	Log    *slog.Logger
	// Metrics is served by the metrics listener (internal/server); nil
	// makes a registry of the app's own.
	Metrics *Metrics
}

// handler carries the dependencies of every route; no globals.
type handler struct {
	Deps
	sessions *session.Store
	proxies  proxies // reverse proxies whose X-Forwarded-For is believed
	views    *views
	metrics  *Metrics
	ctx      context.Context // lives as long as the app; rooms run under it
}

const (
	sessionCookie = "ace_session"
	csrfCookie    = "ace_csrf"
	sessionUserID = "uid"
	sessionStart  = "start" // Unix ms of the login, to end sessions older than a disable
	localUser     = "user"
	localCSRF     = "csrf"
	localBearer   = "bearer"
)

// New builds the Fiber app with every route.
func New(d Deps) (*fiber.App, error) {
	v, err := newViews()
	if err != nil {
		return nil, err
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics()
	}
	h := &handler{Deps: d, views: v, metrics: d.Metrics, ctx: context.Background(), proxies: parseProxies(d.Config.TrustedProxies)}
	if d.Hub != nil {
		h.metrics.reg.MustRegister(d.Hub.Collectors()...)
	}
	secure := d.Config.Secure()
	h.sessions = session.New(session.Config{
		Storage:        d.Store.Sessions(),
		Expiration:     12 * time.Hour,
		KeyLookup:      "cookie:" + cookieName(sessionCookie, secure),
		CookieHTTPOnly: true,
		CookieSecure:   secure,
		CookieSameSite: "Lax",
		KeyGenerator:   utils.UUIDv4,
	})

	app := fiber.New(fiber.Config{
		AppName:               "ace",
		DisableStartupMessage: true,
		ErrorHandler:          h.handleError,
		BodyLimit:             9 << 20, // an import file may be 8 MiB
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           2 * time.Minute,
		// Proxy headers are believed only from configured proxies (STACK.md §12).
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.Config.TrustedProxies,
		ProxyHeader:             proxyHeader(d.Config),
		// Between requests, and once a WebSocket upgrade is read, fasthttp
		// gives its 4 KiB read buffer back to the pool instead of keeping
		// it per connection (a socket then reads the network directly).
		ReduceMemoryUsage: true,
	})
	// The room engine keeps an upgraded socket after the WebSocket handler
	// returns and closes it itself (room.Hub.Serve): fasthttp then frees
	// the upgrade request at once instead of holding it per socket.
	app.Server().KeepHijackedConns = true
	app.Use(recover.New())
	app.Use(h.metrics.middleware)
	app.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
		HSTSMaxAge:            hstsAge(secure),
		ReferrerPolicy:        "same-origin",
		// helmet's default COEP require-corp would be harmless, but nothing needs it.
		CrossOriginEmbedderPolicy: "unsafe-none",
	}))
	// Before anything reads the request, so that no handler sees what the
	// database cannot store; after helmet, so the 400 page has its headers.
	app.Use(checkInput)

	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)
	// /metrics stays off the public listener: it is served on its own
	// (--metrics-addr), or here only to holders of --metrics-token.
	if d.Config.MetricsAddr == "" && d.Config.MetricsToken != "" {
		app.Get("/metrics", h.metrics.fiberHandler(d.Config.MetricsToken))
	}
	app.Get("/static/*", h.static)

	app.Use(h.authenticate)
	app.Use(csrf.New(csrf.Config{
		Next:           h.skipCSRF,
		Session:        h.sessions,
		CookieName:     cookieName(csrfCookie, secure),
		CookieSecure:   secure,
		CookieSameSite: "Lax",
		CookieHTTPOnly: true,
		Expiration:     12 * time.Hour,
		ContextKey:     localCSRF,
		KeyGenerator:   utils.UUIDv4,
		Extractor:      csrfFromHeaderOrForm,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return fiber.NewError(fiber.StatusForbidden, "missing or invalid CSRF token: reload the page and try again")
		},
	}))

	api := app.Group("/api/v1")
	api.Get("/questions", h.apiListQuestions)
	api.Get("/technologies", h.apiTechnologies)
	api.Post("/questions", h.requireRole(store.RoleAdmin, store.RoleInterviewer), h.apiCreateQuestion)
	api.Post("/questions/import", h.requireRole(store.RoleAdmin, store.RoleInterviewer), h.apiImportQuestions)
	api.Get("/questions/export", h.requireRole(store.RoleAdmin, store.RoleInterviewer), h.apiExportQuestions)
	api.Put("/questions/:id", h.requireRole(store.RoleAdmin, store.RoleInterviewer), h.apiUpdateQuestion)
	api.Delete("/questions/:id", h.requireRole(store.RoleAdmin, store.RoleInterviewer), h.apiDeleteQuestion)
	staffAPI := h.requireRole(store.RoleAdmin, store.RoleInterviewer, store.RoleReviewer)
	runAPI := h.requireRole(store.RoleAdmin, store.RoleInterviewer)
	api.Post("/interviews", runAPI, h.apiCreateInterview)
	api.Get("/interviews", staffAPI, h.apiListInterviews)
	api.Get("/interviews/:id", staffAPI, h.apiGetInterview)
	api.Post("/interviews/:id/candidates", runAPI, h.apiAddCandidates)
	api.Delete("/interviews/:id/candidates/:cid/invite", runAPI, h.apiRevokeInvite)
	api.Post("/interviews/:id/candidates/:cid/invite", runAPI, h.apiRotateInvite)
	api.Delete("/interviews/:id/interviewers/:pid", runAPI, h.apiRemoveInterviewer)
	api.Get("/interviews/:id/events", staffAPI, h.apiEvents)
	api.Get("/interviews/:id/scorecards", staffAPI, h.apiScorecards)
	api.Get("/interviews/:id/export.csv", staffAPI, h.apiExportCSV)
	api.Get("/interviews/:id/export.json", staffAPI, h.apiExportJSON)
	api.Get("/reviews/export.csv", staffAPI, h.apiReviewsExport)
	api.Get("/interviews/:id/candidates/:cid/scorecard", staffAPI, h.apiGetScorecard)
	api.Put("/interviews/:id/candidates/:cid/scorecard", runAPI, h.apiPutScorecard)
	api.Post("/interviews/:id/candidates/:cid/scorecard/submit", runAPI, h.apiSubmitScorecard)
	api.Post("/interviews/:id/candidates/:cid/scorecard/amend", runAPI, h.apiAmendScorecard)
	// A replay is large and repetitive JSON: gzip makes it about 7× smaller.
	api.Get("/interviews/:id/candidates/:cid/replay", staffAPI, compress.New(compress.Config{Level: compress.LevelBestSpeed}), h.apiReplay)
	app.Use("/api", func(c *fiber.Ctx) error {
		return fiber.NewError(fiber.StatusNotFound, "no such API endpoint: "+c.Method()+" "+c.Path())
	})

	app.Get("/ws/interviews/:id", h.wsAuthorize, h.wsServe())

	app.Get("/join/:token", h.join)

	app.Get("/", h.home)
	app.Get("/questions", h.questionsPage)

	// Practice mode: anonymous, by the practice cookie (practice_access.go).
	app.Get("/practice", func(c *fiber.Ctx) error { return c.Redirect("/practice/new", fiber.StatusSeeOther) })
	app.Get("/practice/new", h.practiceNewPage)
	app.Post("/practice", h.practiceCreate)
	app.Get("/practice/shared/:token", h.practiceSharedPage)
	app.Get("/practice/:id", h.practiceRoomPage)
	app.Post("/practice/:id/finish", h.practiceFinish)
	app.Get("/practice/:id/results", h.practiceResultsPage)
	app.Post("/practice/:id/rate", h.practiceRate)
	app.Post("/practice/:id/share", h.practiceShare)
	app.Post("/practice/:id/retry", h.practiceRetry)

	// Both POSTs count their attempts in the database (login_throttle.go).
	app.Get("/login", h.loginPage)
	app.Post("/login", h.login)
	app.Post("/logout", h.logout)
	app.Get("/setup/:token", h.setupPage)
	app.Post("/setup/:token", h.setup)

	staff := app.Group("/staff", h.requirePageRole(store.RoleAdmin, store.RoleInterviewer))
	staff.Get("/questions", h.staffQuestions)
	staff.Get("/questions/new", h.questionNewPage)
	staff.Post("/questions/new", h.questionCreate)
	staff.Get("/questions/:id/edit", h.questionEditPage)
	staff.Post("/questions/:id/edit", h.questionUpdate)
	staff.Post("/questions/:id/delete", h.questionDelete)
	staff.Get("/import", h.importPage)
	staff.Post("/import", h.importUpload)

	runPage := h.requirePageRole(store.RoleAdmin, store.RoleInterviewer)
	app.Get("/interviews", runPage, h.interviewsPage)
	app.Get("/interviews/new", runPage, h.interviewNewPage)
	app.Get("/interviews/:id", runPage, h.interviewManagePage)
	app.Get("/interviews/:id/console", runPage, h.interviewConsolePage)
	app.Get("/interviews/:id/room", h.candidateRoomPage)
	reviewPage := h.requirePageRole(store.RoleAdmin, store.RoleInterviewer, store.RoleReviewer)
	app.Get("/interviews/:id/report", reviewPage, h.interviewReportPage)
	app.Get("/reports", reviewPage, h.reportsPage)
	app.Get("/interviews/:id/compare", reviewPage, h.interviewComparePage)
	app.Get("/compare", reviewPage, h.comparePage)
	app.Get("/reviews", reviewPage, h.reviewsPage)
	app.Get("/dashboard", reviewPage, h.dashboardPage)

	admin := app.Group("/admin", h.requirePageRole(store.RoleAdmin))
	admin.Get("/users", h.usersPage)
	admin.Post("/users", h.userCreate)
	admin.Post("/users/:id/role", h.userSetRole)
	admin.Post("/users/:id/disable", h.userDisable)
	admin.Post("/users/:id/enable", h.userEnable)
	admin.Post("/tokens/:id/revoke", h.tokenRevoke)

	app.Use(func(c *fiber.Ctx) error { return fiber.NewError(fiber.StatusNotFound, "page not found") })
	return app, nil
}

// cookieName uses the __Host- prefix over HTTPS, which pins the cookie to
// this host and path / (STACK.md §11).
func cookieName(name string, secure bool) string {
	if secure {
		return "__Host-" + name
	}
	return name
}

func hstsAge(secure bool) int {
	if secure {
		return 31536000
	}
	return 0
}

func proxyHeader(c config.Config) string {
	if len(c.TrustedProxies) > 0 {
		return fiber.HeaderXForwardedFor
	}
	return ""
}

// skipCSRF leaves out requests that carry no ambient credential, where there
// is nothing to forge: bearer requests, API requests without a session cookie
// (they are anonymous and get 401 where it matters), and safe requests to
// public pages from visitors without a session, which would otherwise each
// create a session row.
func (h *handler) skipCSRF(c *fiber.Ctx) bool {
	if c.Locals(localBearer) != nil {
		return true
	}
	if c.Cookies(cookieName(sessionCookie, h.Config.Secure())) != "" {
		return false
	}
	p := c.Path()
	safe := c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead
	if strings.HasPrefix(p, "/api/") || (safe && strings.HasPrefix(p, "/ws/")) {
		return true
	}
	// The candidate's room page makes no state-changing request with the
	// cookie either (the room runs over the WebSocket).
	// A share link's readers change nothing either.
	return safe && (p == "/" || p == "/questions" || strings.HasPrefix(p, "/join/") || strings.HasPrefix(p, "/practice/shared/") ||
		(strings.HasPrefix(p, "/interviews/") && strings.HasSuffix(p, "/room")))
}

// csrfFromHeaderOrForm takes the token from X-CSRF-Token (scripts) or the
// _csrf form field (plain forms, including multipart uploads).
func csrfFromHeaderOrForm(c *fiber.Ctx) (string, error) {
	if t := c.Get("X-CSRF-Token"); t != "" {
		return t, nil
	}
	if t := c.FormValue("_csrf"); t != "" {
		return t, nil
	}
	return "", csrf.ErrTokenNotFound
}

// PurgeSessions deletes expired sessions and login counters every interval
// until ctx ends.
func PurgeSessions(ctx context.Context, s *store.Store, log *slog.Logger, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.PurgeExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				log.Warn("purge sessions", slog.Any("error", err))
			}
			if err := s.PurgeLoginThrottle(ctx, time.Now().Add(-longestLoginWindow())); err != nil && ctx.Err() == nil {
				log.Warn("purge login counters", slog.Any("error", err))
			}
		}
	}
}
