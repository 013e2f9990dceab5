package supervisor

import (
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/tree"
)

func init() { tree.Describe = describe }

// describe resolves the tree under e as Run would, for the simulator.
func describe(e engine.Engine) *tree.Node {
	s, ok := e.(*Supervisor)
	if !ok {
		return nil
	}
	own, children := s.spec()
	cfg := own.resolved()
	cfg.Seed = own.Seed // the simulator derives one where Run would draw one
	specs, engines := s.childSpecs(cfg, children)
	n := &tree.Node{Config: cfg.core(), Children: make([]tree.Child, len(specs))}
	for i := range specs {
		n.Children[i] = tree.Child{Spec: specs[i], Sub: describe(engines[i])}
	}
	return n
}
