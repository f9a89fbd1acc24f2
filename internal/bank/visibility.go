package bank

import (
	"fmt"
	"strings"
)

// Visibility says who may see a question. Public questions are in the
// public bank, its API and practice; private ones are for staff only, who
// may still put them in interviews (a candidate sees a question only once
// it is pushed). The empty Visibility is "not said": a new question is
// then public, and an existing one keeps what it has, so a file that does
// not mention visibility never publishes a private question.
type Visibility string

const (
	Public  Visibility = "public"
	Private Visibility = "private"
)

// ParseVisibility accepts public or private in any letter case.
func ParseVisibility(s string) (Visibility, error) {
	switch v := Visibility(strings.ToLower(strings.TrimSpace(s))); v {
	case Public, Private:
		return v, nil
	}
	return "", fmt.Errorf("unknown visibility %q (want public or private)", s)
}

// Or is v, or def when v is not said.
func (v Visibility) Or(def Visibility) Visibility {
	if v == "" {
		return def
	}
	return v
}

// SetVisibility gives every question of qs visibility v, in place: an
// import of a whole file as private (ace import --private, the import
// API's ?visibility=private) overrides what the file says.
func SetVisibility(qs []Question, v Visibility) {
	for i := range qs {
		qs[i].Visibility = v
	}
}
