// Package probe takes a tree's snapshot for readers outside the tree
// (health probes, metric scrapes) so that none of them can stall it or
// pile up: one snapshot is under way at a time, and a reader waits for it
// only until its own deadline.
package probe

import (
	"context"
	"sync"

	"github.com/arborgo/arbor/supervisor"
)

// Taker takes the tree snapshots of one root.
type Taker struct {
	root *supervisor.Supervisor

	mu      sync.Mutex
	pending chan struct{} // closed when the snapshot under way is taken
	snap    *supervisor.Snapshot
}

// New returns a Taker for root.
func New(root *supervisor.Supervisor) *Taker { return &Taker{root: root} }

// Tree returns the tree's snapshot, or false when ctx ended first. The
// snapshot under way, if any, serves every caller waiting meanwhile; it
// has no deadline of its own (a supervisor's Snapshot answers or its Run
// ends), so a stuck tree holds one goroutine, however many callers come.
func (t *Taker) Tree(ctx context.Context) (*supervisor.Snapshot, bool) {
	t.mu.Lock()
	wait := t.pending
	if wait == nil {
		wait = make(chan struct{})
		t.pending = wait
		go t.take(wait)
	}
	t.mu.Unlock()
	select {
	case <-wait:
		t.mu.Lock()
		defer t.mu.Unlock()
		return t.snap, true
	case <-ctx.Done():
		return nil, false
	}
}

func (t *Taker) take(done chan struct{}) {
	snap := t.root.Tree(context.Background())
	t.mu.Lock()
	t.snap, t.pending = snap, nil
	t.mu.Unlock()
	close(done)
}
