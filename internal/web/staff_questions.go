package web

import (
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
)

// staffQuestions: GET /staff/questions
func (h *handler) staffQuestions(c *fiber.Ctx) error {
	l, err := h.loadListing(c, "/staff/questions", true)
	if err != nil {
		return err
	}
	// How often practice takers rated each question Missed: the bank's
	// difficulty signal.
	ids := make([]int64, len(l.Questions))
	for i, q := range l.Questions {
		ids[i] = q.ID
	}
	if l.Missed, err = h.Store.PracticeMissStats(c.UserContext(), ids); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "staff_questions", page{Title: "Manage questions", Data: l})
}

// questionForm is what the add / edit page renders.
type questionForm struct {
	Action       string
	Q            bank.Question
	Errs         map[string]string
	Levels       []bank.Level
	Technologies []store.TechnologyCount
	Visibilities []bank.Visibility
}

func (h *handler) renderQuestionForm(c *fiber.Ctx, status int, title string, f questionForm) error {
	f.Levels = bank.Levels
	f.Visibilities = []bank.Visibility{bank.Public, bank.Private}
	techs, err := h.Store.Technologies(c.UserContext(), true)
	if err != nil {
		return err
	}
	f.Technologies = techs
	p := page{Title: title, Data: f}
	if len(f.Errs) > 0 {
		p.Error = "Please correct the highlighted fields."
	}
	return h.render(c, status, "question_form", p)
}

// questionFromForm reads and checks the form, field by field.
func questionFromForm(c *fiber.Ctx) (bank.Question, map[string]string) {
	q := bank.Question{
		Technology: c.FormValue("technology"),
		Level:      bank.Level(c.FormValue("level")),
		Prompt:     c.FormValue("prompt"),
		Answer:     c.FormValue("answer"),
		Tags:       strings.Split(c.FormValue("tags"), ","),
		Visibility: bank.Visibility(c.FormValue("visibility")),
	}
	errs := map[string]string{}
	if s := strings.TrimSpace(c.FormValue("time_limit_s")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > bank.MaxTimeLimitS {
			errs["time_limit_s"] = "Enter a number of seconds from 0 to 14400."
		}
		q.TimeLimitS = n
	}
	q.Normalize()
	switch {
	case q.Technology == "":
		errs["technology"] = "Enter a technology."
	case len(q.Technology) > bank.MaxTechnologyLen:
		errs["technology"] = "Use at most 60 characters."
	}
	if _, err := bank.ParseLevel(string(q.Level)); err != nil {
		errs["level"] = "Choose beginner, intermediate or advanced."
	}
	// No choice at all (an old form) is "not said": public for a new
	// question, unchanged for an edited one.
	if q.Visibility != "" {
		if _, err := bank.ParseVisibility(string(q.Visibility)); err != nil {
			errs["visibility"] = "Choose public or private."
		}
	}
	if q.Prompt == "" {
		errs["prompt"] = "Enter the question."
	} else if len(q.Prompt) > bank.MaxPromptLen {
		errs["prompt"] = "Use at most 4000 characters."
	}
	if q.Answer == "" {
		errs["answer"] = "Enter a model answer."
	} else if len(q.Answer) > bank.MaxAnswerLen {
		errs["answer"] = "Use at most 20000 characters."
	}
	if len(errs) == 0 {
		if err := q.Validate(); err != nil {
			errs["tags"] = err.Error()
		}
	}
	return q, errs
}

// questionNewPage: GET /staff/questions/new
func (h *handler) questionNewPage(c *fiber.Ctx) error {
	return h.renderQuestionForm(c, fiber.StatusOK, "Add question", questionForm{Action: "/staff/questions/new", Q: bank.Question{Level: bank.Beginner, Visibility: bank.Public}})
}

// questionCreate: POST /staff/questions/new
func (h *handler) questionCreate(c *fiber.Ctx) error {
	f := questionForm{Action: "/staff/questions/new"}
	q, errs := questionFromForm(c)
	f.Q, f.Errs = q, errs
	if len(errs) > 0 {
		return h.renderQuestionForm(c, fiber.StatusBadRequest, "Add question", f)
	}
	if _, err := h.Store.CreateQuestion(c.UserContext(), q); errors.Is(err, store.ErrConflict) {
		f.Errs = map[string]string{"prompt": "This technology already has a question with this prompt."}
		return h.renderQuestionForm(c, fiber.StatusConflict, "Add question", f)
	} else if err != nil {
		return err
	}
	return c.Redirect("/staff/questions?flash=saved", fiber.StatusSeeOther)
}

// questionEditPage: GET /staff/questions/{id}/edit
func (h *handler) questionEditPage(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	sq, err := h.Store.GetQuestion(c.UserContext(), id)
	if err != nil {
		return err
	}
	q := sq.Bank()
	return h.renderQuestionForm(c, fiber.StatusOK, "Edit question", questionForm{Action: "/staff/questions/" + strconv.FormatInt(id, 10) + "/edit", Q: q})
}

// questionUpdate: POST /staff/questions/{id}/edit
func (h *handler) questionUpdate(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	old, err := h.Store.GetQuestion(c.UserContext(), id)
	if err != nil {
		return err
	}
	f := questionForm{Action: "/staff/questions/" + strconv.FormatInt(id, 10) + "/edit"}
	q, errs := questionFromForm(c)
	q.Source = old.Source
	f.Q, f.Errs = q, errs
	if len(errs) > 0 {
		return h.renderQuestionForm(c, fiber.StatusBadRequest, "Edit question", f)
	}
	if _, err := h.Store.UpdateQuestion(c.UserContext(), id, q); errors.Is(err, store.ErrConflict) {
		f.Errs = map[string]string{"prompt": "This technology already has a question with this prompt."}
		return h.renderQuestionForm(c, fiber.StatusConflict, "Edit question", f)
	} else if err != nil {
		return err
	}
	return c.Redirect("/staff/questions?flash=saved", fiber.StatusSeeOther)
}

// questionDelete: POST /staff/questions/{id}/delete
func (h *handler) questionDelete(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.Store.DeleteQuestion(c.UserContext(), id); err != nil {
		return err
	}
	return c.Redirect("/staff/questions?flash=deleted", fiber.StatusSeeOther)
}

// importPage: GET /staff/import
func (h *handler) importPage(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "import", page{Title: "Import questions", Data: fiber.Map{"Formats": bank.Formats}})
}

// importUpload: POST /staff/import (multipart, field "file")
func (h *handler) importUpload(c *fiber.Ctx) error {
	fail := func(status int, msg string) error {
		return h.render(c, status, "import", page{Title: "Import questions", Error: msg, Data: fiber.Map{"Formats": bank.Formats}})
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return fail(fiber.StatusBadRequest, "Choose a file to import.")
	}
	if fh.Size > bank.MaxImportBytes {
		return fail(fiber.StatusRequestEntityTooLarge, "The file is larger than 8 MiB.")
	}
	// Moodle names its GIFT exports .txt, so the format may be chosen.
	var format bank.Format
	if name := c.FormValue("format"); name != "" {
		format, err = bank.ParseFormat(name)
	} else {
		format, err = bank.FormatFromName(fh.Filename)
	}
	if err != nil {
		return fail(fiber.StatusBadRequest, err.Error())
	}
	var vis bank.Visibility
	if c.FormValue("private") != "" {
		vis = bank.Private
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, bank.MaxImportBytes+1))
	if err != nil {
		return err
	}
	res, err := h.importQuestions(c, fh.Filename, format, data, vis)
	var ce *codedError
	if errors.As(err, &ce) {
		return fail(ce.status, ce.message)
	}
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "import", page{Title: "Import questions", Flash: "Import finished.", Data: fiber.Map{"Result": res, "Private": vis == bank.Private, "Formats": bank.Formats}})
}
