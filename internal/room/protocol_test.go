package room

import (
	"strings"
	"testing"
)

func TestDecodeRequest(t *testing.T) {
	cases := []struct {
		in   string
		code string
	}{
		{`{"type":"hello","data":{"last_seq":3}}`, ""},
		{`{"type":"chat.send","id":"a1","data":{"text":"hi"}}`, ""},
		{`{"type":"x"}`, ""},
		{``, "bad_json"},
		{`nope`, "bad_json"},
		{`[]`, "bad_json"},
		{`{"type":"a"}{"type":"b"}`, "bad_json"},
		{`{"type":"a","extra":1}`, "bad_json"},
		{`{"type":1}`, "bad_json"},
		{`{"data":{}}`, "bad_request"},
		{`{"type":"a","id":"` + strings.Repeat("x", 65) + `"}`, "bad_request"},
		{`{"type":"a","data":"` + strings.Repeat("x", MaxFrameBytes) + `"}`, "too_large"},
	}
	for _, tc := range cases {
		_, err := DecodeRequest([]byte(tc.in))
		got := ""
		if err != nil {
			got = err.Code
		}
		if got != tc.code {
			t.Errorf("DecodeRequest(%.40q) = %q, want %q", tc.in, got, tc.code)
		}
	}
}

func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []string{`{"type":"hello","data":{"last_seq":3}}`, `{"type":"answer.draft","id":"1","data":{"text":"x","version":2}}`, `{}`, `[`, `{"type":"timer.extend","data":{"seconds":60,"scope":"exam"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeRequest(b)
		if err != nil {
			if err.Code == "" || err.Message == "" {
				t.Fatalf("error without code or message: %+v", err)
			}
			return
		}
		if r.Type == "" || len(r.ID) > 64 {
			t.Fatalf("accepted %+v", r)
		}
		// Every message type's data decoder must refuse or accept, never panic.
		for _, v := range []any{&helloData{}, &pushData{}, &timerReq{}, &draftData{}, &submitData{}, &chatData{}, &noteData{}, &signalData{}} {
			_ = decodeData(r, v)
		}
	})
}
