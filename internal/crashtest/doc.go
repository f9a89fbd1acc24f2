// Package crashtest holds tests that run real `ace serve` processes and kill
// them with SIGKILL mid-session: no graceful close, no flushed queues. The
// in-process harness (internal/livetest) cannot show this, because its
// Kill still runs Go code on the way down.
package crashtest
