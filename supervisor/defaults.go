package supervisor

import "time"

// The values that zero fields of a Config take. Together they ride out a
// dependency that is down for half a minute: a child that fails at once on
// every start is restarted 10 times over about 40 s, with delays growing
// from 100 ms to 10 s, before its supervisor gives up (docs/semantics.md
// has the simulated figures). OTP's own are intensity 1 in 5 s and no
// backoff.
const (
	defaultIntensity    = 10
	defaultPeriod       = 2 * time.Minute
	defaultShutdown     = 5 * time.Second
	defaultStartTimeout = time.Minute
)

var defaultBackoff = Backoff{
	Initial:    100 * time.Millisecond,
	Max:        10 * time.Second,
	Multiplier: 2,
	Jitter:     0.1,
	ResetAfter: time.Minute,
}

// DefaultConfig returns the policy that a zero Config stands for, every
// field spelled out: what a supervisor does with the fields left zero,
// and what a program or a file format that fills in a Config of its own
// (as supervise does) should start from to behave alike. Shutdown and
// StartTimeout are the children's defaults; a nested supervisor's own stop
// bound is derived from its children's. Seed is zero: each run draws one.
func DefaultConfig() Config {
	return Config{
		Intensity:    defaultIntensity,
		Period:       defaultPeriod,
		Backoff:      defaultBackoff,
		Shutdown:     defaultShutdown,
		StartTimeout: defaultStartTimeout,
	}
}
