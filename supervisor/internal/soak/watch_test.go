package soak

import (
	"strings"
	"sync"
	"time"

	"github.com/arborgo/arbor/supervisor"
)

// watch follows one supervisor's events, as its OnEvent hook, and checks
// the order of its stops: at a shutdown, and at a group restart, children
// are stopped one at a time in reverse start order. It also times the
// stops of its child supervisors against their shutdown timeouts.
type watch struct {
	s     *soak
	path  string
	index map[string]int           // a child's position in start order
	bound map[string]time.Duration // a child supervisor's shutdown timeout
	group bool                     // one_for_all or rest_for_one

	mu       sync.Mutex
	burst    burstKind // what the stops now under way belong to
	last     int       // position of the last child stopped in this burst
	current  string    // the child a shutdown is stopping, "" between two
	since    map[string]time.Time
	shutting bool
}

type burstKind uint8

const (
	noBurst burstKind = iota
	shutdownBurst
	groupBurst
)

func newWatch(s *soak, path string, st supervisor.Strategy) *watch {
	return &watch{s: s, path: path, group: st != supervisor.OneForOne, index: map[string]int{}, bound: map[string]time.Duration{}, since: map[string]time.Time{}}
}

func (w *watch) on(ev supervisor.Event) {
	w.s.counts.event(ev)
	w.mu.Lock()
	defer w.mu.Unlock()
	name := ev.Path[strings.LastIndexByte(ev.Path, '/')+1:]
	switch ev.Kind {
	case supervisor.EventShutdown:
		w.begin(shutdownBurst)
		w.shutting = true
		if ev.Path == "root" {
			w.s.rootShutting.Store(true)
		}
	case supervisor.EventRestarting:
		if w.group && w.burst == noBurst {
			w.begin(groupBurst)
		}
	case supervisor.EventStarted:
		w.burst, w.shutting = noBurst, false
	case supervisor.EventStopping:
		w.stopping(name, ev.Time)
	case supervisor.EventStopped, supervisor.EventStopTimedOut:
		w.stopped(name, ev)
	}
}

func (w *watch) begin(b burstKind) {
	w.burst, w.last, w.current = b, len(w.index), ""
}

func (w *watch) stopping(name string, at time.Time) {
	i := w.index[name]
	if _, ok := w.bound[name]; ok {
		w.since[name] = at
	}
	switch w.burst {
	case shutdownBurst:
		w.s.counts.lifoChecked.Add(1)
		if i >= w.last {
			w.s.led.add(notLIFO, "%s stopped %s (position %d) after position %d", w.path, name, i, w.last)
		}
		if w.current != "" {
			w.s.led.add(twoStopping, "%s stopped %s while %s was stopping", w.path, name, w.current)
		}
		w.current = name
	case groupBurst:
		w.s.counts.groupChecked.Add(1)
		if i >= w.last {
			w.s.led.add(groupNotLIFO, "%s stopped %s (position %d) after position %d", w.path, name, i, w.last)
		}
	}
	w.last = i
}

func (w *watch) stopped(name string, ev supervisor.Event) {
	if name == w.current {
		w.current = ""
	}
	if at, ok := w.since[name]; ok {
		delete(w.since, name)
		w.s.counts.subStopsTimed.Add(1)
		if d, bound := ev.Time.Sub(at), w.bound[name]; d > bound+slack(bound) {
			w.s.led.add(slowSubStop, "%s took %v to stop; its timeout is %v", ev.Path, d.Round(time.Millisecond), bound)
		}
	}
	if ev.Kind == supervisor.EventStopTimedOut {
		w.s.counts.abandoned.Add(1)
		if w.shutting {
			w.s.abandonedInShutdown(ev.Path)
		}
	}
}

// slack is how much later than its bound a stop may end: timers fire
// late on a loaded machine under the race detector. This is a soak, not a
// timing test.
func slack(bound time.Duration) time.Duration { return bound/2 + time.Second }
