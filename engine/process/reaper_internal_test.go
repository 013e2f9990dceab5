//go:build linux

package process

import (
	"syscall"
	"testing"
)

func TestReaperBookkeeping(t *testing.T) {
	exit := func(code int) syscall.WaitStatus { return syscall.WaitStatus(code << 8) }
	r := newReaper()

	// Registered first, exits later: delivered.
	ch := r.register(r.begin(), 100)
	r.deliver(100, exit(1))
	if ws := <-ch; ws.ExitStatus() != 1 {
		t.Fatalf("status %v, want exit 1", ws)
	}

	// Exits before registration: stashed, then handed over.
	ticket := r.begin()
	r.deliver(200, exit(2))
	if ws := <-r.register(ticket, 200); ws.ExitStatus() != 2 {
		t.Fatalf("stashed status %v, want exit 2", ws)
	}

	// No start in flight: an orphan, discarded.
	r.deliver(300, exit(3))
	if len(r.stash) != 0 || r.Orphans() != 1 {
		t.Fatalf("stash %v, orphans %d: want the orphan discarded", r.stash, r.Orphans())
	}

	// Stashed during a start that turns out to be another PID: discarded
	// once that start registered, so that a later child with a recycled
	// PID does not get it.
	ticket = r.begin()
	r.deliver(400, exit(4))
	late := r.begin() // began after the stash: cannot be PID 400's
	r.register(ticket, 500)
	if _, ok := r.stash[400]; ok {
		t.Fatal("the orphan's status outlived the starts it could belong to")
	}
	r.deliver(500, exit(5))
	r.register(late, 0)
	if r.Orphans() != 2 || len(r.waiters) != 0 || len(r.pending) != 0 {
		t.Fatalf("orphans %d, waiters %v, pending %v", r.Orphans(), r.waiters, r.pending)
	}
}
