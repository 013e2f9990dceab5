package engine

import "context"

// Alive tells the supervisor that runs the engine owning ctx that the
// engine is still making progress, for a child whose liveness watchdog
// expects a heartbeat (supervisor.Liveness.Watchdog). Run calls it with
// the context it was given, or one derived from it, from any goroutine,
// as often as it likes: a call records the time and nothing else, cheap
// enough for a hot loop. With a context that no supervisor made, or for a
// child without a watchdog, it does nothing that anyone reads.
func Alive(ctx context.Context) {
	if a, ok := ctx.Value(aliveKey{}).(aliveSignaler); ok {
		a.SignalAlive()
	}
}

// aliveKey is recognised, as readyKey is, by its marker method; its answer
// is an aliveSignaler.
type aliveKey struct{}

func (aliveKey) EngineAliveKey() {}

type aliveSignaler interface{ SignalAlive() }
