package core_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// t0 is the virtual time at which every test starts.
var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

var errBoom = errors.New("boom")

// harness plays the shell for a Core: it records the actions the core
// returns, as short strings, and feeds it events at explicit times.
//
// Actions are written as
//
//	start NAME            StartChild
//	stop NAME             StopChild
//	arm NAME @D           ArmTimer of a child, D after t0 ("arm sup @D" for the supervisor's)
//	done REASON           the core is Finished after the call
//
// and reports, kept apart, as "KIND NAME"; Retire actions are kept apart
// too, as child names.
type harness struct {
	t       *testing.T
	c       *core.Core
	now     time.Time
	acts    []string
	reports []string
	all     []core.Action
	// timers holds the sequence of the last timer armed per child name
	// ("" for the supervisor's).
	timers  map[string]uint64
	armedAt map[string]time.Time
	// kids remembers every child by name, removed ones included.
	kids    map[string]*core.Child
	done    int
	outcome *core.Outcome
	retired []string
}

func newHarness(t *testing.T, cfg core.Config, specs ...core.ChildSpec) *harness {
	t.Helper()
	h := &harness{t: t, c: core.New(cfg, specs), now: t0,
		timers: map[string]uint64{}, armedAt: map[string]time.Time{}, kids: map[string]*core.Child{}}
	for _, ch := range h.c.Children() {
		h.kids[ch.Name()] = ch
	}
	return h
}

// spec builds a child spec: a permanent child with a 5 s shutdown and no
// backoff, changed by the options.
func spec(name string, opts ...func(*core.ChildSpec)) core.ChildSpec {
	s := core.ChildSpec{Name: name, Restart: core.Permanent, Shutdown: 5 * time.Second}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func transient(s *core.ChildSpec)   { s.Restart = core.Transient }
func temporary(s *core.ChildSpec)   { s.Restart = core.Temporary }
func readies(s *core.ChildSpec)     { s.ReportsReady = true }
func significant(s *core.ChildSpec) { s.Significant = true }

func withRestart(r core.Restart) func(*core.ChildSpec) {
	return func(s *core.ChildSpec) { s.Restart = r }
}

func startTimeout(d time.Duration) func(*core.ChildSpec) {
	return func(s *core.ChildSpec) { s.StartTimeout = d }
}

func backoff(b core.Backoff) func(*core.ChildSpec) {
	return func(s *core.ChildSpec) { s.Backoff = b }
}

// at moves the virtual clock to t0+d.
func (h *harness) at(d time.Duration) *harness {
	h.t.Helper()
	next := t0.Add(d)
	if next.Before(h.now) {
		h.t.Fatalf("time goes back: %v after %v", d, h.now.Sub(t0))
	}
	h.now = next
	return h
}

func (h *harness) record(acts []core.Action) {
	h.t.Helper()
	for _, a := range acts {
		h.all = append(h.all, a)
		if h.done > 0 {
			h.t.Errorf("action %s after done", describe(a))
		}
		switch a.Kind {
		case core.Report:
			h.reports = append(h.reports, describe(a))
		case core.ArmTimer:
			h.timers[nameOf(a.Child)] = a.Gen
			h.armedAt[nameOf(a.Child)] = a.At
			h.acts = append(h.acts, describe(a))
		case core.Retire:
			h.retired = append(h.retired, a.Child.Name())
		default:
			h.acts = append(h.acts, describe(a))
		}
		if a.Child != nil {
			h.kids[a.Child.Name()] = a.Child
		}
	}
	if h.c.Finished() && h.done == 0 {
		// The supervisor is finished once the call's actions are done.
		h.done++
		h.outcome = h.c.Outcome()
		h.acts = append(h.acts, "done "+h.outcome.Reason.String())
	}
}

func nameOf(ch *core.Child) string {
	if ch == nil {
		return "sup"
	}
	return ch.Name()
}

func describe(a core.Action) string {
	switch a.Kind {
	case core.StartChild:
		return "start " + a.Child.Name()
	case core.StopChild:
		return "stop " + a.Child.Name()
	case core.ArmTimer:
		return fmt.Sprintf("arm %s @%v", nameOf(a.Child), a.At.Sub(t0))
	case core.Retire:
		return "retire " + a.Child.Name()
	case core.RunProbe:
		return "probe " + a.Child.Name()
	case core.Report:
		return a.Report.String() + " " + nameOf(a.Child)
	}
	return fmt.Sprintf("action(%d)", a.Kind)
}

// take returns the actions (reports left out) recorded since the last
// take.
func (h *harness) take() []string {
	out := h.acts
	h.acts = nil
	return out
}

// takeReports returns the reports recorded since the last call.
func (h *harness) takeReports() []string {
	out := h.reports
	h.reports = nil
	return out
}

// expect checks the actions since the last take.
func (h *harness) expect(want ...string) {
	h.t.Helper()
	got := h.take()
	if !slices.Equal(got, want) {
		h.t.Errorf("actions = %v; want %v", strings.Join(got, ", "), strings.Join(want, ", "))
	}
}

func (h *harness) child(name string) *core.Child {
	h.t.Helper()
	ch, ok := h.kids[name]
	if !ok {
		h.t.Fatalf("no child %q was ever seen", name)
	}
	return ch
}

func (h *harness) start() *harness { h.record(h.c.Start(h.now)); return h }
func (h *harness) stop() *harness  { h.record(h.c.Stop(h.now)); return h }

func (h *harness) handle(ev core.Input) *harness {
	h.record(h.c.Handle(h.now, ev))
	return h
}

func (h *harness) ready(name string) *harness {
	ch := h.child(name)
	return h.handle(core.Input{Kind: core.ChildReady, Child: ch, Gen: ch.Gen()})
}

func (h *harness) exit(name string, kind core.ExitKind) *harness {
	ch := h.child(name)
	var err error
	if kind != core.ExitNormal {
		err = errBoom
	}
	return h.handle(core.Input{Kind: core.ChildExited, Child: ch, Gen: ch.Gen(), Exit: kind, Err: err})
}

func (h *harness) stopped(name string) *harness {
	ch := h.child(name)
	return h.handle(core.Input{Kind: core.ChildStopped, Child: ch, Gen: ch.Gen()})
}

func (h *harness) stopTimedOut(name string) *harness {
	ch := h.child(name)
	return h.handle(core.Input{Kind: core.ChildStopped, Child: ch, Gen: ch.Gen(), TimedOut: true})
}

// fire fires the last timer armed for the child (or "sup") at its time.
func (h *harness) fire(name string) *harness {
	h.t.Helper()
	seq, ok := h.timers[name]
	if !ok {
		h.t.Fatalf("no timer armed for %q", name)
	}
	if at := h.armedAt[name]; h.now.Before(at) {
		h.now = at
	}
	var ch *core.Child
	if name != "sup" {
		ch = h.child(name)
	}
	return h.handle(core.Input{Kind: core.TimerFired, Child: ch, Gen: seq})
}

func (h *harness) state(name string) core.State { return h.child(name).State() }

// names returns the names of the core's children, in order.
func (h *harness) names() []string {
	var out []string
	for _, ch := range h.c.Children() {
		out = append(out, ch.Name())
	}
	return out
}

// startAll starts the core and answers every start in order with ready
// (for children that report it), checking nothing.
func (h *harness) startAll() *harness {
	h.start()
	for {
		progressed := false
		for _, ch := range h.c.Children() {
			if ch.State() == core.StateStarting {
				h.ready(ch.Name())
				progressed = true
			}
		}
		if !progressed {
			break
		}
	}
	h.take()
	h.takeReports()
	return h
}

// answerStops answers every stop the core asks for with "stopped", one
// at a time, as long as it asks, and returns the names in the order it
// asked. The other actions stay recorded, in order, for take.
func (h *harness) answerStops() []string {
	var order []string
	for {
		i := slices.IndexFunc(h.acts, func(a string) bool { return strings.HasPrefix(a, "stop ") })
		if i < 0 {
			return order
		}
		name := strings.TrimPrefix(h.acts[i], "stop ")
		h.acts = slices.Delete(h.acts, i, i+1)
		order = append(order, name)
		h.stopped(name)
	}
}

// drive answers the core as a well-behaved shell would: every stop with
// stopped and every start that waits for readiness with ready,
// in the order the core asked, until it asks for nothing more. It returns
// the actions it saw, in order, and fails the test when the core has two
// stops, or two starts that wait for readiness, outstanding at once.
func (h *harness) drive() []string {
	h.t.Helper()
	var seen []string
	for {
		acts := h.take()
		seen = append(seen, acts...)
		var stops, readies []string
		for _, a := range acts {
			if name, ok := strings.CutPrefix(a, "stop "); ok {
				stops = append(stops, name)
			}
			// A start waits for ready when the child reports it, or when
			// the core asked for a confirmation (an ordered start).
			if name, ok := strings.CutPrefix(a, "start "); ok && h.state(name) == core.StateStarting {
				readies = append(readies, name)
			}
		}
		if len(stops)+len(readies) == 0 {
			return seen
		}
		if len(stops)+len(readies) > 1 {
			h.t.Errorf("outstanding at once: stops %v, starts %v; want one at a time", stops, readies)
		}
		for _, name := range stops {
			h.stopped(name)
		}
		for _, name := range readies {
			if h.state(name) == core.StateStarting {
				h.ready(name)
			}
		}
	}
}
