package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/store"
)

// dashboardLimit is how many interviews each part of the staff home lists.
const dashboardLimit = 10

// dashboardData is what the staff home renders.
type dashboardData struct {
	// CanRun: admins and interviewers open consoles and manage interviews;
	// reviewers read reports.
	CanRun    bool
	Live      []store.DashboardInterview
	Scheduled []store.DashboardInterview
	// Waiting: ended interviews the user sits on with a candidate they have
	// not submitted a scorecard for, oldest first (not for reviewers).
	Waiting []store.DashboardInterview
	Recent  []store.DashboardInterview
}

// dashboardPage: GET /dashboard, where staff land after logging in.
func (h *handler) dashboardPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u := currentUser(c)
	sc := store.ReviewScope{UserID: u.ID, Role: u.Role}
	d := dashboardData{CanRun: u.Role != store.RoleReviewer}
	var err error
	if d.Live, err = h.Store.InterviewsByStatus(ctx, sc, store.StatusLive, dashboardLimit); err != nil {
		return err
	}
	if d.Scheduled, err = h.Store.InterviewsByStatus(ctx, sc, store.StatusScheduled, dashboardLimit); err != nil {
		return err
	}
	if d.CanRun {
		if d.Waiting, err = h.Store.AwaitingScorecard(ctx, u.ID, dashboardLimit); err != nil {
			return err
		}
	}
	if d.Recent, err = h.Store.InterviewsByStatus(ctx, sc, store.StatusEnded, dashboardLimit); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "dashboard", page{Title: "Dashboard", Data: d})
}
