package supervisor

import (
	"sync"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// carry is what a Supervisor keeps of one of its children across its own
// runs: a Run of the child's engine that a run of the supervisor
// abandoned and that has not returned. Every run of a supervisor starts
// with a fresh core, so without it a parent that restarts a child
// supervisor, or a user who runs one again, would start an engine whose
// last Run is still out. The next run's core is told (core.MarkRunOut) and
// holds the child; the worker of the Run still out tells that run when it
// returns. A child with a factory (Child.New) needs none: each of its runs
// has an engine of its own.
type carry struct {
	mu  sync.Mutex
	run *run // the Run still out; nil when there is none
	// cur is the child in the supervisor's current run, nil between runs;
	// waiting says that its core waits for run to return.
	cur     *child
	waiting bool
}

// bind makes c the child's shell in a new run of the supervisor, and tells
// that run's core if the child's engine still has a Run out.
func (k *carry) bind(now time.Time, cr *core.Core, c *child) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.cur, k.waiting = c, k.run != nil
	c.carry = k
	if k.waiting {
		cr.MarkRunOut(now, c.cc)
	}
}

// handOver ends the current run's hold on the child as the run ends, and
// keeps its abandoned Run, if one is still out, for the next run. A Run
// carried from an earlier run, that the child never got to start after,
// stays carried.
func (k *carry) handOver() {
	k.mu.Lock()
	defer k.mu.Unlock()
	c := k.cur
	k.cur, k.waiting = nil, false
	if c == nil || k.run != nil || c.cur == nil || !c.cc.RunOut() {
		return
	}
	if c.cur.abandon.Load()&abandonBack != abandonBack {
		// Not back yet: its worker finds it here when it is.
		k.run = c.cur
	}
}

// release takes back r, whose Run has returned, and reports whether it
// was carried; the run of the supervisor that waits for it, if any, is
// told. The input is sent once the lock is let go, as a run that ends
// meanwhile takes the lock to hand over.
func (k *carry) release(r *run) bool {
	k.mu.Lock()
	if k.run != r {
		k.mu.Unlock()
		return false
	}
	k.run = nil
	var to *child
	if k.waiting {
		to, k.waiting = k.cur, false
	}
	k.mu.Unlock()
	if to != nil {
		to.sup.send(core.Input{Kind: core.AbandonedReturned, Child: to.cc})
	}
	return true
}

// abandonedBack reports that the Run of r, a run whose stop was reported
// abandoned, has returned: to the run of the supervisor that now waits for
// it, if r was carried over, or else to r's own.
func (c *child) abandonedBack(r *run) {
	if c.carry != nil && c.carry.release(r) {
		return
	}
	c.sup.send(core.Input{Kind: core.AbandonedReturned, Child: c.cc, Gen: r.gen})
}
