package web

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the HTTP metrics, labelled by route pattern, never the raw
// path, so label cardinality stays bounded. Built in main and shared by the
// app (which counts) and the metrics listener (which serves them).
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the HTTP and Go runtime collectors in a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ace_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ace_http_request_duration_seconds", Help: "HTTP request duration by method and route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
	}
	m.reg.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry lets other packages register their metrics.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

func (m *Metrics) middleware(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		if fe, ok := err.(*fiber.Error); ok {
			status = fe.Code
		} else if ce, ok := err.(*codedError); ok {
			status = ce.status
		} else {
			status = fiber.StatusInternalServerError
		}
	}
	// Labels are kept by Prometheus, and Fiber reuses the request's bytes
	// after the handler returns (STACK.md §7): copy them.
	route := strings.Clone(c.Route().Path)
	if status == fiber.StatusNotFound {
		route = "unmatched"
	}
	method := strings.Clone(c.Method())
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
	return err
}

// Handler serves the Prometheus text. With a token it answers 401 unless
// the request says "Authorization: Bearer <token>": metrics name routes and
// show load, which is nobody else's business.
func (m *Metrics) Handler(token string) http.Handler {
	return RequireToken(token, promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}

// RequireToken guards h with a bearer token, compared in constant time; an
// empty token guards nothing (the listener's address is what keeps it private).
func RequireToken(token string, h http.Handler) http.Handler {
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "send Authorization: Bearer <metrics token>", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// fiberHandler mounts Handler on the main app.
func (m *Metrics) fiberHandler(token string) fiber.Handler {
	return adaptor.HTTPHandler(m.Handler(token))
}
