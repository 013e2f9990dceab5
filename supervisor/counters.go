package supervisor

import "github.com/arborgo/arbor/supervisor/internal/core"

// count keeps the counters that snapshots carry for metrics: they are
// plain fields of the loop's goroutine, updated as the events happen.
func (r *runState) count(a *core.Action) {
	switch a.Report {
	case core.EventExited, core.EventStartFailed, core.EventUnhealthy:
		// An unhealthy run's end is known when it is found hung: its
		// stop's end reports nothing more.
		if a.Child == nil {
			return
		}
		c := shellChild(a.Child)
		if c.exits == nil {
			c.exits = make(map[core.ExitKind]int, 2)
		}
		c.exits[a.Exit]++
	case core.EventStopTimedOut:
		if a.Child != nil {
			shellChild(a.Child).stopTimeouts++
		}
	case core.EventGaveUp:
		r.sup.gaveUp.Add(1)
	}
}
