package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/bank"
	"github.com/ace-interviews/ace/internal/store"
)

const (
	pageSize    = 20
	maxAPILimit = 100
	maxQueryLen = 200
)

// filterFromQuery reads technology, level, q and (staff only) visibility;
// a bad value or an overlong search is a 400 rather than an empty result.
// staff lets private questions in: the one place where a request decides
// whether it may see them.
func filterFromQuery(c *fiber.Ctx, staff bool) (store.QuestionFilter, error) {
	f := store.QuestionFilter{
		Technology:     strings.TrimSpace(c.Query("technology")),
		Query:          strings.TrimSpace(c.Query("q")),
		IncludePrivate: staff,
	}
	if v := strings.TrimSpace(c.Query("visibility")); v != "" && staff {
		vis, err := bank.ParseVisibility(v)
		if err != nil {
			return f, errCode(fiber.StatusBadRequest, "bad_visibility", err.Error())
		}
		f.Visibility = vis
	}
	if l := strings.TrimSpace(c.Query("level")); l != "" {
		lv, err := bank.ParseLevel(l)
		if err != nil {
			return f, errCode(fiber.StatusBadRequest, "bad_level", err.Error())
		}
		f.Level = string(lv)
	}
	if len(f.Query) > maxQueryLen {
		return f, errCode(fiber.StatusBadRequest, "bad_query", "q is longer than 200 characters")
	}
	return f, nil
}

func queryInt(c *fiber.Ctx, name string, def, min, max int) (int, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, errCode(fiber.StatusBadRequest, "bad_"+name, name+" must be a whole number from "+strconv.Itoa(min)+" to "+strconv.Itoa(max))
	}
	return n, nil
}

// questionView is a question as the API shows it (contract). Visibility
// is shown to staff only: anonymous callers see public questions alone.
type questionView struct {
	ID         int64    `json:"id"`
	Technology string   `json:"technology"`
	Level      string   `json:"level"`
	Prompt     string   `json:"prompt"`
	Answer     string   `json:"answer"`
	Tags       []string `json:"tags"`
	TimeLimitS int      `json:"time_limit_s"`
	Source     string   `json:"source"`
	Visibility string   `json:"visibility,omitempty"`
}

// viewOf is q as the API shows it; staff also see its visibility.
func viewOf(q store.Question, staff bool) questionView {
	tags := []string(q.Tags)
	if tags == nil {
		tags = []string{}
	}
	v := questionView{q.ID, q.Technology, q.Level, q.Prompt, q.Answer, tags, q.TimeLimitS, q.Source, ""}
	if staff {
		v.Visibility = q.Visibility
	}
	return v
}

// isStaff reports whether the request comes from a staff account (by
// session or API token): staff see private questions.
func isStaff(c *fiber.Ctx) bool {
	u := currentUser(c)
	return u != nil && slices.Contains([]string{store.RoleAdmin, store.RoleInterviewer, store.RoleReviewer}, u.Role)
}

// apiListQuestions: GET /api/v1/questions?technology=&level=&q=&limit=&offset=
func (h *handler) apiListQuestions(c *fiber.Ctx) error {
	staff := isStaff(c)
	f, err := filterFromQuery(c, staff)
	if err != nil {
		return err
	}
	if f.Limit, err = queryInt(c, "limit", pageSize, 1, maxAPILimit); err != nil {
		return err
	}
	if f.Offset, err = queryInt(c, "offset", 0, 0, 1<<30); err != nil {
		return err
	}
	qs, total, err := h.Store.ListQuestions(c.UserContext(), f)
	if err != nil {
		return err
	}
	out := make([]questionView, len(qs))
	for i, q := range qs {
		out[i] = viewOf(q, staff)
	}
	return c.JSON(fiber.Map{"questions": out, "total": total})
}

// apiTechnologies: GET /api/v1/technologies
func (h *handler) apiTechnologies(c *fiber.Ctx) error {
	ts, err := h.Store.Technologies(c.UserContext(), isStaff(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"technologies": ts})
}

// listing is what the question list pages render.
type listing struct {
	Action       string
	Staff        bool // private questions are listed, with a marker and a visibility filter
	Filter       store.QuestionFilter
	Technologies []store.TechnologyCount
	Levels       []bank.Level
	Questions    []store.Question
	Total        int
	Page, Pages  int
	PrevURL      string
	NextURL      string
	// Missed holds the practice self-ratings of the page's questions (staff page only).
	Missed map[int64]store.MissStat
}

// loadListing reads filters and the page number and fetches one page.
// Only staff pages pass staff: the public pages show the public bank
// whoever looks at them.
func (h *handler) loadListing(c *fiber.Ctx, action string, staff bool) (*listing, error) {
	f, err := filterFromQuery(c, staff)
	if err != nil {
		return nil, err
	}
	pageNo, err := queryInt(c, "page", 1, 1, 1<<20)
	if err != nil {
		return nil, err
	}
	f.Limit, f.Offset = pageSize, (pageNo-1)*pageSize
	qs, total, err := h.Store.ListQuestions(c.UserContext(), f)
	if err != nil {
		return nil, err
	}
	techs, err := h.Store.Technologies(c.UserContext(), staff)
	if err != nil {
		return nil, err
	}
	l := &listing{Action: action, Staff: staff, Filter: f, Technologies: techs, Levels: bank.Levels, Questions: qs, Total: total, Page: pageNo}
	l.Pages = max(1, (total+pageSize-1)/pageSize)
	link := func(p int) string {
		v := url.Values{}
		for k, val := range map[string]string{"technology": f.Technology, "level": f.Level, "q": f.Query, "visibility": string(f.Visibility)} {
			if val != "" {
				v.Set(k, val)
			}
		}
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		if len(v) == 0 {
			return action
		}
		return action + "?" + v.Encode()
	}
	if pageNo > 1 {
		l.PrevURL = link(min(pageNo-1, l.Pages))
	}
	if pageNo < l.Pages {
		l.NextURL = link(pageNo + 1)
	}
	return l, nil
}

// questionsPage: GET /questions, the public bank, readable without JavaScript.
func (h *handler) questionsPage(c *fiber.Ctx) error {
	l, err := h.loadListing(c, "/questions", false)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "questions", page{Title: "Questions", Data: l})
}

// home: GET /, an introduction and the technologies with counts per level.
func (h *handler) home(c *fiber.Ctx) error {
	techs, err := h.Store.Technologies(c.UserContext(), false)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "home", page{Title: "Interview practice and live exams", Data: fiber.Map{"Technologies": techs}})
}
