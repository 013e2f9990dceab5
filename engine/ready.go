package engine

import "context"

// Ready tells the supervisor that runs the engine owning ctx that the engine
// is ready to serve. Run calls it with the context it was given (or one
// derived from it), from any goroutine; calling it again is harmless, as
// the supervisor heeds only the first call per run, and a call with a
// context that no supervisor made does nothing.
func Ready(ctx context.Context) {
	if r, ok := ctx.Value(readyKey{}).(readySignaler); ok {
		r.SignalReady()
	}
}

// WithReady returns a copy of ctx whose [Ready] calls f, for a test of an
// engine that reports readiness, or a program that runs an engine without
// a supervisor. f runs on every call of Ready with the returned context or
// one derived from it, on the caller's goroutine, so it must be safe for
// concurrent use; unlike a supervisor, it sees repeated calls.
func WithReady(ctx context.Context, f func()) context.Context {
	return context.WithValue(ctx, readyKey{}, readyFunc(f))
}

// Path returns the supervision path of the engine that owns ctx, such as
// "root/jobs/consumer", or "" when ctx did not come from a supervisor.
// Engines use it to name themselves in their own logs.
func Path(ctx context.Context) string {
	p, _ := ctx.Value(pathKey{}).(string)
	return p
}

// The keys of Ready and Path are unexported, so that only a runner answers
// them and the protocol between engine and supervisor is no public API.
// The supervisor's run context is a type of its own that answers them
// without a context.WithValue per run: it recognises each key by its
// marker method, an exported method of an unexported type, which a type
// switch in another package sees but this package's API does not show.
// Its answer to readyKey is a readySignaler, to pathKey a string.
type (
	readyKey struct{}
	pathKey  struct{}
)

func (readyKey) EngineReadyKey() {}
func (pathKey) EnginePathKey()   {}

// readySignaler receives Ready for one run. SignalReady may be called more
// than once, from any goroutine.
type readySignaler interface{ SignalReady() }

type readyFunc func()

func (f readyFunc) SignalReady() { f() }
