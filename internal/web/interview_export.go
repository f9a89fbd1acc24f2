package web

import (
	"bufio"
	"encoding/json"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

// attachment names the download of an export.
func attachment(c *fiber.Ctx, contentType, filename string) {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
}

// exportInput is the interview of the path, the caller as the gate sees
// them and everything the interview's exports are made of.
func (h *handler) exportInput(c *fiber.Ctx) (review.Input, review.Viewer, error) {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return review.Input{}, review.Viewer{}, err
	}
	v, err := h.reviewViewer(c, iv)
	if err != nil {
		return review.Input{}, v, err
	}
	in, err := h.reviewInput(c.UserContext(), iv)
	return in, v, err
}

// apiExportCSV: GET /api/v1/interviews/{id}/export.csv, one row per
// candidate × question × scorecard, as the report shows them to the caller.
func (h *handler) apiExportCSV(c *fiber.Ctx) error {
	in, v, err := h.exportInput(c)
	if err != nil {
		return err
	}
	r := review.Build(in, v)
	if err := h.markPanelSeen(c, in.Interview, v, r.Shown); err != nil {
		return err
	}
	rows := review.InterviewCSV(r)
	attachment(c, "text/csv; charset=utf-8", "interview-"+strconv.FormatInt(in.Interview.ID, 10)+".csv")
	w, err := review.NewCSVWriter(c, review.InterviewCSVHeader)
	if err != nil {
		return err
	}
	for _, row := range rows {
		if err := w.Write(row); err != nil {
			return err
		}
	}
	return w.Flush()
}

// apiExportJSON: GET /api/v1/interviews/{id}/export.json, the interview
// with its questions (model answers included), people, answers, the
// scorecards the caller may see, notes and transcript.
func (h *handler) apiExportJSON(c *fiber.Ctx) error {
	in, v, err := h.exportInput(c)
	if err != nil {
		return err
	}
	doc, shown := review.Export(in, v)
	if err := h.markPanelSeen(c, in.Interview, v, shown); err != nil {
		return err
	}
	if doc.Scorecards == nil {
		doc.Scorecards = []store.Scorecard{}
	}
	attachment(c, fiber.MIMEApplicationJSONCharsetUTF8, "interview-"+strconv.FormatInt(in.Interview.ID, 10)+".json")
	bw := bufio.NewWriter(c)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return bw.Flush()
}
