// Package tree is the bridge between the live supervisor and the
// simulator: it gives the simulator a supervision tree as the live
// supervisor resolves it when it starts, so that both run the same specs
// through the same core. Package supervisor fills in [Describe]; nothing
// else may set it.
package tree

import (
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// Node is one supervisor of a tree, resolved.
type Node struct {
	// Config is the supervisor's policy with every default applied,
	// except Seed: zero when the supervisor draws a random one per run.
	Config core.Config
	// Children are in start order.
	Children []Child
}

// Child is one child of a Node.
type Child struct {
	// Spec is the child's spec exactly as the live supervisor gives it to
	// its core: defaults, the nested shutdown budget and the engine's
	// readiness applied.
	Spec core.ChildSpec
	// Sub is set for a child that is itself a supervisor.
	Sub *Node
}

// Describe returns the resolved tree of e when e is a supervisor, and nil
// otherwise. It starts nothing; a child made by a factory has its factory
// called once, as the live supervisor calls it for a first run.
var Describe func(e engine.Engine) *Node
