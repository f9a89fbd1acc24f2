package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

// The live-room pages. They are clients of the REST API and the WebSocket
// protocol (docs/protocol.md): the server renders the frame of each page and
// the scripts fill it from the API and the room's socket.

// interviewsPage: GET /interviews, the interviews the user may run.
func (h *handler) interviewsPage(c *fiber.Ctx) error {
	u := currentUser(c)
	ivs, err := h.Store.ListInterviews(c.UserContext(), u.ID, u.Role == store.RoleAdmin)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "interviews", page{Title: "Interviews", Data: ivs})
}

// interviewNewPage: GET /interviews/new. The form is sent by interview_new.js
// to POST /api/v1/interviews.
func (h *handler) interviewNewPage(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "interview_new", page{Title: "New interview"})
}

// manageData is what the manage page shows.
type manageData struct {
	Interview    store.Interview
	Candidates   []store.Participant
	Interviewers []store.Participant
	Questions    []store.PlannedQuestion
	Created      bool // just created: the invite links are in this tab's storage
}

// interviewManagePage: GET /interviews/{id}: candidates and their invite
// links, the panel and the plan.
func (h *handler) interviewManagePage(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	ps, err := h.Store.Participants(c.UserContext(), iv.ID)
	if err != nil {
		return err
	}
	qs, err := h.Store.PlannedQuestions(c.UserContext(), iv.ID)
	if err != nil {
		return err
	}
	d := manageData{Interview: iv, Questions: qs, Created: c.Query("created") != ""}
	for _, p := range ps {
		switch {
		case p.Role == store.PartCandidate:
			d.Candidates = append(d.Candidates, p)
		case p.RevokedAt == nil: // removed interviewers are off the panel
			d.Interviewers = append(d.Interviewers, p)
		}
	}
	return h.render(c, fiber.StatusOK, "interview_manage", page{Title: iv.Title, Data: d})
}

// consoleData is what the console page carries besides what welcome sends
// (the welcome carries every candidate's answer and the panel's notes).
type consoleData struct {
	Interview store.Interview
}

// interviewConsolePage: GET /interviews/{id}/console, the interviewer console.
func (h *handler) interviewConsolePage(c *fiber.Ctx) error {
	iv, err := h.interviewAccess(c)
	if err != nil {
		return err
	}
	d := consoleData{Interview: iv}
	return h.render(c, fiber.StatusOK, "interview_console", page{Title: "Console: " + iv.Title, Data: d})
}

// roomData is everything the candidate page renders: nothing staff-only.
type roomData struct {
	InterviewID int64
	Title       string
	Name        string
	Status      string
	// A practice attempt (issue 11) runs in the same candidate view: the page
	// offers "Finish" (a POST to FinishURL) and goes to ResultsURL when the
	// attempt is over.
	Practice   bool
	FinishURL  string
	ResultsURL string
}

// candidateRoomPage: GET /interviews/{id}/room, the candidate view. It needs
// the candidate cookie that /join/{token} sets for this interview; staff are
// sent to the console, as the room's socket would take them as staff too.
func (h *handler) candidateRoomPage(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if u := currentUser(c); u != nil {
		if u.Role == store.RoleReviewer {
			return fiber.NewError(fiber.StatusForbidden, "Reviewers read recorded interviews; they do not join live rooms.")
		}
		return c.Redirect("/interviews/"+strconv.FormatInt(id, 10)+"/console", fiber.StatusSeeOther)
	}
	closed := func(status int, title, msg string) error {
		return h.render(c, status, "room_closed", page{Title: title, Data: msg})
	}
	token := c.Cookies(candidateCookie)
	if token == "" {
		return closed(fiber.StatusUnauthorized, "Open your invite link",
			"To join this interview, open the invite link your interviewer sent you. It signs you in to this room on this browser.")
	}
	p, err := h.Store.ParticipantByToken(c.UserContext(), auth.HashToken(token))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return closed(fiber.StatusUnauthorized, "Open your invite link",
			"Your invite is no longer valid on this browser. Open the newest invite link your interviewer sent you.")
	case err != nil:
		return err
	case p.InterviewID != id:
		return closed(fiber.StatusForbidden, "Open your invite link",
			"Your invite is for another interview. Open the invite link for this interview.")
	case p.RevokedAt != nil:
		return closed(fiber.StatusGone, "Invite withdrawn",
			"This invite was withdrawn. Ask your interviewer for a new link.")
	}
	iv, err := h.Store.GetInterview(c.UserContext(), id)
	if err != nil {
		return err
	}
	if iv.Status == store.StatusEnded {
		return closed(fiber.StatusGone, "Interview ended", "This interview has ended. Thank you for taking part; you can close this page.")
	}
	return h.render(c, fiber.StatusOK, "interview_room", page{Title: iv.Title, Exam: true,
		Data: roomData{InterviewID: iv.ID, Title: iv.Title, Name: p.Name, Status: iv.Status}})
}
