package sim

import (
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// lastBeat reports a leaf's last heartbeat before its timer's fire is
// handled, as the live shell does for a child with a watchdog.
func (s *simulator) lastBeat(in *inst, cc *core.Child) {
	if cc == nil || cc.Spec().Liveness.Watchdog <= 0 || cc.State() != core.StateRunning {
		return
	}
	n, ok := cc.Tag.(*node)
	if !ok || n.group != nil || n.inst != in || n.cc != cc || n.gen != cc.Gen() || n.ended {
		return
	}
	if at, ok := n.run.lastBeat(s.now, n.faults.Hang.Beat); ok {
		s.exec(in, in.core.Handle(s.at(), core.Input{Kind: core.Heartbeat, Child: cc, Gen: n.gen, At: epoch.Add(at)}))
	}
}

// probeDone answers a probe: it fails while the leaf is hung. A nested
// supervisor has no hangs of its own, and passes.
func (s *simulator) probeDone(in *inst, cc *core.Child, gen uint64) {
	if in.finished {
		return
	}
	var err error
	if n := cc.Tag.(*node); n.group == nil && n.inst == in && n.gen == gen && !n.ended && n.run.hungAt(s.now) {
		err = errHung
	}
	s.exec(in, in.core.Handle(s.at(), core.Input{Kind: core.ProbeDone, Child: cc, Gen: gen, Err: err}))
}
