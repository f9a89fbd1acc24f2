package web

import (
	"context"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/review"
	"github.com/ace-interviews/ace/internal/store"
)

// reviewsPerPage is the length of a page of /reviews.
const reviewsPerPage = 25

// reviewsQuery is the reviews list's query string as the form holds it
// (contract: docs/pages.md), and the filter it stands for.
type reviewsQuery struct {
	From, To, Interviewer, Technology, Recommendation, Q, Sort, Dir string
	Awaiting                                                        bool
	Page                                                            int
	Filter                                                          store.ReviewFilter
}

const dateForm = "2006-01-02"

// parseReviewsQuery reads and checks the list's parameters; anything it
// cannot use is a 400 that names it.
func parseReviewsQuery(c *fiber.Ctx) (reviewsQuery, error) {
	q := reviewsQuery{From: c.Query("from"), To: c.Query("to"), Interviewer: c.Query("interviewer"), Technology: c.Query("technology"),
		Recommendation: c.Query("recommendation"), Q: strings.TrimSpace(c.Query("q")), Sort: c.Query("sort"), Dir: c.Query("dir")}
	bad := func(code, msg string) (reviewsQuery, error) { return q, errCode(fiber.StatusBadRequest, code, msg) }
	f := &q.Filter
	if q.From != "" {
		t, err := time.Parse(dateForm, q.From)
		if err != nil {
			return bad("bad_from", "from must be a date written YYYY-MM-DD")
		}
		f.From = &t
	}
	if q.To != "" {
		t, err := time.Parse(dateForm, q.To)
		if err != nil {
			return bad("bad_to", "to must be a date written YYYY-MM-DD")
		}
		end := t.AddDate(0, 0, 1) // to is the last day included
		f.To = &end
	}
	if q.Interviewer != "" {
		id, err := strconv.ParseInt(q.Interviewer, 10, 64)
		if err != nil || id <= 0 {
			return bad("bad_interviewer", "interviewer must be a user id")
		}
		f.InterviewerID = id
	}
	if utf8.RuneCountInString(q.Technology) > 100 || utf8.RuneCountInString(q.Q) > 200 {
		return bad("bad_request", "technology holds at most 100 characters and q at most 200")
	}
	f.Technology, f.Query = q.Technology, q.Q
	if q.Recommendation != "" && !store.ValidRecommendation(q.Recommendation) {
		return bad("bad_recommendation", "recommendation must be one of "+strings.Join(store.Recommendations, ", "))
	}
	f.Recommendation = q.Recommendation
	switch a := c.Query("awaiting"); a {
	case "", "0", "false":
	case "1", "on", "true":
		q.Awaiting, f.Awaiting = true, true
	default:
		return bad("bad_awaiting", "awaiting must be 1 or left out")
	}
	if q.Sort != "" && !slices.Contains(store.ReviewSorts, q.Sort) {
		return bad("bad_sort", "sort must be one of "+strings.Join(store.ReviewSorts, ", "))
	}
	if q.Dir != "" && q.Dir != "asc" && q.Dir != "desc" {
		return bad("bad_dir", "dir must be asc or desc")
	}
	f.Sort, f.Dir = q.Sort, q.Dir
	page, err := queryInt(c, "page", 1, 1, 1_000_000)
	if err != nil {
		return q, err
	}
	q.Page = page
	f.Limit, f.Offset = reviewsPerPage, (page-1)*reviewsPerPage
	return q, nil
}

// values is the query string of the list's filters and sort (no page).
func (q reviewsQuery) values() url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{{"from", q.From}, {"to", q.To}, {"interviewer", q.Interviewer}, {"technology", q.Technology},
		{"recommendation", q.Recommendation}, {"q", q.Q}, {"sort", q.Sort}, {"dir", q.Dir}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if q.Awaiting {
		v.Set("awaiting", "1")
	}
	return v
}

// url is path with the list's query, changed by the key-value pairs given
// ("" removes a key).
func (q reviewsQuery) url(path string, kv ...string) string {
	v := q.values()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// listReviews reads one page of the list and shapes it through the gate.
// A row whose shown scorecards do not match the recommendation filter
// (which the store decides from its mirror of the gate) is left out: the
// gate has the last word.
func (h *handler) listReviews(ctx context.Context, u *store.User, f store.ReviewFilter) ([]review.ListItem, int, error) {
	page, err := h.Store.ListReviews(ctx, store.ReviewScope{UserID: u.ID, Role: u.Role}, f)
	if err != nil {
		return nil, 0, err
	}
	var ivs, cands []int64
	for _, r := range page.Rows {
		if len(ivs) == 0 || !slices.Contains(ivs, r.InterviewID) {
			ivs = append(ivs, r.InterviewID)
		}
		cands = append(cands, r.CandidateID)
	}
	in := review.ListInput{Rows: page.Rows}
	if in.Panels, err = h.Store.Panels(ctx, ivs); err != nil {
		return nil, 0, err
	}
	if in.Technologies, err = h.Store.InterviewTechnologies(ctx, ivs); err != nil {
		return nil, 0, err
	}
	if in.Scorecards, err = h.Store.ScorecardsOfCandidates(ctx, cands); err != nil {
		return nil, 0, err
	}
	items := review.List(in, u)
	if f.Recommendation != "" {
		kept := items[:0]
		for _, it := range items {
			if it.Has(f.Recommendation) {
				kept = append(kept, it)
				continue
			}
			h.Log.Error("reviews list: the store's filter and the gate disagree", slog.Int64("candidate_id", it.CandidateID),
				slog.Int64("user_id", u.ID), slog.String("recommendation", f.Recommendation))
		}
		items = kept
	}
	// What the list shows of the panel counts as seen, as on the report.
	seen := map[int64][]int64{}
	for _, it := range items {
		if it.SeenPanel {
			seen[it.InterviewID] = append(seen[it.InterviewID], it.CandidateID)
		}
	}
	for _, iv := range ivs {
		if len(seen[iv]) > 0 {
			if err := h.Store.MarkPanelSeen(ctx, iv, u.ID, seen[iv]); err != nil {
				return nil, 0, err
			}
		}
	}
	return items, page.Total, nil
}

// reviewsData is what /reviews renders.
type reviewsData struct {
	Query           reviewsQuery
	Items           []review.ListItem
	Total           int
	Page, Pages     int
	PrevURL         string
	NextURL         string
	ExportURL       string
	Interviewers    []store.User
	Technologies    []string
	Recommendations []string
	Columns         []sortColumn
}

// sortColumn is a sortable column heading: its link and aria-sort.
type sortColumn struct {
	Label, URL, AriaSort string
}

// sortColumns are the sortable headings of the list, in the table's order.
func sortColumns(q reviewsQuery) []sortColumn {
	cols := []struct{ label, sort, natural string }{
		{"Candidate", store.ReviewSortCandidate, "asc"},
		{"Interview", store.ReviewSortTitle, "asc"},
		{"Ended", store.ReviewSortEnded, "desc"},
		{"Scorecards", store.ReviewSortSubmitted, "desc"},
		{"Mean score", store.ReviewSortMean, "desc"},
	}
	cur := q.Sort
	if cur == "" {
		cur = store.ReviewSortEnded
	}
	out := make([]sortColumn, 0, len(cols))
	for _, col := range cols {
		sc := sortColumn{Label: col.label}
		dir := col.natural
		if col.sort == cur {
			active := q.Dir
			if active == "" {
				active = col.natural
			}
			sc.AriaSort = map[string]string{"asc": "ascending", "desc": "descending"}[active]
			dir = map[string]string{"asc": "desc", "desc": "asc"}[active] // a second click turns it round
		}
		sc.URL = q.url("/reviews", "sort", col.sort, "dir", dir, "page", "")
		out = append(out, sc)
	}
	return out
}

// reviewsPage: GET /reviews, the reviewer's home: candidates of ended
// interviews with their scorecards as the gate shows them.
func (h *handler) reviewsPage(c *fiber.Ctx) error {
	q, err := parseReviewsQuery(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	u := currentUser(c)
	items, total, err := h.listReviews(ctx, u, q.Filter)
	if err != nil {
		return err
	}
	d := reviewsData{Query: q, Items: items, Total: total, Page: q.Page, Pages: max(1, (total+reviewsPerPage-1)/reviewsPerPage),
		ExportURL: q.url("/api/v1/reviews/export.csv"), Recommendations: store.Recommendations, Columns: sortColumns(q)}
	if q.Page > 1 {
		d.PrevURL = q.url("/reviews", "page", strconv.Itoa(q.Page-1))
		if q.Page == 2 {
			d.PrevURL = q.url("/reviews")
		}
	}
	if q.Page < d.Pages {
		d.NextURL = q.url("/reviews", "page", strconv.Itoa(q.Page+1))
	}
	users, err := h.Store.ListUsers(ctx)
	if err != nil {
		return err
	}
	for _, su := range users {
		if su.Role != store.RoleReviewer {
			d.Interviewers = append(d.Interviewers, su)
		}
	}
	if d.Technologies, err = h.Store.ReviewTechnologies(ctx); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "reviews", page{Title: "Reviews", Data: d})
}

// reviewsExportChunk is how many rows the list's export reads at a time.
const reviewsExportChunk = 500

// apiReviewsExport: GET /api/v1/reviews/export.csv, every row of the
// filtered list (all pages), one per candidate.
func (h *handler) apiReviewsExport(c *fiber.Ctx) error {
	q, err := parseReviewsQuery(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	f := q.Filter
	f.Limit, f.Offset = reviewsExportChunk, 0
	// The first chunk is read before anything is written, so an error is
	// still a proper error response.
	items, total, err := h.listReviews(c.UserContext(), u, f)
	if err != nil {
		return err
	}
	attachment(c, "text/csv; charset=utf-8", "reviews-"+time.Now().UTC().Format(dateForm)+".csv")
	w, err := review.NewCSVWriter(c, review.ListCSVHeader)
	if err != nil {
		return err
	}
	for {
		for _, row := range review.ListCSV(items) {
			if err := w.Write(row); err != nil {
				return err
			}
		}
		f.Offset += reviewsExportChunk
		if f.Offset >= total {
			break
		}
		if items, _, err = h.listReviews(c.UserContext(), u, f); err != nil {
			return err
		}
	}
	return w.Flush()
}
