package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// checkInput answers 400 bad_input when the path, a query parameter or a
// form field (its name or its value, once percent-decoded) is not valid
// UTF-8 or holds a NUL. Both would otherwise reach the database as they
// are: PostgreSQL refuses them in text (a 500) and SQLite's FTS5 stops
// reading at NUL (STACK.md §20). Uploaded file contents are left to the
// import parser, which reports the file and line.
func checkInput(c *fiber.Ctx) error {
	req := c.Request()
	if !cleanText(req.URI().Path()) {
		return badInput("the address")
	}
	for k, v := range req.URI().QueryArgs().All() {
		if !cleanText(k) || !cleanText(v) {
			return badInput("the query parameter " + quoteName(k))
		}
	}
	ct := string(req.Header.ContentType())
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		for k, v := range req.PostArgs().All() {
			if !cleanText(k) || !cleanText(v) {
				return badInput("the form field " + quoteName(k))
			}
		}
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		// A body that does not parse is left to the handler, as before.
		form, err := req.MultipartForm()
		if err != nil {
			break
		}
		for k, vs := range form.Value {
			for _, v := range vs {
				if !cleanString(k) || !cleanString(v) {
					return badInput("the form field " + quoteName([]byte(k)))
				}
			}
		}
		for k, fs := range form.File {
			for _, f := range fs {
				if !cleanString(k) || !cleanString(f.Filename) {
					return badInput("the name of the uploaded file")
				}
			}
		}
	}
	return c.Next()
}

func cleanText(b []byte) bool { return utf8.Valid(b) && bytes.IndexByte(b, 0) < 0 }

func cleanString(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// quoteName quotes a parameter name for a message, escaping the very bytes
// that made it unacceptable.
func quoteName(b []byte) string { return strconv.Quote(string(b)) }

func badInput(what string) error {
	return errCode(fiber.StatusBadRequest, "bad_input", what+" is not valid UTF-8 text or contains a NUL character")
}

// decodeStrictJSON decodes body, which must be exactly one JSON value with
// only known fields, into v. encoding/json alone would accept what Ace must
// not store: it turns invalid UTF-8 into U+FFFD, keeps "\u0000" as NUL and
// ignores everything after the first value.
func decodeStrictJSON(body []byte, v any) error {
	if !utf8.Valid(body) {
		return badInput("the JSON body")
	}
	if err := scanJSON(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errCode(fiber.StatusBadRequest, "bad_json", "invalid JSON: "+err.Error())
	}
	return nil
}

// scanJSON walks body's tokens: a NUL in any string (a key or a value) is
// bad_input, and anything after the first complete value is bad_json.
func scanJSON(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			// A syntax error (or an empty body) is reported by the real decode.
			return nil
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if strings.IndexByte(t, 0) >= 0 {
				return badInput("a string in the JSON body")
			}
		}
		if depth == 0 {
			break
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errCode(fiber.StatusBadRequest, "bad_json", "invalid JSON: the body must hold one JSON value and nothing after it")
	}
	return nil
}
