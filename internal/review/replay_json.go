package review

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// The replay's JSON is written by hand: an hour of typing is thousands of
// items, and encoding/json spends more time on them (reflection, then
// compacting each item's own MarshalJSON output again) than reading them
// from the database takes. The output is what encoding/json would write
// (TestReplayJSONMatchesEncodingJSON and FuzzJSONString check it).

// MarshalReplay returns the body of GET .../replay: {"items":[...]}.
func MarshalReplay(items []Item) []byte {
	n := 16
	for i := range items {
		n += 96 + len(items[i].Text) + len(items[i].Edit.Insert)
		if items[i].Event != nil {
			n += 64 + len(items[i].Event.Type) + len(items[i].Event.Data)
		}
	}
	b := make([]byte, 0, n)
	b = append(b, `{"items":[`...)
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = items[i].appendJSON(b)
	}
	return append(b, "]}"...)
}

// MarshalJSON writes the item in its contract shape.
func (it Item) MarshalJSON() ([]byte, error) { return it.appendJSON(nil), nil }

func (it Item) appendJSON(b []byte) []byte {
	b = append(b, `{"at":`...)
	b = appendTime(b, it.At)
	b = append(b, `,"kind":`...)
	b = appendString(b, it.Kind)
	if it.Kind == KindEvent {
		e := it.Event
		b = append(b, `,"event":{"seq":`...)
		b = strconv.AppendInt(b, e.Seq, 10)
		b = append(b, `,"type":`...)
		b = appendString(b, e.Type)
		b = append(b, `,"ts":`...)
		b = appendTime(b, e.TS)
		b = append(b, `,"actor":`...)
		b = strconv.AppendInt(b, e.Actor, 10)
		b = append(b, `,"data":`...)
		if len(e.Data) == 0 {
			b = append(b, "null"...)
		} else {
			// Stored as encoding/json wrote it when the event was appended.
			b = append(b, e.Data...)
		}
		return append(b, "}}"...)
	}
	b = append(b, `,"position":`...)
	b = strconv.AppendInt(b, int64(it.Position), 10)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, it.Version, 10)
	if it.Keyframe {
		b = append(b, `,"text":`...)
		b = appendString(b, it.Text)
		return append(b, '}')
	}
	b = append(b, `,"offset":`...)
	b = strconv.AppendInt(b, int64(it.Edit.Offset), 10)
	b = append(b, `,"delete":`...)
	b = strconv.AppendInt(b, int64(it.Edit.Delete), 10)
	b = append(b, `,"insert":`...)
	b = appendString(b, it.Edit.Insert)
	return append(b, '}')
}

// appendTime writes t as time.Time's MarshalJSON does.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does by
// default: <, > and & escaped for HTML, U+2028 and U+2029 escaped, invalid
// UTF-8 replaced by U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
