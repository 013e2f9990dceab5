package control

import (
	"context"
	"net"
	"sync"
	"time"
)

// slots bounds the connections served at once. When all are taken, the
// connection that has waited longest for its request line is closed to
// make room: a client that asks at once is served even while many idle
// connections are open, and idle ones cannot pile up.
type slots struct {
	mu      sync.Mutex
	free    int
	waiting []*waiter // accepted, request not read yet; oldest first
	freed   chan struct{}
}

// waiter is one accepted connection holding a slot.
type waiter struct {
	c       net.Conn
	evicted bool
}

func newSlots(n int) *slots {
	return &slots{free: n, freed: make(chan struct{}, 1)}
}

// take gives c a slot, closing the oldest idle connection if need be, or
// returns nil when none came free within slotWait: every slot is busy
// answering.
func (s *slots) take(ctx context.Context, c net.Conn) *waiter {
	t := time.NewTimer(slotWait)
	defer t.Stop()
	for {
		s.mu.Lock()
		if s.free > 0 {
			s.free--
			w := &waiter{c: c}
			s.waiting = append(s.waiting, w)
			s.mu.Unlock()
			return w
		}
		s.evictOldest()
		s.mu.Unlock()
		select {
		case <-s.freed:
		case <-t.C:
			return nil
		case <-ctx.Done():
			return nil
		}
	}
}

// evictOldest closes the oldest idle connection not closed yet; its
// goroutine then gives its slot back. s.mu is held.
func (s *slots) evictOldest() {
	for _, w := range s.waiting {
		if !w.evicted {
			w.evicted = true
			w.c.Close()
			return
		}
	}
}

// serving marks w as past its request: it is no longer evicted.
func (s *slots) serving(w *waiter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(w)
}

func (s *slots) release(w *waiter) {
	s.mu.Lock()
	s.remove(w)
	s.free++
	s.mu.Unlock()
	select {
	case s.freed <- struct{}{}:
	default:
	}
}

func (s *slots) remove(w *waiter) {
	for i, x := range s.waiting {
		if x == w {
			s.waiting = append(s.waiting[:i], s.waiting[i+1:]...)
			return
		}
	}
}
