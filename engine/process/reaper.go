package process

import (
	"math"
	"sync"
	"sync/atomic"
	"syscall"
)

// Reaper owns all waiting for child processes of this program while it
// runs: it reaps every child that exits, delivers the status to the
// [Process] (or readiness probe) that started it, and discards the statuses
// of orphans that the kernel re-parented to this program, which is the
// point of running it as a container's PID 1 or as a child subreaper.
//
// Start one with [StartReaper]. While it runs, every child of the program
// must be started by this package: a child started with plain os/exec is
// reaped by the reaper too, and its Cmd.Wait fails with ECHILD.
type Reaper struct {
	done    chan struct{}
	wake    chan struct{}
	orphans atomic.Int64

	mu      sync.Mutex
	waiters map[int]chan syscall.WaitStatus // registered PID → its status
	// A child can exit and be reaped between fork and registration, so
	// statuses of unknown PIDs are stashed while any start is in flight.
	stash      map[int]stashedStatus
	pending    map[uint64]struct{} // tickets of starts in flight
	lastTicket uint64
	closing    bool
}

// stashedStatus is the status of an unregistered PID. It can only belong to
// a start whose ticket is at most upTo, so it is discarded, as an orphan's,
// once all of those starts registered: keeping it longer would hand it to an
// unrelated later child that got the same PID.
type stashedStatus struct {
	ws   syscall.WaitStatus
	upTo uint64
}

var (
	// reaperMu guards activeReaper and is taken before any Reaper.mu.
	reaperMu     sync.Mutex
	activeReaper *Reaper
)

func newReaper() *Reaper {
	return &Reaper{
		done:    make(chan struct{}),
		wake:    make(chan struct{}, 1),
		waiters: make(map[int]chan syscall.WaitStatus),
		stash:   make(map[int]stashedStatus),
		pending: make(map[uint64]struct{}),
	}
}

// Done is closed once the reaper stopped: its context ended and every
// child registered with it was delivered its status. From then on,
// processes are waited for with os/exec again.
func (r *Reaper) Done() <-chan struct{} { return r.done }

// Orphans returns how many re-parented orphans the reaper reaped so far.
func (r *Reaper) Orphans() int64 { return r.orphans.Load() }

// beginChild announces a start to the active reaper, if any, and returns
// it with the ticket that register must be given; (nil, 0) means "wait with
// os/exec".
func beginChild() (*Reaper, uint64) {
	reaperMu.Lock()
	defer reaperMu.Unlock()
	r := activeReaper
	if r == nil {
		return nil, 0
	}
	return r, r.begin()
}

// begin records a start in flight and returns its ticket.
func (r *Reaper) begin() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastTicket++
	r.pending[r.lastTicket] = struct{}{}
	return r.lastTicket
}

// register ends the start of ticket. For pid > 0 it returns the channel
// that receives the child's status, which may already be there; pid 0 means
// the start failed.
func (r *Reaper) register(ticket uint64, pid int) <-chan syscall.WaitStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.pending, ticket)
	var ch chan syscall.WaitStatus
	if pid > 0 {
		ch = make(chan syscall.WaitStatus, 1)
		if s, ok := r.stash[pid]; ok {
			delete(r.stash, pid)
			ch <- s.ws
		} else {
			r.waiters[pid] = ch
		}
	}
	r.expireStash()
	r.nudge()
	return ch
}

// deliver hands the status of a reaped pid to its registered waiter, or
// stashes or discards it.
func (r *Reaper) deliver(pid int, ws syscall.WaitStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ch, ok := r.waiters[pid]; ok {
		delete(r.waiters, pid)
		ch <- ws
		return
	}
	if len(r.pending) > 0 {
		r.stash[pid] = stashedStatus{ws: ws, upTo: r.lastTicket}
		return
	}
	r.orphans.Add(1)
}

func (r *Reaper) expireStash() {
	oldest := uint64(math.MaxUint64)
	for t := range r.pending {
		oldest = min(oldest, t)
	}
	for pid, s := range r.stash {
		if s.upTo < oldest {
			delete(r.stash, pid)
			r.orphans.Add(1)
		}
	}
}

// nudge wakes the loop so that a closing reaper notices it may stop.
func (r *Reaper) nudge() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// tryRetire deactivates a closing reaper that has nothing left to deliver.
// It holds reaperMu so that no start can slip in between the check and the
// switch back to os/exec waiting.
func (r *Reaper) tryRetire() bool {
	reaperMu.Lock()
	defer reaperMu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closing || len(r.waiters) > 0 || len(r.pending) > 0 {
		return false
	}
	if activeReaper == r {
		activeReaper = nil
	}
	return true
}
