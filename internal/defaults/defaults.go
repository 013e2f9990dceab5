// Package defaults holds the values that zero fields of a supervisor's
// policy take, in one place, so that a Go program (package supervisor)
// and a supervise file (cmd/supervise) that leave a setting out behave
// alike. It is internal: users read the values in the field docs of
// supervisor.Config and in docs/semantics.md, and ask for them by leaving
// the field zero.
//
// Together they ride out a dependency that is down for half a minute: a
// child that fails at once on every start is restarted 10 times over
// about 40 s, with delays growing from 100 ms to 10 s, before its
// supervisor gives up (docs/semantics.md has the simulated figures).
// OTP's own defaults are Intensity 1, Period 5 s and no backoff.
package defaults

import "time"

// The defaults, named after the supervisor.Config and supervisor.Backoff
// fields they fill.
const (
	Intensity         = 10
	Period            = 2 * time.Minute
	Shutdown          = 5 * time.Second
	StartTimeout      = time.Minute
	BackoffInitial    = 100 * time.Millisecond
	BackoffMax        = 10 * time.Second
	BackoffMultiplier = 2.0
	BackoffJitter     = 0.1
	BackoffResetAfter = time.Minute
)
