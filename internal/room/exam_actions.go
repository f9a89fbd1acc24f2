package room

// CheckExtraTime validates an accommodation: a percentage of 0–400 and a
// fixed 0–14400 seconds.
func CheckExtraTime(pct, s int) *Error {
	if pct < 0 || pct > 400 {
		return errf("bad_request", "extra_time_pct must be between 0 and 400")
	}
	if s < 0 || s > 4*3600 {
		return errf("bad_request", "extra_time_s must be between 0 and 14400")
	}
	return nil
}
