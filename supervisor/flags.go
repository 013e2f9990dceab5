package supervisor

import "sync/atomic"

// readyFlag is a flag that is set once; set reports whether this call set
// it.
type readyFlag struct{ v atomic.Bool }

func (f *readyFlag) set() bool { return f.v.CompareAndSwap(false, true) }

// ownerClaim decides, once, who owns the end of a run.
type ownerClaim struct{ v atomic.Uint32 }

const (
	ownedByWorker  = 1
	ownedByStopper = 2
)

func (o *ownerClaim) claim(who uint32) bool { return o.v.CompareAndSwap(0, who) }

// owner returns who claimed the run, or 0.
func (o *ownerClaim) owner() uint32 { return o.v.Load() }
