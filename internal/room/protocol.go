// Package room is the live room engine: the WebSocket protocol's messages,
// who may see what, per-instance rooms fed by one NATS subscription each,
// ordered delivery with gap repair, timers and the draft writer.
package room

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// MaxFrameBytes caps one client frame (DESIGN.md: 64 KiB).
const MaxFrameBytes = 64 << 10

// MaxAnswerChars caps an answer's text; a frame holds at most MaxFrameBytes anyway.
const MaxAnswerChars = 50000

// Request is a client frame: {"type","id"?,"data"?}.
type Request struct {
	Type string          `json:"type"`
	ID   string          `json:"id,omitempty"`
	Data json.RawMessage `json:"data,omitempty"`
}

// Error is an error the client sees in an error frame: a stable code and a message.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// DecodeRequest parses one client frame strictly: one JSON object, a known
// shape, a type, an id of at most 64 bytes, nothing after it.
func DecodeRequest(b []byte) (Request, *Error) {
	var r Request
	if len(b) > MaxFrameBytes {
		return r, errf("too_large", "a frame may hold at most %d bytes", MaxFrameBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, errf("bad_json", "the frame is not a valid message object: %v", err)
	}
	if dec.More() {
		return r, errf("bad_json", "one JSON object per frame")
	}
	if r.Type == "" {
		return r, errf("bad_request", "the frame has no type")
	}
	if len(r.ID) > 64 {
		r.ID = ""
		return r, errf("bad_request", "id is longer than 64 bytes")
	}
	return r, nil
}

// decodeData unmarshals a request's data strictly into v.
func decodeData(r Request, v any) *Error {
	data := r.Data
	if len(data) == 0 || string(data) == "null" {
		data = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return errf("bad_request", "%s: field %q has the wrong type", r.Type, ute.Field)
		}
		return errf("bad_request", "%s: bad data: %v", r.Type, err)
	}
	return nil
}

// frame is a server frame: {"type","seq"?,"ts","data"}.
type frame struct {
	Type string          `json:"type"`
	ID   string          `json:"id,omitempty"`
	Seq  int64           `json:"seq,omitempty"`
	TS   string          `json:"ts"`
	Data json.RawMessage `json:"data,omitempty"`
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func encodeFrame(f frame) []byte {
	b, err := json.Marshal(f)
	if err != nil {
		// Only our own values are encoded here; a failure is a programming error.
		panic(fmt.Sprintf("room: encode frame %s: %v", f.Type, err))
	}
	return b
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("room: encode: %v", err))
	}
	return b
}

func ackFrame(id string) []byte {
	return encodeFrame(frame{Type: "ack", ID: id, TS: ts(time.Now())})
}

func errorFrame(id string, e *Error) []byte {
	return encodeFrame(frame{Type: "error", ID: id, TS: ts(time.Now()), Data: mustJSON(e)})
}
