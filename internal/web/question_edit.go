package web

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
)

// decodeQuestion reads a question from a JSON body and validates it.
func decodeQuestion(c *fiber.Ctx) (bank.Question, error) {
	var q bank.Question
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return q, errCode(fiber.StatusUnsupportedMediaType, "unsupported_media_type", "send the question as application/json")
	}
	if err := decodeStrictJSON(c.Body(), &q); err != nil {
		return q, err
	}
	q.Normalize()
	if err := q.Validate(); err != nil {
		return q, errCode(fiber.StatusBadRequest, "invalid_question", err.Error())
	}
	lv, _ := bank.ParseLevel(string(q.Level))
	q.Level = lv
	return q, nil
}

func paramID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errCode(fiber.StatusBadRequest, "bad_id", "the id must be a positive whole number")
	}
	return id, nil
}

// apiCreateQuestion: POST /api/v1/questions
func (h *handler) apiCreateQuestion(c *fiber.Ctx) error {
	q, err := decodeQuestion(c)
	if err != nil {
		return err
	}
	saved, err := h.Store.CreateQuestion(c.UserContext(), q)
	if errors.Is(err, store.ErrConflict) {
		return errCode(fiber.StatusConflict, "duplicate_question", "this technology already has a question with that prompt")
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(viewOf(saved, true))
}

// apiUpdateQuestion: PUT /api/v1/questions/{id}
func (h *handler) apiUpdateQuestion(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	q, err := decodeQuestion(c)
	if err != nil {
		return err
	}
	saved, err := h.Store.UpdateQuestion(c.UserContext(), id, q)
	if errors.Is(err, store.ErrConflict) {
		return errCode(fiber.StatusConflict, "duplicate_question", "this technology already has a question with that prompt")
	}
	if errors.Is(err, store.ErrNotFound) {
		return errCode(fiber.StatusNotFound, "not_found", "no question "+strconv.FormatInt(id, 10))
	}
	if err != nil {
		return err
	}
	return c.JSON(viewOf(saved, true))
}

// apiDeleteQuestion: DELETE /api/v1/questions/{id}
func (h *handler) apiDeleteQuestion(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.Store.DeleteQuestion(c.UserContext(), id); errors.Is(err, store.ErrNotFound) {
		return errCode(fiber.StatusNotFound, "not_found", "no question "+strconv.FormatInt(id, 10))
	} else if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// importResult is the answer to an import (API and page).
type importResult struct {
	Total     int          `json:"total"`
	Created   int          `json:"created"`
	Updated   int          `json:"updated"`
	Unchanged int          `json:"unchanged"`
	Counts    []bank.Count `json:"counts"`
}

// importQuestions parses data in format f and imports all of it or nothing.
// A visibility vis, when set, is that of every question of the file.
func (h *handler) importQuestions(c *fiber.Ctx, file string, f bank.Format, data []byte, vis bank.Visibility) (importResult, error) {
	qs, err := bank.Parse(file, f, bytes.NewReader(data))
	if err != nil {
		return importResult{}, errCode(fiber.StatusBadRequest, "invalid_import", err.Error())
	}
	if vis != "" {
		bank.SetVisibility(qs, vis)
	}
	res, err := h.Store.ImportQuestions(c.UserContext(), qs)
	if err != nil {
		return importResult{}, err
	}
	total := 0
	for _, n := range res.Counts {
		total += n.Beginner + n.Intermediate + n.Advanced
	}
	return importResult{Total: total, Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged, Counts: res.Counts}, nil
}

// apiImportQuestions: POST /api/v1/questions/import?visibility=, the
// format chosen by Content-Type; visibility=private (or public) sets that
// of every question in the body.
func (h *handler) apiImportQuestions(c *fiber.Ctx) error {
	f, err := bank.FormatFromContentType(c.Get(fiber.HeaderContentType))
	if err != nil {
		return errCode(fiber.StatusUnsupportedMediaType, "unsupported_media_type", err.Error())
	}
	var vis bank.Visibility
	if v := c.Query("visibility"); v != "" {
		if vis, err = bank.ParseVisibility(v); err != nil {
			return errCode(fiber.StatusBadRequest, "bad_visibility", err.Error())
		}
	}
	res, err := h.importQuestions(c, "body", f, c.Body(), vis)
	if err != nil {
		return err
	}
	return c.JSON(res)
}
