package supervisor

import "github.com/arborgo/arbor/supervisor/internal/goroutines"

// WithGoroutines returns a copy of the snapshot (and of the child
// supervisors' snapshots in Sub) whose ChildStatus.Goroutines are filled
// in from one goroutine profile: the goroutines labelled with the child's
// path or a path below it, the supervisor's own idle worker and stopper
// left out. The profile stops the world only briefly (Go gathers it
// concurrently); docs/performance.md has its cost with 100,000
// goroutines.
func (s *Snapshot) WithGoroutines() *Snapshot {
	if s == nil {
		return nil
	}
	return s.withCounts(goroutines.ByPath())
}

func (s *Snapshot) withCounts(counts map[string]int) *Snapshot {
	out := *s
	out.Children = append([]ChildStatus(nil), s.Children...)
	for i := range out.Children {
		c := &out.Children[i]
		c.Goroutines = counts[c.Path]
		if c.Sub != nil {
			c.Sub = c.Sub.withCounts(counts)
		}
	}
	return &out
}
