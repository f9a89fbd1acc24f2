package web

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/websocket/v2"

	"github.com/ace-interviews/ace/internal/auth"
	"github.com/ace-interviews/ace/internal/room"
	"github.com/ace-interviews/ace/internal/store"
)

const (
	candidateCookie = "ace_candidate"
	localIdentity   = "room_identity"
	localInterview  = "room_interview"
	localToken      = "bearer_token"
)

// wsAuthorize runs before the upgrade: it checks the Origin, who is
// connecting and whether they belong to this interview, and answers
// 400/401/403/404/426 itself (a refused gofiber upgrade would say 426 for
// everything, STACK.md §5).
func (h *handler) wsAuthorize(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if !h.originAllowed(c) {
		return errCode(fiber.StatusForbidden, "bad_origin", "this page's origin may not open the room")
	}
	iv, err := h.Store.GetInterview(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errCode(fiber.StatusNotFound, "not_found", "no such interview")
	}
	if err != nil {
		return err
	}
	// Checked before the identity: resolving an admin's identity adds them
	// to the panel, which a request that is no upgrade must not do.
	if !websocket.IsWebSocketUpgrade(c) {
		return errCode(fiber.StatusUpgradeRequired, "upgrade_required", "connect with a WebSocket")
	}
	ident, err := h.roomIdentity(c, iv)
	if err != nil {
		return err
	}
	c.Locals(localIdentity, ident)
	c.Locals(localInterview, id)
	return c.Next()
}

// originAllowed accepts clients that send no Origin (not browsers) and
// browsers on this site's own origin: a cookie alone must not let another
// site open a room (cross-site WebSocket hijacking).
func (h *handler) originAllowed(c *fiber.Ctx) bool {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if h.Config.BaseURL != "" {
		b, _ := url.Parse(h.Config.BaseURL)
		return b != nil && strings.EqualFold(u.Host, b.Host) && u.Scheme == b.Scheme
	}
	return strings.EqualFold(u.Host, string(c.Request().Host()))
}

// roomIdentity decides who is connecting: a staff user (session cookie or
// API token) or a candidate (invite token as bearer or the candidate cookie).
// A bearer is looked up as an invite first, then as an API token; it never
// falls back to a cookie, so a bad one is a 401 (authenticate).
func (h *handler) roomIdentity(c *fiber.Ctx, iv store.Interview) (room.Identity, error) {
	ctx := c.UserContext()
	if iv.Practice {
		return h.practiceIdentity(c, iv)
	}
	bearer, _ := c.Locals(localToken).(string)
	if bearer != "" {
		hash := auth.HashToken(bearer)
		id, ok, err := h.inviteIdentity(ctx, iv, hash)
		if ok || err != nil {
			return id, err
		}
		u, err := h.Store.UserByAPIToken(ctx, hash)
		if errors.Is(err, store.ErrNotFound) {
			return room.Identity{}, errCode(fiber.StatusUnauthorized, "bad_token", "the token is neither a valid invite nor a valid API token")
		}
		if err != nil {
			return room.Identity{}, err
		}
		return h.staffIdentity(ctx, iv, u)
	}
	if u := currentUser(c); u != nil {
		return h.staffIdentity(ctx, iv, *u)
	}
	token := c.Cookies(candidateCookie)
	if token == "" {
		return room.Identity{}, errCode(fiber.StatusUnauthorized, "unauthorized", "log in, or open your invite link")
	}
	id, ok, err := h.inviteIdentity(ctx, iv, auth.HashToken(token))
	if !ok && err == nil {
		return room.Identity{}, errCode(fiber.StatusUnauthorized, "bad_token", "the invite token is not valid")
	}
	return id, err
}

// inviteIdentity looks a token's hash up as an invite; ok is false when it
// is none. A known invite that may not open this room is an error.
func (h *handler) inviteIdentity(ctx context.Context, iv store.Interview, hash string) (id room.Identity, ok bool, err error) {
	p, err := h.Store.ParticipantByToken(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return room.Identity{}, false, nil
	}
	if err != nil {
		return room.Identity{}, false, err
	}
	id, err = candidateIdentity(p, iv, hash)
	return id, true, err
}

// staffIdentity admits an admin (added to the panel on the way) or an
// interviewer of this interview; reviewers do not join live rooms.
func (h *handler) staffIdentity(ctx context.Context, iv store.Interview, u store.User) (room.Identity, error) {
	switch u.Role {
	case store.RoleAdmin:
		p, err := h.Store.EnsureInterviewer(ctx, iv.ID, u)
		if err != nil {
			return room.Identity{}, err
		}
		return room.Identity{ParticipantID: p.ID, Role: store.PartInterviewer, Name: p.Name, UserID: u.ID}, nil
	case store.RoleInterviewer:
		p, err := h.Store.ParticipantByUser(ctx, iv.ID, u.ID)
		if errors.Is(err, store.ErrNotFound) {
			return room.Identity{}, errCode(fiber.StatusForbidden, "forbidden", "you are not an interviewer of this interview")
		}
		if err != nil {
			return room.Identity{}, err
		}
		return room.Identity{ParticipantID: p.ID, Role: store.PartInterviewer, Name: p.Name, UserID: u.ID}, nil
	default:
		return room.Identity{}, errCode(fiber.StatusForbidden, "forbidden", "reviewers read recorded interviews; they do not join live rooms")
	}
}

// candidateIdentity admits the holder of a candidate's invite to the room
// the invite is for, while it is valid and the interview has not ended.
func candidateIdentity(p store.Participant, iv store.Interview, hash string) (room.Identity, error) {
	switch {
	case p.RevokedAt != nil:
		return room.Identity{}, errCode(fiber.StatusUnauthorized, "revoked", "this invite was revoked")
	case p.InterviewID != iv.ID:
		return room.Identity{}, errCode(fiber.StatusForbidden, "forbidden", "this invite is for another interview")
	case iv.Status == store.StatusEnded:
		return room.Identity{}, errCode(fiber.StatusUnauthorized, "invite_expired", "the interview has ended; the invite no longer opens the room")
	}
	return room.Identity{ParticipantID: p.ID, Role: store.PartCandidate, Name: p.Name, TokenHash: hash}, nil
}

// wsServe hands an upgraded connection to the room engine. A panic here
// would kill the process (fasthttp's hijack goroutine has no recover,
// STACK.md §1), so recover first.
//
// The hub keeps the connection after this returns (its own reader
// goroutine; the server sets KeepHijackedConns, so fasthttp neither closes
// it nor keeps the request): hand it the *fasthttp/websocket.Conn, not
// gofiber's wrapper, which is pooled and reset on return (STACK.md §2), and
// read the Locals before. (fasthttp/websocket v1.5.12's upgrader pools
// nothing the Conn uses; its write buffer comes from WriteBufferPool only
// while a frame is written, so an idle socket holds none.)
func (h *handler) wsServe() fiber.Handler {
	return websocket.New(func(conn *websocket.Conn) {
		defer func() {
			if p := recover(); p != nil {
				h.Log.Error("panic in websocket handler", slog.Any("panic", p))
			}
		}()
		ident, _ := conn.Locals(localIdentity).(room.Identity)
		id, _ := conn.Locals(localInterview).(int64)
		h.Hub.Serve(h.ctx, conn.Conn, id, ident)
	}, websocket.Config{ReadBufferSize: 1024, WriteBufferSize: 1024, WriteBufferPool: &sync.Pool{}})
}

// practiceIdentity admits the holder of a practice attempt as its one
// candidate, by the practice cookie alone: a staff session does not make
// anyone staff there (a practice attempt has no panel), and an invite
// token opens no practice attempt.
func (h *handler) practiceIdentity(c *fiber.Ctx, iv store.Interview) (room.Identity, error) {
	a, err := h.Store.GetPractice(c.UserContext(), iv.ID)
	if err != nil {
		return room.Identity{}, err
	}
	if !h.holds(c, a) {
		return room.Identity{}, errCode(fiber.StatusForbidden, "forbidden", "this practice exam was started in another browser")
	}
	if iv.Status == store.StatusEnded {
		return room.Identity{}, errCode(fiber.StatusUnauthorized, "invite_expired", "the practice exam has ended; see its results")
	}
	p, err := h.practiceCandidate(c, iv.ID)
	if err != nil {
		return room.Identity{}, err
	}
	var hash string
	if p.TokenHash != nil {
		hash = *p.TokenHash
	}
	return room.Identity{ParticipantID: p.ID, Role: store.PartCandidate, Name: p.Name, TokenHash: hash}, nil
}
