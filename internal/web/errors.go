package web

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/store"
)

// apiError is the body of every error under /api/ (contract).
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// errorCodes names each status for clients that branch on the code.
var errorCodes = map[int]string{
	fiber.StatusBadRequest:            "bad_request",
	fiber.StatusUnauthorized:          "unauthorized",
	fiber.StatusForbidden:             "forbidden",
	fiber.StatusNotFound:              "not_found",
	fiber.StatusMethodNotAllowed:      "method_not_allowed",
	fiber.StatusConflict:              "conflict",
	fiber.StatusRequestEntityTooLarge: "too_large",
	fiber.StatusUnsupportedMediaType:  "unsupported_media_type",
	fiber.StatusUnprocessableEntity:   "invalid",
	fiber.StatusTooManyRequests:       "rate_limited",
	fiber.StatusInternalServerError:   "internal",
	fiber.StatusServiceUnavailable:    "unavailable",
}

// codedError is an error with a status and a more specific code.
type codedError struct {
	status  int
	code    string
	message string
}

func (e *codedError) Error() string { return e.message }

func errCode(status int, code, message string) error {
	return &codedError{status: status, code: code, message: message}
}

// handleError is Fiber's error handler: JSON under /api/ and /ws/, a page elsewhere.
// Store sentinels map to statuses here, in one place.
func (h *handler) handleError(c *fiber.Ctx, err error) error {
	status, code, msg := fiber.StatusInternalServerError, "", "internal error"
	var fe *fiber.Error
	var ce *codedError
	var inv *store.InvalidError
	switch {
	case errors.As(err, &ce):
		status, code, msg = ce.status, ce.code, ce.message
	case errors.As(err, &inv):
		status, code, msg = fiber.StatusBadRequest, "bad_request", inv.Msg
	case errors.Is(err, store.ErrScorecardLocked):
		status, code, msg = fiber.StatusConflict, "scorecard_locked", store.ErrScorecardLocked.Error()
	case errors.Is(err, store.ErrAlreadySubmitted):
		status, code, msg = fiber.StatusConflict, "already_submitted", store.ErrAlreadySubmitted.Error()
	case errors.Is(err, store.ErrNotSubmitted):
		status, code, msg = fiber.StatusConflict, "not_submitted", store.ErrNotSubmitted.Error()
	case errors.As(err, &fe):
		status, msg = fe.Code, fe.Message
	case errors.Is(err, store.ErrNotFound):
		status, msg = fiber.StatusNotFound, "not found"
	case errors.Is(err, store.ErrLastAdmin):
		status, msg = fiber.StatusConflict, store.ErrLastAdmin.Error()
	case errors.Is(err, store.ErrConflict):
		status, msg = fiber.StatusConflict, "it already exists"
	}
	if code == "" {
		code = errorCodes[status]
		if code == "" {
			code = "error"
		}
	}
	if status >= 500 {
		h.Log.Error("request failed", slog.String("method", c.Method()), slog.String("path", c.Path()), slog.Any("error", err))
	}
	// A refused WebSocket upgrade is answered with the same JSON error
	// (docs/protocol.md, "Connecting"): clients read its code, and an HTML
	// page is of no use to them.
	if strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Path(), "/ws/") {
		return c.Status(status).JSON(apiError{Error: apiErrorBody{Code: code, Message: msg}})
	}
	title := map[int]string{400: "Bad request", 401: "Please log in", 403: "Not allowed", 404: "Not found", 409: "Conflict", 410: "No longer available", 413: "Too large", 429: "Too many attempts"}[status]
	if title == "" {
		title = "Something went wrong"
	}
	return h.render(c, status, "error", page{Title: title, Error: msg})
}
