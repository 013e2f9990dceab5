package engine

import (
	"context"
	"time"
)

// ExtendStart asks the supervisor that runs the engine owning ctx for d
// more, from now, to become ready: the child's start timeout then ends no
// earlier than d from now (it is never shortened). It matters only while
// the run is starting, for an engine that reports readiness, and does
// nothing with a context that no supervisor made. It is sd_notify's
// EXTEND_TIMEOUT_USEC for the start.
func ExtendStart(ctx context.Context, d time.Duration) {
	if e, ok := ctx.Value(extendKey{}).(startExtender); ok && d > 0 {
		e.ExtendStart(d)
	}
}

// extendKey is recognised, as readyKey is, by its marker method; its
// answer is a startExtender.
type extendKey struct{}

func (extendKey) EngineExtendKey() {}

type startExtender interface{ ExtendStart(d time.Duration) }
