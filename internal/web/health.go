package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz answers while the process serves requests.
func (h *handler) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 only when the database and NATS both answer.
func (h *handler) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	checks := fiber.Map{"database": "ok", "nats": "ok"}
	status := fiber.StatusOK
	if err := h.Store.Ping(ctx); err != nil {
		checks["database"] = err.Error()
		status = fiber.StatusServiceUnavailable
	}
	if err := h.Bus.Ping(); err != nil {
		checks["nats"] = err.Error()
		status = fiber.StatusServiceUnavailable
	}
	return c.Status(status).JSON(checks)
}
