package room

import "context"

// A message type that panics, to prove one connection's panic never takes
// the process down. Test binaries only.
func init() {
	handlers["test.panic"] = struct {
		who string
		fn  handlerFunc
	}{anyone, func(*Room, context.Context, *Member, Request) *Error { panic("test panic") }}
}
