package room

import (
	"encoding/json"
	"fmt"
)

// The data of every event, durable and ephemeral, as one typed struct each:
// the same type encodes the event when it is appended or published and
// decodes it when the room applies it or the gate projects it.

// statusData is interview.started and interview.ended.
type statusData struct {
	Status string `json:"status"`
}

// startedData is interview.started: a self-paced exam's carries every
// planned question (candidates' copies without model answers, see project).
type startedData struct {
	Status    string         `json:"status"`
	Pacing    string         `json:"pacing,omitempty"`
	Questions []questionData `json:"questions,omitempty"`
}

// openedData is question.opened: a self-paced candidate moved to a question.
type openedData struct {
	CandidateID int64 `json:"candidate_id"`
	Position    int   `json:"position"`
}

// extraTimeData is candidate.extra_time_changed, and the request candidate.extra_time.
type extraTimeData struct {
	CandidateID  int64 `json:"candidate_id"`
	ExtraTimePct int   `json:"extra_time_pct"`
	ExtraTimeS   int   `json:"extra_time_s"`
}

// questionData is question.pushed, and a question in the welcome. Candidates
// never get Answer or QuestionID (see project).
type questionData struct {
	Position   int    `json:"position"`
	Technology string `json:"technology"`
	Level      string `json:"level"`
	Prompt     string `json:"prompt"`
	TimeLimitS int    `json:"time_limit_s"`
	Answer     string `json:"answer,omitempty"`
	QuestionID *int64 `json:"question_id,omitempty"`
}

// timerEvent is the data of every timer.* event and of the welcome's
// timers: the deadline is absolute, and server_now lets a client draw the
// countdown with its clock offset (no per-second ticks are sent).
type timerEvent struct {
	TimerID     int64  `json:"timer_id"`
	Scope       string `json:"scope"`
	Position    int    `json:"position"`
	CandidateID int64  `json:"candidate_id,omitempty"`
	State       string `json:"state"`
	DurationMS  int64  `json:"duration_ms"`
	Deadline    string `json:"deadline,omitempty"`
	DeadlineMS  int64  `json:"deadline_ms,omitempty"`
	RemainingMS int64  `json:"remaining_ms"`
	ServerNow   string `json:"server_now"`
	AddedMS     int64  `json:"added_ms,omitempty"`
	ExtraMS     int64  `json:"extra_ms,omitempty"`
	Ended       bool   `json:"ended,omitempty"`
}

// submittedData is answer.submitted.
type submittedData struct {
	CandidateID int64  `json:"candidate_id"`
	Position    int    `json:"position"`
	Text        string `json:"text"`
	Version     int64  `json:"version"`
}

// chatData is chat.message.
type chatMessage struct {
	From int64  `json:"from"`
	Name string `json:"name"`
	Role string `json:"role"`
	Text string `json:"text"`
}

// signalEvent is candidate.focus_lost, candidate.focus_back and candidate.pasted.
type signalEvent struct {
	CandidateID int64 `json:"candidate_id"`
	Position    int   `json:"position"`
	Chars       *int  `json:"chars,omitempty"`
}

// draftEvent is answer.draft as the interviewers receive it.
type draftEvent struct {
	CandidateID int64  `json:"candidate_id"`
	Position    int    `json:"position"`
	Version     int64  `json:"version"`
	Text        string `json:"text"`
}

// savedData is answer.saved (and answer.save_failed) to the candidate.
type savedData struct {
	Position int   `json:"position"`
	Version  int64 `json:"version"`
}

// noteEvent is note.saved.
type noteEvent struct {
	AuthorID    int64  `json:"author_id"`
	CandidateID int64  `json:"candidate_id"`
	Position    int    `json:"position"`
	Text        string `json:"text"`
}

// addedData is participant.added: presence plus the candidate's accommodation.
type addedData struct {
	ParticipantID int64  `json:"participant_id"`
	Name          string `json:"name"`
	Role          string `json:"role"`
	Online        bool   `json:"online"`
	ExtraTimePct  int    `json:"extra_time_pct"`
	ExtraTimeS    int    `json:"extra_time_s"`
}

// presenceData is presence.changed.
type presenceData struct {
	ParticipantID int64  `json:"participant_id"`
	Name          string `json:"name"`
	Role          string `json:"role"`
	Online        bool   `json:"online"`
}

// candidateRef is candidate.revoked; participantRef participant.removed.
type candidateRef struct {
	CandidateID int64 `json:"candidate_id"`
}

type participantRef struct {
	ParticipantID int64 `json:"participant_id"`
}

// decodeEvent decodes an event's data into v, naming the event on failure.
func decodeEvent(typ string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("room: decode %s: %w", typ, err)
	}
	return nil
}
