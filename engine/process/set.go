package process

import (
	"errors"
	"sync"
	"syscall"
)

// Set is a registry of the live process groups started by every
// [Process] (and readiness probe) configured with it. A daemon shares one
// set among all its processes so that it can kill them all at once, for
// example when a second SIGTERM says "stop waiting for a graceful
// shutdown". The zero value is an empty set ready for use; a nil
// *Set is an always-empty set.
type Set struct {
	mu       sync.Mutex
	children map[*child]struct{}
}

// Signal sends sig to every process group in the set, at once, and returns
// the errors of the groups it could not signal, joined. Groups that exit
// meanwhile are skipped silently.
func (s *Set) Signal(sig syscall.Signal) error {
	var errs []error
	for _, c := range s.snapshot() {
		if err := c.signal(sig); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Kill sends SIGKILL to every process group in the set.
func (s *Set) Kill() error { return s.Signal(syscall.SIGKILL) }

// Len returns the number of live process groups in the set.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.children)
}

// Pids returns the process IDs of the group leaders in the set, which are
// also the process group IDs, in no particular order.
func (s *Set) Pids() []int {
	cs := s.snapshot()
	pids := make([]int, len(cs))
	for i, c := range cs {
		pids[i] = c.pid
	}
	return pids
}

// snapshot copies the members so that signalling, which takes each child's
// lock, never happens under the set's lock.
func (s *Set) snapshot() []*child {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := make([]*child, 0, len(s.children))
	for c := range s.children {
		cs = append(cs, c)
	}
	return cs
}

func (s *Set) add(c *child) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.children == nil {
		s.children = make(map[*child]struct{})
	}
	s.children[c] = struct{}{}
}

func (s *Set) remove(c *child) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.children, c)
}
