package core

import "time"

// Config is a supervisor's policy, with every value literal: the core
// applies no defaults. (The supervisor package resolves its own defaults
// before building a Core.)
type Config struct {
	Strategy Strategy
	// Intensity is the most restarts allowed within any window of Period;
	// the restart that would exceed it is not made and the supervisor
	// gives up. Zero allows no restart at all.
	Intensity int
	// Period is the length of the sliding intensity window.
	Period       time.Duration
	AutoShutdown AutoShutdown
	// Seed seeds the jitter of backoff delays, so a run can be replayed.
	Seed uint64
}

// Backoff is the delay before a child's restarts: the n-th consecutive
// restart waits min(Max, Initial × Multiplier^(n-1)), spread uniformly by
// ± Jitter (a fraction of the delay). A run that lasted at least
// ResetAfter before it failed counts as the first failure again.
// ResetAfter zero never resets.
type Backoff struct {
	Initial    time.Duration
	Max        time.Duration
	Multiplier float64
	Jitter     float64
	ResetAfter time.Duration
}

// ChildSpec is what the core needs to know of a child.
type ChildSpec struct {
	// Name is unique among the supervisor's children.
	Name    string
	Restart Restart
	// Shutdown bounds each stop of the child: the shell abandons a child
	// that has not stopped by then and reports it.
	Shutdown time.Duration
	// StartTimeout bounds the time from start to ready; zero means no
	// bound. It matters only for children that report readiness.
	StartTimeout time.Duration
	Backoff      Backoff
	// Significant children shut their supervisor down on exit, with
	// [AutoShutdown].
	Significant bool
	// ReportsReady is true for children that say when they are ready;
	// others are ready as soon as they start.
	ReportsReady bool
}
