package web

import (
	"crypto/subtle"
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/store"
)

// practiceCookie holds a browser's practice token: one for all the attempts
// the browser starts, whose rows keep its hash (holder_hash). It is not the
// candidate cookie, so a practice attempt never replaces a real invite held
// by the same browser, and the room accepts it only for practice attempts.
const practiceCookie = "ace_practice"

// practiceTokenLen is the length of auth.NewToken's tokens: a shorter
// cookie is not one of ours and is replaced.
const practiceTokenLen = 43

// practiceHolder returns the browser's practice token, minting one (and
// setting the cookie) when it has none.
func (h *handler) practiceHolder(c *fiber.Ctx) string {
	name := cookieName(practiceCookie, h.Config.Secure())
	if tok := c.Cookies(name); len(tok) == practiceTokenLen {
		return tok
	}
	tok, _ := auth.NewToken()
	c.Cookie(&fiber.Cookie{
		Name:     name,
		Value:    tok,
		Path:     "/",
		HTTPOnly: true,
		Secure:   h.Config.Secure(),
		SameSite: "Lax",
		Expires:  time.Now().Add(h.Config.PracticeRetention),
	})
	return tok
}

// holds reports whether this request comes from the browser that started a.
func (h *handler) holds(c *fiber.Ctx, a store.PracticeAttempt) bool {
	tok := c.Cookies(cookieName(practiceCookie, h.Config.Secure()))
	if tok == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(auth.HashToken(tok)), []byte(a.HolderHash)) == 1
}

// practiceAttempt loads the path's attempt for its holder: 404 for no
// attempt (an interview that is no practice attempt included), 403 for
// another browser.
func (h *handler) practiceAttempt(c *fiber.Ctx) (store.PracticeAttempt, store.Interview, error) {
	id, err := paramID(c)
	if err != nil {
		return store.PracticeAttempt{}, store.Interview{}, err
	}
	a, err := h.Store.GetPractice(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return a, store.Interview{}, errCode(fiber.StatusNotFound, "not_found", "There is no practice exam "+strconv.FormatInt(id, 10)+". Abandoned ones are deleted after a while.")
	}
	if err != nil {
		return a, store.Interview{}, err
	}
	if !h.holds(c, a) {
		return a, store.Interview{}, errCode(fiber.StatusForbidden, "forbidden", "This practice exam was started in another browser: only that browser can open it.")
	}
	iv, err := h.Store.GetInterview(c.UserContext(), id)
	return a, iv, err
}

// practiceCandidate is the attempt's one candidate.
func (h *handler) practiceCandidate(c *fiber.Ctx, id int64) (store.Participant, error) {
	ps, err := h.Store.Participants(c.UserContext(), id)
	if err != nil {
		return store.Participant{}, err
	}
	for _, p := range ps {
		if p.Role == store.PartCandidate {
			return p, nil
		}
	}
	return store.Participant{}, store.ErrNotFound
}

// practiceURL is the path of an attempt's page ("" for the room).
func practiceURL(id int64, sub string) string {
	u := "/practice/" + strconv.FormatInt(id, 10)
	if sub != "" {
		u += "/" + sub
	}
	return u
}
