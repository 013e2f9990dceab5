package engine

import "context"

// Ready tells the supervisor that runs the engine owning ctx that the engine
// is ready to serve. Run calls it with the context it was given (or one
// derived from it), from any goroutine; calling it again is harmless, as
// the supervisor heeds only the first call per run, and a call with a
// context that no supervisor made does nothing.
func Ready(ctx context.Context) {
	if r, ok := ctx.Value(readyKey{}).(ReadySignaler); ok {
		r.SignalReady()
	}
}

// ReadySignaler receives [Ready] for one run of an engine. A supervisor, or
// any other runner of engines, attaches one to Run's context with
// [WithReadySignaler]; engines never implement it. SignalReady may be
// called more than once, from any goroutine, and must ignore repeats.
type ReadySignaler interface {
	SignalReady()
}

type readyKey struct{}

// WithReadySignaler returns a copy of ctx whose [Ready] calls r. Runners of
// engines call it once per Run; the supervisor package uses a context type
// of its own that answers the same key without this allocation.
func WithReadySignaler(ctx context.Context, r ReadySignaler) context.Context {
	return context.WithValue(ctx, readyKey{}, r)
}

// ReadyKey is the context key that [Ready] looks up. It is exported for
// runners that implement [context.Context] themselves; engines never use it.
func ReadyKey() any { return readyKey{} }

type pathKey struct{}

// Path returns the supervision path of the engine that owns ctx, such as
// "root/jobs/consumer", or "" when ctx did not come from a supervisor.
// Engines use it to name themselves in their own logs.
func Path(ctx context.Context) string {
	p, _ := ctx.Value(pathKey{}).(string)
	return p
}

// WithPath returns a copy of ctx whose [Path] is path. Runners of engines
// call it; engines never need to.
func WithPath(ctx context.Context, path string) context.Context {
	return context.WithValue(ctx, pathKey{}, path)
}

// PathKey is the context key that [Path] looks up, for runners that
// implement [context.Context] themselves.
func PathKey() any { return pathKey{} }
