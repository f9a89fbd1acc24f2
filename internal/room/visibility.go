package room

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/ace-interviews/ace/internal/store"
)

// Identity is who a connection is: a participant of the interview.
type Identity struct {
	ParticipantID int64
	Role          string // store.PartInterviewer or store.PartCandidate
	Name          string
	// UserID is a staff member's account, so a role change or a disabled
	// account reaches their sockets (KickUser); 0 for candidates.
	UserID int64
	// TokenHash is the invite a candidate connected with: membership is
	// decided again against the stored hash when the socket joins the room.
	TokenHash string
}

// Staff reports whether the identity is on the interviewing side.
func (id Identity) Staff() bool { return id.Role == store.PartInterviewer }

// This file is the one gate of what a member may see: which events reach
// whom (visibleTo, with timerAudience deciding a timer's audience), what a
// candidate's copy of an event leaves out (project), and the welcome, built
// from the same rules. Live delivery, replay on reconnect and the REST
// transcript all go through it.

// Ephemeral audiences beyond the durable ones: "only:c<id>" reaches one
// candidate and nobody else (answer.saved).
const audienceOnlyPrefix = "only:"

func audienceOnly(candidateID int64) string {
	return audienceOnlyPrefix + "c" + strconv.FormatInt(candidateID, 10)
}

// visibleTo is the one rule of who may see an event: staff see everything;
// a candidate sees room-wide events and their own ("c<id>"), nothing else.
func visibleTo(audience string, id Identity) bool {
	if rest, ok := strings.CutPrefix(audience, audienceOnlyPrefix); ok {
		return !id.Staff() && rest == store.CandidateAudience(id.ParticipantID)
	}
	if id.Staff() {
		return true
	}
	return audience == store.AudienceAll || audience == store.CandidateAudience(id.ParticipantID)
}

// timerAudience is where a timer's audience is decided, for its events and
// for the welcome alike: a personal timer (one candidate's extra time, a
// self-paced limit) reaches that candidate and the staff only.
func timerAudience(t store.Timer) string {
	if t.CandidateID != 0 {
		return store.CandidateAudience(t.CandidateID)
	}
	return store.AudienceAll
}

// project returns an event's data as a member of the given side receives
// it: candidates never get a model answer or the bank's question id.
func project(typ string, data json.RawMessage, staff bool) (json.RawMessage, error) {
	if staff {
		return data, nil
	}
	switch typ {
	case "question.pushed":
		var q questionData
		if err := decodeEvent(typ, data, &q); err != nil {
			return nil, err
		}
		return mustJSON(q.forSide(false)), nil
	case "interview.started":
		var d startedData
		if err := decodeEvent(typ, data, &d); err != nil {
			return nil, err
		}
		if len(d.Questions) == 0 {
			return data, nil
		}
		for i := range d.Questions {
			d.Questions[i] = d.Questions[i].forSide(false)
		}
		return mustJSON(d), nil
	}
	return data, nil
}

// forSide is a question as one side sees it.
func (q questionData) forSide(staff bool) questionData {
	if !staff {
		q.Answer, q.QuestionID = "", nil
	}
	return q
}

// Project returns ev as id may see it, and false when id may not see it at
// all. The REST transcript uses it; live delivery caches the same result
// per event (see delivered).
func Project(ev store.Event, id Identity) (store.Event, bool) {
	if !visibleTo(ev.Audience, id) {
		return ev, false
	}
	data, err := project(ev.Type, json.RawMessage(ev.Data), id.Staff())
	if err != nil {
		return ev, false
	}
	ev.Data = store.JSON(data)
	return ev, true
}

// delivered is an event ready for sockets, serialised once per side rather
// than once per member.
type delivered struct {
	ev        store.Event
	staff     []byte
	candidate []byte // nil until a candidate needs it
	bad       bool   // the candidate projection failed: candidates get nothing
}

func newDelivered(ev store.Event) *delivered {
	return &delivered{ev: ev, staff: encodeFrame(frame{Type: ev.Type, Seq: ev.Seq, TS: ts(ev.CreatedAt), Data: json.RawMessage(ev.Data)})}
}

// frameFor returns the bytes id receives, or nil when id may not see the event.
func (d *delivered) frameFor(id Identity) []byte {
	if !visibleTo(d.ev.Audience, id) {
		return nil
	}
	if id.Staff() {
		return d.staff
	}
	if d.candidate == nil && !d.bad {
		data, err := project(d.ev.Type, json.RawMessage(d.ev.Data), false)
		if err != nil {
			d.bad = true
			return nil
		}
		d.candidate = encodeFrame(frame{Type: d.ev.Type, Seq: d.ev.Seq, TS: ts(d.ev.CreatedAt), Data: data})
	}
	return d.candidate
}

// snapshot is the room as the database holds it, read for one joining
// member outside any lock.
type snapshot struct {
	iv           store.Interview
	self         store.Participant
	user         *store.User // a staff member's account, read again at join
	questions    []store.PlannedQuestion
	timers       []store.Timer
	participants []store.Participant // staff only
	answers      []store.Answer      // staff: everyone's; a candidate: their own
	notes        []store.Note        // staff only
}

func loadSnapshot(ctx context.Context, st *store.Store, interviewID int64, id Identity) (snapshot, error) {
	var s snapshot
	var err error
	if s.self, err = st.ParticipantByID(ctx, id.ParticipantID); err != nil {
		return s, err
	}
	if s.iv, err = st.GetInterview(ctx, interviewID); err != nil {
		return s, err
	}
	if id.UserID != 0 {
		u, err := st.UserByID(ctx, id.UserID)
		if err != nil {
			return s, err
		}
		s.user = &u
	}
	if s.questions, err = st.PlannedQuestions(ctx, interviewID); err != nil {
		return s, err
	}
	if s.timers, err = st.RoomTimers(ctx, interviewID); err != nil {
		return s, err
	}
	if !id.Staff() {
		s.answers, err = st.Answers(ctx, interviewID, id.ParticipantID)
		return s, err
	}
	if s.participants, err = st.Participants(ctx, interviewID); err != nil {
		return s, err
	}
	if s.answers, err = st.Answers(ctx, interviewID, 0); err != nil {
		return s, err
	}
	s.notes, err = st.Notes(ctx, interviewID)
	return s, err
}

// welcomeData is the first frame after hello: who you are and the room as it stands.
type welcomeData struct {
	Role            string               `json:"role"`
	ParticipantID   int64                `json:"participant_id"`
	Name            string               `json:"name"`
	Interview       welcomeInterview     `json:"interview"`
	ExtraTimePct    int                  `json:"extra_time_pct"`
	ExtraTimeS      int                  `json:"extra_time_s"`
	LastSeq         int64                `json:"last_seq"`
	ServerNow       string               `json:"server_now"`
	Question        *questionData        `json:"question"`
	Questions       []questionData       `json:"questions"`
	Timers          []timerEvent         `json:"timers"`
	Answers         []welcomeAnswer      `json:"answers"`
	Participants    []welcomeParticipant `json:"participants,omitempty"`
	Notes           []noteEvent          `json:"notes,omitempty"`
	DraftIntervalMS int                  `json:"draft_interval_ms"`
}

type welcomeInterview struct {
	ID              int64  `json:"id"`
	Title           string `json:"title"`
	Status          string `json:"status"`
	Pacing          string `json:"pacing"`
	ExamTimeLimitS  int    `json:"exam_time_limit_s"`
	CurrentPosition int    `json:"current_position"`
}

type welcomeAnswer struct {
	CandidateID int64  `json:"candidate_id,omitempty"`
	Position    int    `json:"position"`
	Text        string `json:"text"`
	Version     int64  `json:"version"`
	Submitted   bool   `json:"submitted"`
}

type welcomeParticipant struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Role         string `json:"role"`
	Revoked      bool   `json:"revoked"`
	Position     int    `json:"position"`
	ExtraTimePct int    `json:"extra_time_pct"`
	ExtraTimeS   int    `json:"extra_time_s"`
}

// welcomeFor builds the welcome from a snapshot by the same rules as live
// delivery: candidates see pushed questions without model answers, their own
// answers and the timers whose audience includes them. draftEvery is the
// room's draft interval, the same for staff and candidates (a candidate's
// snapshot holds no participant list to count).
func welcomeFor(id Identity, s snapshot, now time.Time, draftEvery time.Duration) welcomeData {
	staff := id.Staff()
	w := welcomeData{
		Role: id.Role, ParticipantID: id.ParticipantID, Name: id.Name,
		Interview: welcomeInterview{ID: s.iv.ID, Title: s.iv.Title, Status: s.iv.Status, Pacing: s.iv.Pacing, ExamTimeLimitS: s.iv.ExamTimeLimitS,
			CurrentPosition: s.iv.CurrentPosition},
		LastSeq: s.iv.LastSeq, ServerNow: ts(now),
		Questions: []questionData{}, Timers: []timerEvent{}, Answers: []welcomeAnswer{},
		DraftIntervalMS: int(draftEvery.Milliseconds()),
	}
	selfPaced := s.iv.Pacing == store.PacingSelfPaced
	if !staff {
		w.ExtraTimePct, w.ExtraTimeS = s.self.ExtraTimePct, s.self.ExtraTimeS
		if selfPaced {
			// A self-paced candidate's question is the one they have open.
			w.Interview.CurrentPosition = s.self.Position
		}
	}
	for _, q := range s.questions {
		// Candidates see a pushed question once pushed, a self-paced exam's
		// questions once it has started.
		shown := q.PushedAt != nil || (selfPaced && s.iv.Status != store.StatusScheduled)
		if !shown && !staff {
			continue
		}
		v := plannedData(q).forSide(staff)
		if q.Position == w.Interview.CurrentPosition {
			w.Question = &v
		}
		w.Questions = append(w.Questions, v)
	}
	for _, t := range s.timers {
		if visibleTo(timerAudience(t), id) {
			w.Timers = append(w.Timers, timerData(t, now))
		}
	}
	for _, a := range s.answers {
		if !staff && a.CandidateID != id.ParticipantID {
			continue
		}
		wa := welcomeAnswer{Position: a.Position, Text: a.Text, Version: a.Version, Submitted: a.Submitted == 1}
		if staff {
			wa.CandidateID = a.CandidateID
		}
		w.Answers = append(w.Answers, wa)
	}
	if staff {
		for _, p := range s.participants {
			w.Participants = append(w.Participants, welcomeParticipant{ID: p.ID, Name: p.Name, Role: p.Role, Revoked: p.RevokedAt != nil,
				Position: p.Position, ExtraTimePct: p.ExtraTimePct, ExtraTimeS: p.ExtraTimeS})
		}
		for _, n := range s.notes {
			w.Notes = append(w.Notes, noteEvent{AuthorID: n.AuthorID, CandidateID: n.CandidateID, Position: n.Position, Text: n.Text})
		}
	}
	return w
}

// plannedData is a planned question as an event carries it (staff side).
func plannedData(q store.PlannedQuestion) questionData {
	return questionData{Position: q.Position, Technology: q.Technology, Level: q.Level, Prompt: q.Prompt, TimeLimitS: q.TimeLimitS,
		Answer: q.Answer, QuestionID: q.QuestionID}
}

// admit decides membership as the socket joins, against the stored
// participant: the upgrade's check is not enough, since a socket may wait
// before hello. A revocation or re-issue is committed before its kick is
// published, and the joining socket is registered with the room before this
// read, so it either sees the change here or is reached by the kick.
func admit(id Identity, s snapshot, interviewID int64) *Error {
	p := s.self
	candidate := !id.Staff()
	switch {
	case p.InterviewID != interviewID || p.Role != id.Role:
		return errf("forbidden", "you are not a participant of this interview")
	case p.RevokedAt != nil && candidate:
		return errf("revoked", "this invite was revoked")
	case p.RevokedAt != nil:
		return errf("removed", "you were removed from this interview")
	case s.user != nil && (s.user.Disabled() || (s.user.Role != store.RoleAdmin && s.user.Role != store.RoleInterviewer)):
		// The account changed between the upgrade and hello (KickUser reaches
		// only sockets it finds).
		return errf("forbidden", "your account may no longer join this room")
	case candidate && (p.TokenHash == nil || *p.TokenHash != id.TokenHash):
		return errf("bad_token", "this invite link was replaced by a newer one")
	case candidate && s.iv.Status == store.StatusEnded:
		return errf("invite_expired", "the interview has ended; the invite no longer opens the room")
	}
	return nil
}

// draftInterval is how often a candidate's page sends its draft: as often as
// keystrokes matter in a small room, less often in a big one, so that 200
// typists stay within what the interviewers' consoles can draw.
func draftInterval(candidates int) int {
	return min(500, max(80, candidates*5/2))
}
