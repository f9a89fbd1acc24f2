package web

import (
	"bytes"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/bank"
)

// exportTypes is the Content-Type and file extension of each export format.
var exportTypes = map[bank.Format][2]string{
	bank.FormatText: {"text/plain; charset=utf-8", "txt"},
	bank.FormatJSON: {"application/json; charset=utf-8", "json"},
	bank.FormatYAML: {"application/yaml; charset=utf-8", "yaml"},
}

// apiExportQuestions: GET /api/v1/questions/export?format=&technology=&level=&visibility=&q=
// writes the selected part of the bank, answers and private questions
// included, in an import format (staff who may edit the bank only).
func (h *handler) apiExportQuestions(c *fiber.Ctx) error {
	format := bank.FormatJSON
	if name := c.Query("format"); name != "" {
		f, err := bank.ParseFormat(name)
		if _, ok := exportTypes[f]; err != nil || !ok {
			return errCode(fiber.StatusBadRequest, "bad_format", "format must be text, json or yaml")
		}
		format = f
	}
	f, err := filterFromQuery(c, true)
	if err != nil {
		return err
	}
	qs, err := h.Store.ExportQuestions(c.UserContext(), f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := bank.Export(&buf, format, qs, f.Visibility); errors.Is(err, bank.ErrNotText) || errors.Is(err, bank.ErrPrivateText) {
		return errCode(fiber.StatusUnprocessableEntity, "not_exportable", err.Error())
	} else if err != nil {
		return err
	}
	t := exportTypes[format]
	c.Set(fiber.HeaderContentType, t[0])
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="ace-questions.`+t[1]+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}
