package auth

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MinPasswordLen and MaxPasswordLen bound a new password, in characters
// (not bytes: "ééééé" is five characters, not ten).
const (
	MinPasswordLen = 10
	MaxPasswordLen = 1024
)

// Reasons CheckNewPassword refuses a password. Their texts are shown to the
// person choosing it.
var (
	ErrPasswordShort  = fmt.Errorf("use a password of at least %d characters", MinPasswordLen)
	ErrPasswordLong   = fmt.Errorf("use a password of at most %d characters", MaxPasswordLen)
	ErrPasswordBlank  = errors.New("use a password that is not only spaces")
	ErrPasswordCommon = errors.New("this password is one of the most common ones: choose another")
)

//go:embed common_passwords.txt
var commonPasswordsTxt string

// commonPasswords is the embedded list, lower case.
var commonPasswords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for line := range strings.Lines(commonPasswordsTxt) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = struct{}{}
		}
	}
	return m
}()

// CheckNewPassword is the one rule for every new staff password (setup
// page, admin form, ace user add): 10 to 1024 characters, not only white
// space, and not one of the most common passwords in any letter case.
func CheckNewPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return ErrPasswordShort
	case n > MaxPasswordLen:
		return ErrPasswordLong
	case strings.TrimSpace(pw) == "":
		return ErrPasswordBlank
	}
	if _, ok := commonPasswords[strings.ToLower(strings.TrimSpace(pw))]; ok {
		return ErrPasswordCommon
	}
	return nil
}
