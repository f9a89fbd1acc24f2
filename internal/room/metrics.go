package room

import "github.com/prometheus/client_golang/prometheus"

// Collectors are the hub's Prometheus metrics, read when scraped.
func (h *Hub) Collectors() []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ace_ws_connections", Help: "WebSocket connections served by this instance."},
			func() float64 { return float64(h.Connections()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ace_rooms", Help: "Rooms this instance is subscribed to."},
			func() float64 { return float64(h.Rooms()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "ace_timer_expiry_attempts_total",
			Help: "Transactions this instance ran to expire a timer; each timer expires once, in one of them."},
			func() float64 { return float64(h.ExpiryAttempts()) }),
	}
}

// ExpiryAttempts is how many transactions this instance has run to expire
// a timer, won or lost.
func (h *Hub) ExpiryAttempts() int64 { return h.expiryAttempts.Load() }
