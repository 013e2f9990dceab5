package engine

import "context"

// Engine is a supervised component.
//
// Run blocks until the engine is finished or ctx is cancelled, and returns
// nil for a normal finish. A supervisor calls it on a goroutine of its own,
// once per start; a panic in Run is recovered by the supervisor and becomes
// a [*PanicError].
//
// Stop asks the engine to finish gracefully and releases its resources; ctx
// bounds how long it may take. It must be idempotent and safe to call at any
// time (see the package documentation); a supervisor calls it after every
// exit of Run and when it stops the engine on purpose. After Stop returns,
// the supervisor also cancels Run's context and waits, bounded, for Run to
// return.
type Engine interface {
	Run(ctx context.Context) error
	Stop(ctx context.Context) error
}

// Readier is implemented by an engine that reports when it is ready to
// serve, for example once its listener is bound.
//
// When ReportsReady returns true, the engine's Run must call [Ready] with
// the context it was given once it is ready; its supervisor starts the next
// sibling only then, and counts a Run that returns first, or a readiness
// that does not come within the child's start timeout, as a failure to
// start. An engine that does not implement Readier, or whose ReportsReady
// returns false, counts as ready as Run is called: its next sibling's Run
// may begin before any of its own Run's body has run, so an engine whose
// later siblings depend on it should report readiness. ReportsReady is
// called once per start, so a wrapper can forward the answer of the engine
// it wraps.
//
// A one-shot step, such as a migration that later siblings need done,
// calls Ready on Run's own goroutine just before Run returns nil: it is
// ready once done, so the next sibling starts only then (supervise it with
// Restart Transient, so that its normal end is not restarted).
type Readier interface {
	Engine
	ReportsReady() bool
}
