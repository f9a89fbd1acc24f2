package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	ctx := context.Background()
	h, err := HashPassword(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=32768,t=2,p=1$") {
		t.Fatalf("hash %q does not carry its parameters", h)
	}
	if err := CheckPassword(ctx, h, "correct horse battery"); err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if err := CheckPassword(ctx, h, "wrong horse battery"); !errors.Is(err, ErrMismatch) {
		t.Fatalf("wrong password: got %v, want ErrMismatch", err)
	}
	h2, _ := HashPassword(ctx, "correct horse battery")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1,p=1$@@$@@", "$bcrypt$x"} {
		if err := CheckPassword(ctx, bad, "x"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("CheckPassword(%q) = %v, want a format error", bad, err)
		}
	}
}

func TestNewToken(t *testing.T) {
	a, ha := NewToken()
	b, _ := NewToken()
	if len(a) != 43 || a == b {
		t.Fatalf("tokens %q %q: want 43 random base64url characters each", a, b)
	}
	if HashToken(a) != ha || len(ha) != 64 || strings.Contains(ha, a) {
		t.Fatalf("hash %q of %q is wrong", ha, a)
	}
}

func TestCheckNewPassword(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want error
	}{
		{"correct horse battery", nil},
		{"éléphant ok", nil},         // 11 characters
		{"ééééé", ErrPasswordShort},  // 10 bytes, 5 characters
		{"日本語のパス", ErrPasswordShort}, // 18 bytes, 6 characters
		{"short", ErrPasswordShort},
		{strings.Repeat(" ", 10), ErrPasswordBlank},
		{"\t\n \u00a0\u2003     ", ErrPasswordBlank},
		{strings.Repeat("x", MaxPasswordLen+1), ErrPasswordLong},
		{strings.Repeat("é", MaxPasswordLen), nil}, // 2048 bytes, 1024 characters
		{"1234567890", ErrPasswordCommon},
		{"Password123", ErrPasswordCommon},
		{"QWERTYUIOP", ErrPasswordCommon},
		{" qwertyuiop ", ErrPasswordCommon},
	} {
		if err := CheckNewPassword(tc.pw); !errors.Is(err, tc.want) {
			t.Errorf("CheckNewPassword(%q) = %v, want %v", tc.pw, err, tc.want)
		}
	}
}

// TestCommonPasswordList keeps the embedded list useful: every entry could
// otherwise be chosen (long enough) and is found.
func TestCommonPasswordList(t *testing.T) {
	if len(commonPasswords) < 100 {
		t.Fatalf("only %d common passwords", len(commonPasswords))
	}
	for pw := range commonPasswords {
		if len([]rune(pw)) < MinPasswordLen {
			t.Errorf("%q is shorter than %d characters: the length rule refuses it already", pw, MinPasswordLen)
		}
		if err := CheckNewPassword(strings.ToUpper(pw)); !errors.Is(err, ErrPasswordCommon) {
			t.Errorf("%q: %v", pw, err)
		}
	}
}
