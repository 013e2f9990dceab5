package core

import "time"

// Config is a supervisor's policy, with every value literal: the core
// applies no defaults. (The supervisor package resolves its own defaults
// before building a Core.)
type Config struct {
	// Strategy is which children restart together.
	Strategy Strategy
	// Intensity is the most restarts allowed within any window of Period;
	// the restart that would exceed it is not made and the supervisor
	// gives up. Zero allows no restart at all.
	Intensity int
	// Period is the length of the sliding intensity window.
	Period time.Duration
	// AutoShutdown is whether significant children end the supervisor.
	AutoShutdown AutoShutdown
	// Seed seeds the jitter of backoff delays, so a run can be replayed.
	Seed uint64
	// Drain delays a requested shutdown: Stop reports draining and the
	// children keep running, and restarting, until it has passed. A
	// give-up or an auto-shutdown does not drain.
	Drain time.Duration
}

// Backoff is the delay before a child's restarts: the n-th consecutive
// restart waits min(Max, Initial × Multiplier^(n-1)), spread uniformly by
// ± Jitter (a fraction of the delay). A run that lasted at least
// ResetAfter before it failed counts as the first failure again.
// ResetAfter zero never resets.
type Backoff struct {
	// Initial is the first delay; zero disables backoff.
	Initial time.Duration
	// Max caps the delay before jitter; zero means no cap.
	Max time.Duration
	// Multiplier grows the delay per consecutive restart.
	Multiplier float64
	// Jitter is the fraction by which each delay is spread.
	Jitter float64
	// ResetAfter is how long a run must last to reset the growth.
	ResetAfter time.Duration
}

// ChildSpec is what the core needs to know of a child.
type ChildSpec struct {
	// Name is unique among the supervisor's children.
	Name string
	// Restart is when the child is started again after it ended.
	Restart Restart
	// Shutdown bounds each stop of the child: the shell abandons a child
	// that has not stopped by then and reports it.
	Shutdown time.Duration
	// StartTimeout bounds the time from start to ready; zero means no
	// bound. It matters for children that report readiness, and for any
	// start held while an abandoned Run is out (see [Abandoned]): a start
	// still held after StartTimeout fails with [ErrRunOut].
	StartTimeout time.Duration
	// Backoff is the delay before the child's restarts.
	Backoff Backoff
	// Significant children shut their supervisor down on exit, with
	// [AutoShutdown].
	Significant bool
	// ReportsReady is true for children that say when they are ready;
	// others are ready as soon as they start.
	ReportsReady bool
	// Overlaps is true for children whose every run has an engine of its
	// own: a run may start while an abandoned one is still out. Others
	// wait, Abandoned, until the shell reports AbandonedReturned.
	Overlaps bool
	// Liveness finds a ready run that is alive but hung.
	Liveness Liveness
}

// holdBound is how long a start waits for an abandoned Run to return. A
// child without a start timeout (a nested supervisor, bounded by its own
// children's) waits as long as its stop may take: the Run it waits for is
// one that already outlasted that.
func (s ChildSpec) holdBound() time.Duration {
	if s.StartTimeout > 0 {
		return s.StartTimeout
	}
	return s.Shutdown
}
