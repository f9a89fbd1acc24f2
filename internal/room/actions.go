package room

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ace-interviews/ace/internal/store"
)

// Request data of each client message type.
type (
	helloData struct {
		LastSeq int64 `json:"last_seq"`
	}
	pushData struct {
		Position   int   `json:"position"`
		QuestionID int64 `json:"question_id"`
		TimeLimitS *int  `json:"time_limit_s"`
	}
	timerReq struct {
		Scope   string `json:"scope"`
		Seconds int    `json:"seconds"`
	}
	draftData struct {
		Text     string `json:"text"`
		Version  int64  `json:"version"`
		Position int    `json:"position"`
	}
	submitData struct {
		Text     string `json:"text"`
		Position int    `json:"position"`
		Version  int64  `json:"version"`
	}
	chatData struct {
		Text string `json:"text"`
	}
	noteData struct {
		CandidateID int64  `json:"candidate_id"`
		Position    int    `json:"position"`
		Text        string `json:"text"`
	}
	signalData struct {
		Kind  string `json:"kind"`
		Chars int    `json:"chars"`
	}
)

// Which side may send each message type.
const (
	staffOnly     = "staff"
	candidateOnly = "candidate"
	anyone        = "anyone"
)

var handlers = map[string]struct {
	who string
	fn  func(r *Room, ctx context.Context, m *Member, req Request) *Error
}{
	"interview.start": {staffOnly, (*Room).startInterview},
	"interview.end":   {staffOnly, (*Room).endInterview},
	"question.push":   {staffOnly, (*Room).pushQuestion},
	"timer.pause":     {staffOnly, (*Room).pauseTimer},
	"timer.resume":    {staffOnly, (*Room).resumeTimer},
	"timer.extend":    {staffOnly, (*Room).extendTimer},
	"note.save":       {staffOnly, (*Room).saveNote},
	"answer.draft":    {candidateOnly, (*Room).draft},
	"answer.submit":   {candidateOnly, (*Room).submit},
	"signal":          {candidateOnly, (*Room).signal},
	"chat.send":       {anyone, (*Room).chat},
}

// handle authorises and runs one request, then answers it: exactly one
// ack or error for a request that carries an id.
func (r *Room) handle(ctx context.Context, m *Member, req Request) {
	err := r.run(ctx, m, req)
	switch {
	case err != nil:
		m.enqueue(errorFrame(req.ID, err))
	case req.ID != "":
		m.enqueue(ackFrame(req.ID))
	}
}

func (r *Room) run(ctx context.Context, m *Member, req Request) (e *Error) {
	defer func() {
		if p := recover(); p != nil {
			r.hub.log.Error("panic in room action", slog.String("type", req.Type), slog.Any("panic", p))
			e = errf("internal", "the server failed to handle %s", req.Type)
		}
	}()
	h, ok := handlers[req.Type]
	if !ok {
		if req.Type == "hello" {
			return errf("bad_request", "hello is only the first message")
		}
		return errf("unknown_type", "unknown message type %q", req.Type)
	}
	switch {
	case h.who == staffOnly && !m.id.Staff():
		return errf("forbidden", "only interviewers may send %s", req.Type)
	case h.who == candidateOnly && m.id.Staff():
		return errf("forbidden", "only candidates may send %s", req.Type)
	}
	return h.fn(r, ctx, m, req)
}

// commit runs fn in the room's transaction, maps store errors to client
// errors, and publishes what it appended. Actions go through the room's
// writer, which commits whatever has queued meanwhile in one transaction.
func (r *Room) commit(ctx context.Context, fn func(rt *store.RoomTx) *Error) *Error {
	op := &roomOp{fn: fn, done: make(chan *Error, 1)}
	gone := errf("internal", "the room closed on this server; reconnect and try again")
	select {
	case r.ops <- op:
	case <-r.stopWriter:
		return gone
	case <-ctx.Done():
		return gone
	}
	select {
	case e := <-op.done:
		return e
	case <-r.writerDone:
		select {
		case e := <-op.done:
			return e
		default:
			return gone
		}
	}
}

// roomOp is one queued action and where its outcome goes.
type roomOp struct {
	fn   func(rt *store.RoomTx) *Error
	done chan *Error
}

// maxBatch caps how many actions share one transaction.
const maxBatch = 128

// writeLoop is the room's one writer on this instance: it takes every
// action queued so far and commits them together, so the interview's seq
// row is locked once per batch rather than once per action.
func (r *Room) writeLoop() {
	for {
		var batch []*roomOp
		select {
		case op := <-r.ops:
			batch = append(batch, op)
		case <-r.stopWriter:
			// Answer what is still queued; commit sees writerDone for the rest.
			for {
				select {
				case op := <-r.ops:
					op.done <- errf("internal", "the room closed on this server; reconnect and try again")
				default:
					return
				}
			}
		}
	more:
		for len(batch) < maxBatch {
			select {
			case op := <-r.ops:
				batch = append(batch, op)
			default:
				break more
			}
		}
		r.commitBatch(batch)
	}
}

func (r *Room) commitBatch(batch []*roomOp) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fns := make([]func(rt *store.RoomTx) error, len(batch))
	for i, op := range batch {
		fns[i] = func(rt *store.RoomTx) error {
			if e := op.fn(rt); e != nil {
				return e
			}
			return nil
		}
	}
	errs, evs, err := r.hub.store.InRoomBatch(ctx, r.id, fns)
	if err != nil {
		e := errf("internal", "the server could not store this; try again")
		if errors.Is(err, store.ErrNotFound) {
			e = errf("not_found", "the interview no longer exists")
		} else {
			r.hub.log.Error("room commit", slog.Int64("interview_id", r.id), slog.Int("actions", len(batch)), slog.Any("error", err))
		}
		for _, op := range batch {
			op.done <- e
		}
		return
	}
	// Publish before answering, so an acknowledged action's events are on
	// their way to every instance.
	r.hub.publish(evs)
	for i, op := range batch {
		var e *Error
		switch {
		case errs[i] == nil:
		case errors.As(errs[i], &e):
		default:
			r.hub.log.Error("room action", slog.Int64("interview_id", r.id), slog.Any("error", errs[i]))
			e = errf("internal", "the server could not store this; try again")
		}
		op.done <- e
	}
}

// appendEvent queues an event in the room's transaction; a failure to encode
// it is the server's fault.
func appendEvent(rt *store.RoomTx, typ string, actor int64, audience string, data any) *Error {
	if err := rt.Append(typ, actor, audience, data); err != nil {
		return errf("internal", "%v", err)
	}
	return nil
}

func loadInterview(ctx context.Context, rt *store.RoomTx) (store.Interview, *Error) {
	var iv store.Interview
	if err := rt.GetContext(ctx, &iv, rt.Q(`SELECT id, title, status, exam_time_limit_s, last_seq, current_position, created_by, created_at FROM interviews WHERE id = ?`), rt.ID); err != nil {
		return iv, errf("internal", "could not read the interview")
	}
	return iv, nil
}

// notEnded refuses what an ended interview no longer takes (chat, signals),
// decided on the stored status inside the room's transaction.
func notEnded(ctx context.Context, rt *store.RoomTx) *Error {
	iv, e := loadInterview(ctx, rt)
	if e != nil {
		return e
	}
	if iv.Status == store.StatusEnded {
		return errf("interview_ended", "the interview has ended")
	}
	return nil
}

func (r *Room) startInterview(ctx context.Context, m *Member, req Request) *Error {
	if e := decodeData(req, &struct{}{}); e != nil {
		return e
	}
	return r.commit(ctx, func(rt *store.RoomTx) *Error {
		iv, e := loadInterview(ctx, rt)
		if e != nil {
			return e
		}
		switch iv.Status {
		case store.StatusLive:
			return errf("already_live", "the interview has already started")
		case store.StatusEnded:
			return errf("interview_ended", "the interview has ended")
		}
		if _, err := rt.ExecContext(ctx, rt.Q(`UPDATE interviews SET status = ? WHERE id = ?`), store.StatusLive, rt.ID); err != nil {
			return errf("internal", "could not start the interview")
		}
		if e := appendEvent(rt, "interview.started", m.id.ParticipantID, store.AudienceAll, map[string]any{"status": store.StatusLive}); e != nil {
			return e
		}
		if iv.ExamTimeLimitS > 0 {
			return startTimer(ctx, rt, "exam", 0, int64(iv.ExamTimeLimitS)*1000, m.id.ParticipantID)
		}
		return nil
	})
}

func startTimer(ctx context.Context, rt *store.RoomTx, scope string, position int, durationMS, actor int64) *Error {
	t, err := rt.PutTimer(ctx, store.Timer{Scope: scope, Position: position, State: store.TimerRunning, DurationMS: durationMS,
		DeadlineMS: rt.Now.UnixMilli() + durationMS})
	if err != nil {
		return errf("internal", "could not start the timer")
	}
	return appendEvent(rt, "timer.started", actor, store.AudienceAll, timerData(t, rt.Now))
}

func (r *Room) endInterview(ctx context.Context, m *Member, req Request) *Error {
	if e := decodeData(req, &struct{}{}); e != nil {
		return e
	}
	return r.commit(ctx, func(rt *store.RoomTx) *Error {
		iv, e := loadInterview(ctx, rt)
		if e != nil {
			return e
		}
		if iv.Status == store.StatusEnded {
			return errf("interview_ended", "the interview has already ended")
		}
		if _, err := rt.ExecContext(ctx, rt.Q(`UPDATE interviews SET status = ? WHERE id = ?`), store.StatusEnded, rt.ID); err != nil {
			return errf("internal", "could not end the interview")
		}
		// Timers stop with the interview; interview.ended tells clients so.
		if _, err := rt.ExecContext(ctx, rt.Q(`UPDATE timers SET state = ?, remaining_ms = 0 WHERE interview_id = ? AND state <> ?`),
			store.TimerExpired, rt.ID, store.TimerExpired); err != nil {
			return errf("internal", "could not stop the timers")
		}
		return appendEvent(rt, "interview.ended", m.id.ParticipantID, store.AudienceAll, map[string]any{"status": store.StatusEnded})
	})
}

func (r *Room) pushQuestion(ctx context.Context, m *Member, req Request) *Error {
	var d pushData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if (d.Position == 0) == (d.QuestionID == 0) {
		return errf("bad_request", "question.push needs either position or question_id")
	}
	if d.Position < 0 || d.QuestionID < 0 {
		return errf("bad_request", "position and question_id must be positive")
	}
	if d.TimeLimitS != nil && (*d.TimeLimitS < 0 || *d.TimeLimitS > 4*3600) {
		return errf("bad_request", "time_limit_s must be between 0 and 14400")
	}
	return r.commit(ctx, func(rt *store.RoomTx) *Error {
		iv, e := loadInterview(ctx, rt)
		if e != nil {
			return e
		}
		if iv.Status != store.StatusLive {
			return errf("not_live", "start the interview before pushing questions")
		}
		pos := d.Position
		if d.QuestionID != 0 {
			p, err := r.hub.store.AppendPlanned(ctx, rt.Tx, rt.ID, store.PlanItem{QuestionID: d.QuestionID})
			if errors.Is(err, store.ErrNotFound) {
				return errf("not_found", "no question %d in the bank", d.QuestionID)
			}
			if err != nil {
				return errf("internal", "could not add the question")
			}
			pos = p
		}
		var q store.PlannedQuestion
		if err := rt.GetContext(ctx, &q, rt.Q(`SELECT interview_id, position, question_id, technology, level, prompt, answer, time_limit_s, pushed_at
			FROM interview_questions WHERE interview_id = ? AND position = ?`), rt.ID, pos); err != nil {
			return errf("not_found", "the interview has no question at position %d", pos)
		}
		if d.TimeLimitS != nil {
			q.TimeLimitS = *d.TimeLimitS
		}
		if _, err := rt.ExecContext(ctx, rt.Q(`UPDATE interview_questions SET pushed_at = ?, time_limit_s = ? WHERE interview_id = ? AND position = ?`),
			rt.Now, q.TimeLimitS, rt.ID, pos); err != nil {
			return errf("internal", "could not push")
		}
		if _, err := rt.ExecContext(ctx, rt.Q(`UPDATE interviews SET current_position = ? WHERE id = ?`), pos, rt.ID); err != nil {
			return errf("internal", "could not push")
		}
		if err := rt.ReopenAnswers(ctx, pos); err != nil {
			return errf("internal", "could not push")
		}
		if e := appendEvent(rt, "question.pushed", m.id.ParticipantID, store.AudienceAll, questionData(q, true)); e != nil {
			return e
		}
		if q.TimeLimitS > 0 {
			return startTimer(ctx, rt, "question", pos, int64(q.TimeLimitS)*1000, m.id.ParticipantID)
		}
		return nil
	})
}

// findTimer returns the room-wide timer a timer.* request means.
func findTimer(ctx context.Context, rt *store.RoomTx, scope string) (store.Timer, *Error) {
	iv, e := loadInterview(ctx, rt)
	if e != nil {
		return store.Timer{}, e
	}
	if iv.Status == store.StatusEnded {
		return store.Timer{}, errf("interview_ended", "the interview has ended")
	}
	pos := iv.CurrentPosition
	if scope == "exam" {
		pos = 0
	}
	ts, err := rt.Timers(ctx)
	if err != nil {
		return store.Timer{}, errf("internal", "could not read timers")
	}
	for _, t := range ts {
		if t.Scope == scope && t.Position == pos && t.CandidateID == 0 {
			return t, nil
		}
	}
	return store.Timer{}, errf("no_timer", "there is no %s timer to change", scope)
}

func timerScope(d *timerReq) *Error {
	switch d.Scope {
	case "":
		d.Scope = "question"
	case "question", "exam":
	default:
		return errf("bad_request", "scope must be question or exam")
	}
	return nil
}

// changeTimer loads the timer a request names, lets change decide its new
// state, stores it and appends the event.
func (r *Room) changeTimer(ctx context.Context, m *Member, req Request, typ string, change func(t *store.Timer, now int64, d timerReq) *Error) *Error {
	var d timerReq
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if e := timerScope(&d); e != nil {
		return e
	}
	if typ == "timer.extended" && (d.Seconds < 1 || d.Seconds > 3600) {
		return errf("bad_request", "seconds must be between 1 and 3600")
	}
	return r.commit(ctx, func(rt *store.RoomTx) *Error {
		t, e := findTimer(ctx, rt, d.Scope)
		if e != nil {
			return e
		}
		now := rt.Now.UnixMilli()
		// A running timer past its deadline is expired even if no one has said so yet.
		if t.State == store.TimerRunning && t.DeadlineMS <= now && typ != "timer.extended" {
			return errf("expired", "the timer has run out")
		}
		if e := change(&t, now, d); e != nil {
			return e
		}
		t, err := rt.PutTimer(ctx, t)
		if err != nil {
			return errf("internal", "could not store the timer")
		}
		ev := timerData(t, rt.Now)
		if typ == "timer.extended" {
			ev.AddedMS = int64(d.Seconds) * 1000
		}
		return appendEvent(rt, typ, m.id.ParticipantID, store.AudienceAll, ev)
	})
}

func (r *Room) pauseTimer(ctx context.Context, m *Member, req Request) *Error {
	return r.changeTimer(ctx, m, req, "timer.paused", func(t *store.Timer, now int64, _ timerReq) *Error {
		switch t.State {
		case store.TimerPaused:
			return errf("already_paused", "the timer is already paused")
		case store.TimerExpired:
			return errf("expired", "the timer has run out")
		}
		t.State, t.RemainingMS, t.DeadlineMS = store.TimerPaused, t.DeadlineMS-now, 0
		return nil
	})
}

func (r *Room) resumeTimer(ctx context.Context, m *Member, req Request) *Error {
	return r.changeTimer(ctx, m, req, "timer.resumed", func(t *store.Timer, now int64, _ timerReq) *Error {
		if t.State != store.TimerPaused {
			return errf("not_paused", "the timer is not paused")
		}
		t.State, t.DeadlineMS, t.RemainingMS = store.TimerRunning, now+t.RemainingMS, 0
		return nil
	})
}

func (r *Room) extendTimer(ctx context.Context, m *Member, req Request) *Error {
	return r.changeTimer(ctx, m, req, "timer.extended", func(t *store.Timer, now int64, d timerReq) *Error {
		add := int64(d.Seconds) * 1000
		t.DurationMS += add
		switch {
		case t.State == store.TimerPaused:
			t.RemainingMS += add
		case t.State == store.TimerRunning && t.DeadlineMS > now:
			t.DeadlineMS += add
		default:
			// Extending a timer that ran out reopens it for the added time.
			t.State, t.DeadlineMS, t.RemainingMS = store.TimerRunning, now+add, 0
		}
		return nil
	})
}

// answerOpen decides from the room's delivered state whether a candidate
// may still answer at position: the interview is live, the position is on
// screen, and neither its timer nor the exam timer has run out.
func (r *Room) answerOpen(m *Member, position int, now time.Time) (int, *Error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pos, e := answerOpen(r.status, r.current, r.timers, m.id.ParticipantID, position, now.UnixMilli())
	if e == nil && r.submitted[store.AnswerKey{CandidateID: m.id.ParticipantID, Position: pos}] {
		return 0, errf("already_submitted", "this answer is submitted; only another submit changes it")
	}
	return pos, e
}

func answerOpen(status string, current int, timers map[timerKey]store.Timer, candidate int64, position int, now int64) (int, *Error) {
	switch status {
	case store.StatusScheduled:
		return 0, errf("not_live", "the interview has not started")
	case store.StatusEnded:
		return 0, errf("interview_ended", "the interview has ended")
	}
	if position == 0 {
		position = current
	}
	if position == 0 {
		return 0, errf("no_question", "no question has been pushed yet")
	}
	if position != current {
		return 0, errf("not_current", "only the question on screen can be answered")
	}
	for _, k := range []timerKey{{"question", position, 0}, {"question", position, candidate}, {"exam", 0, 0}, {"exam", 0, candidate}} {
		t, ok := timers[k]
		if !ok {
			continue
		}
		if t.State == store.TimerExpired || (t.State == store.TimerRunning && t.DeadlineMS <= now) {
			return 0, errf("time_up", "time is up for this question; the answer received before the deadline counts")
		}
	}
	return position, nil
}

func checkText(s string) *Error {
	if !utf8.ValidString(s) {
		return errf("bad_request", "text is not valid UTF-8")
	}
	if utf8.RuneCountInString(s) > MaxAnswerChars {
		return errf("too_large", "an answer may hold at most %d characters", MaxAnswerChars)
	}
	return nil
}

func (r *Room) draft(ctx context.Context, m *Member, req Request) *Error {
	var d draftData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if e := checkText(d.Text); e != nil {
		return e
	}
	now := r.hub.now()
	pos, e := r.answerOpen(m, d.Position, now)
	if e != nil {
		return e
	}
	if d.Version <= 0 {
		d.Version = now.UnixMilli()
	}
	draft := store.Draft{InterviewID: r.id, CandidateID: m.id.ParticipantID, Position: pos, Version: d.Version, Text: d.Text, ReceivedAt: now.UTC()}
	if !r.hub.drafts.add(pendingDraft{d: draft, m: m}) {
		return errf("busy", "the server is saving a backlog; resend shortly")
	}
	r.hub.publishEphemeral(r.id, ephemeral{Audience: store.AudienceStaff, Type: "answer.draft", TS: now,
		Data: mustJSON(map[string]any{"candidate_id": m.id.ParticipantID, "position": pos, "version": d.Version, "text": d.Text})})
	return nil
}

func (r *Room) submit(ctx context.Context, m *Member, req Request) *Error {
	var d submitData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if e := checkText(d.Text); e != nil {
		return e
	}
	var pos int
	e := r.commit(ctx, func(rt *store.RoomTx) *Error {
		// Decided on the database's state inside the room lock, not on what
		// this instance has delivered: a submission is final.
		iv, e := loadInterview(ctx, rt)
		if e != nil {
			return e
		}
		ts, err := rt.Timers(ctx)
		if err != nil {
			return errf("internal", "could not read timers")
		}
		timers := map[timerKey]store.Timer{}
		for _, t := range ts {
			timers[keyOf(t)] = t
		}
		pos, e = answerOpen(iv.Status, iv.CurrentPosition, timers, m.id.ParticipantID, d.Position, rt.Now.UnixMilli())
		if e != nil {
			return e
		}
		version := d.Version
		if version <= 0 {
			version = rt.Now.UnixMilli()
		}
		if err := rt.SubmitAnswer(ctx, m.id.ParticipantID, pos, d.Text, version); err != nil {
			return errf("internal", "could not store the answer")
		}
		return appendEvent(rt, "answer.submitted", m.id.ParticipantID, store.CandidateAudience(m.id.ParticipantID),
			map[string]any{"candidate_id": m.id.ParticipantID, "position": pos, "text": d.Text, "version": version})
	})
	if e == nil {
		// Before the ack: the candidate's next draft must see the submission,
		// which the room's own delivery of the event may not have applied yet.
		r.mu.Lock()
		r.submitted[store.AnswerKey{CandidateID: m.id.ParticipantID, Position: pos}] = true
		r.mu.Unlock()
	}
	return e
}

func (r *Room) chat(ctx context.Context, m *Member, req Request) *Error {
	var d chatData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	text := strings.TrimSpace(d.Text)
	if text == "" || utf8.RuneCountInString(text) > 2000 || !utf8.ValidString(text) {
		return errf("bad_request", "a chat message holds 1 to 2000 characters")
	}
	// A candidate's message reaches the staff only, never other candidates.
	audience := store.AudienceAll
	if !m.id.Staff() {
		audience = store.CandidateAudience(m.id.ParticipantID)
	}
	return r.commit(ctx, func(rt *store.RoomTx) *Error {
		if e := notEnded(ctx, rt); e != nil {
			return e
		}
		return appendEvent(rt, "chat.message", m.id.ParticipantID, audience,
			map[string]any{"from": m.id.ParticipantID, "name": m.id.Name, "role": m.id.Role, "text": text})
	})
}

func (r *Room) saveNote(ctx context.Context, m *Member, req Request) *Error {
	var d noteData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	if utf8.RuneCountInString(d.Text) > 20000 || !utf8.ValidString(d.Text) {
		return errf("bad_request", "a note holds at most 20000 characters")
	}
	if d.Position < 0 {
		return errf("bad_request", "position must not be negative")
	}
	// A missing candidate_id is bad input, not an unknown candidate 0
	// (docs/protocol.md: bad or missing fields get bad_request).
	if d.CandidateID <= 0 {
		return errf("bad_request", "note.save needs a candidate_id")
	}
	p, err := r.hub.store.ParticipantByID(ctx, d.CandidateID)
	if err != nil || p.InterviewID != r.id || p.Role != store.PartCandidate {
		return errf("not_found", "no candidate %d in this interview", d.CandidateID)
	}
	if err := r.hub.store.SaveNote(ctx, r.id, m.id.ParticipantID, d.CandidateID, d.Position, d.Text); err != nil {
		return errf("internal", "could not save the note")
	}
	r.hub.publishEphemeral(r.id, ephemeral{Audience: store.AudienceStaff, Type: "note.saved",
		Data: mustJSON(map[string]any{"author_id": m.id.ParticipantID, "candidate_id": d.CandidateID, "position": d.Position, "text": d.Text})})
	return nil
}

var signalTypes = map[string]string{
	"focus_lost": "candidate.focus_lost",
	"focus_back": "candidate.focus_back",
	"paste":      "candidate.pasted",
}

func (r *Room) signal(ctx context.Context, m *Member, req Request) *Error {
	var d signalData
	if e := decodeData(req, &d); e != nil {
		return e
	}
	typ, ok := signalTypes[d.Kind]
	if !ok {
		return errf("bad_request", "kind must be focus_lost, focus_back or paste")
	}
	if d.Chars < 0 || (d.Kind != "paste" && d.Chars != 0) {
		return errf("bad_request", "chars is a non-negative count, for paste only")
	}
	r.mu.Lock()
	pos := r.current
	r.mu.Unlock()
	return r.commit(ctx, func(rt *store.RoomTx) *Error {
		if e := notEnded(ctx, rt); e != nil {
			return e
		}
		data := map[string]any{"candidate_id": m.id.ParticipantID, "position": pos}
		if d.Kind == "paste" {
			data["chars"] = d.Chars
		}
		return appendEvent(rt, typ, m.id.ParticipantID, store.AudienceStaff, data)
	})
}
