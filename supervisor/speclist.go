package supervisor

import (
	"slices"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// spec returns the spec list that the next Run starts from. The slice is
// never changed in place, so the caller may keep it.
func (s *Supervisor) spec() (Config, []Child) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg, s.children
}

// keepChild records ch in the spec list before the child named before
// (after all when before is "" or names none), in place of a spec of the
// same name that the run had removed (a temporary child that ended), and
// returns the carry of the new entry. The lists are replaced, not changed
// in place: readers of spec keep what they read.
func (s *Supervisor) keepChild(before string, ch Child) *carry {
	s.mu.Lock()
	defer s.mu.Unlock()
	children, carries := slices.Clone(s.children), slices.Clone(s.carries)
	if i := specIndex(children, ch.Name); i >= 0 {
		children, carries = slices.Delete(children, i, i+1), slices.Delete(carries, i, i+1)
	}
	at := specIndex(children, before)
	if before == "" || at < 0 {
		at = len(children)
	}
	k := new(carry)
	s.children, s.carries = slices.Insert(children, at, ch), slices.Insert(carries, at, k)
	return k
}

// replaceSpec gives the entry named ch.Name the spec ch, keeping its
// place and its carry, which it returns (nil when there is no such entry).
func (s *Supervisor) replaceSpec(ch Child) *carry {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := specIndex(s.children, ch.Name)
	if i < 0 {
		return nil
	}
	children := slices.Clone(s.children)
	children[i] = ch
	s.children = children
	return s.carries[i]
}

// forgetSpec deletes the entry named name from the spec list.
func (s *Supervisor) forgetSpec(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := specIndex(s.children, name); i >= 0 {
		s.children = slices.Delete(slices.Clone(s.children), i, i+1)
		s.carries = slices.Delete(slices.Clone(s.carries), i, i+1)
	}
}

func specIndex(children []Child, name string) int {
	return slices.IndexFunc(children, func(ch Child) bool { return ch.Name == name })
}

// keep makes c, a child the run attached for the spec ch, the current
// child of the carry k, as newRunState does for the initial children; a
// child with a factory needs none.
func (r *runState) keep(now time.Time, k *carry, c *child, ch Child) {
	if k == nil {
		return
	}
	if ch.New != nil {
		k.mu.Lock()
		k.cur, k.waiting = nil, false
		k.mu.Unlock()
		return
	}
	k.bind(now, r.core, c)
}

// unkeepFailedAdd deletes from the spec list a child added at run time
// whose first start failed, which the core has just removed: it was never
// added (OTP's start_child).
func (r *runState) unkeepFailedAdd(a *core.Action) {
	if a.Report == core.EventRemoved && a.Child != nil && a.Child.Adding() {
		r.sup.forgetSpec(a.Child.Name())
	}
}
