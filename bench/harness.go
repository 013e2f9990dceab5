// Package bench measures arbor against suture (github.com/thejerf/suture/v4)
// on the same scenarios with the same engines: restart latency after an
// error and after a panic, restart cost under a flood, ordered start and
// reverse-order stop of large flat trees and of a nested chain, and the
// memory and goroutines an idle child costs.
//
// Run the benchmarks with
//
//	go test -run '^$' -bench . -benchmem ./bench/
//
// and the side-by-side table (several runs, median and min–max, ratio
// arbor/suture per row) with
//
//	go run ./bench/cmd/compare -count 5
//
// docs/performance.md holds the last measured table. Nothing here asserts a
// timing; CI only compiles the package.
package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"time"

	"github.com/thejerf/suture/v4"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// lib names a supervision library under test.
type lib string

// The libraries compared.
const (
	libArbor  lib = "arbor"
	libSuture lib = "suture"
)

// libs lists the libraries in the order the tables show them.
var libs = []lib{libArbor, libSuture}

// errBoom is what a failing engine returns, or panics with. It is made
// once, so that failing allocates nothing in the engine.
var errBoom = errors.New("bench: boom")

// epoch anchors the monotonic timestamps the engines record.
var epoch = time.Now()

// nanotime returns monotonic nanoseconds since the package was loaded.
func nanotime() int64 { return int64(time.Since(epoch)) }

// flapper is an engine that fails Limit times in a row, by returning
// ErrBoom or by panicking with it, and then runs until its context is
// cancelled. It timestamps the start of every Run in Times, so that the
// differences are restart latencies. Its first Run waits for Release, so
// that a benchmark can start its clock once the supervisor is up. It
// allocates nothing per Run.
//
// Runs are sequential under both libraries (the next one starts only
// after the supervisor heard of the end of the previous one), so its
// counter needs no lock.
type flapper struct {
	Limit  int
	Panics bool
	Times  []int64

	n       int
	first   chan struct{}
	release chan struct{}
	done    chan struct{}
}

// newFlapper returns a Flapper that fails limit times, panicking if
// panics is set.
func newFlapper(limit int, panics bool) *flapper {
	return &flapper{Limit: limit, Panics: panics, Times: make([]int64, limit+1),
		first: make(chan struct{}), release: make(chan struct{}), done: make(chan struct{})}
}

// Run implements engine.Engine.
func (f *flapper) Run(ctx context.Context) error {
	i := f.n
	f.n++
	if i == 0 {
		close(f.first)
		<-f.release
	}
	if i > f.Limit {
		// A run after the last measured one (a library restarting
		// once more during shutdown): just idle.
		<-ctx.Done()
		return nil
	}
	f.Times[i] = nanotime()
	if i < f.Limit {
		if f.Panics {
			panic(errBoom)
		}
		return errBoom
	}
	close(f.done)
	<-ctx.Done()
	return nil
}

// Stop implements engine.Engine: cancelling Run's context is enough.
func (f *flapper) Stop(context.Context) error { return nil }

// Started is closed when the first Run begins; it then waits for Release.
func (f *flapper) Started() <-chan struct{} { return f.first }

// Release lets the first Run go on: the timed restarts begin.
func (f *flapper) Release() { close(f.release) }

// Done is closed when the run after the last failure has started.
func (f *flapper) Done() <-chan struct{} { return f.done }

// Latencies returns the Limit restart latencies in nanoseconds, sorted.
func (f *flapper) Latencies() []float64 {
	d := make([]float64, f.Limit)
	for i := 1; i <= f.Limit; i++ {
		d[i-1] = float64(f.Times[i] - f.Times[i-1])
	}
	slices.Sort(d)
	return d
}

// stats summarises sorted latencies: mean, median and 99th percentile.
func stats(sorted []float64) (mean, p50, p99 float64) {
	if len(sorted) == 0 {
		return 0, 0, 0
	}
	var sum float64
	for _, v := range sorted {
		sum += v
	}
	return sum / float64(len(sorted)), quantile(sorted, 0.5), quantile(sorted, 0.99)
}

func quantile(sorted []float64, q float64) float64 {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// counter closes Done when Hit has been called Target times.
type counter struct {
	Target int64
	n      atomic.Int64
	done   chan struct{}
}

// newCounter returns a counter that fires after target hits.
func newCounter(target int) *counter {
	return &counter{Target: int64(target), done: make(chan struct{})}
}

// Hit counts one.
func (c *counter) Hit() {
	if c.n.Add(1) == c.Target {
		close(c.done)
	}
}

// Done is closed once Target hits were counted.
func (c *counter) Done() <-chan struct{} { return c.done }

// idleEngines returns n engines that count their start on c and then run
// until stopped: engine.FromFunc, the plainest engine arbor has. Both
// libraries run these same values.
func idleEngines(n int, c *counter) []engine.Engine {
	run := func(ctx context.Context) error {
		c.Hit()
		<-ctx.Done()
		return nil
	}
	es := make([]engine.Engine, n)
	for i := range es {
		es[i] = engine.FromFunc(run)
	}
	return es
}

// names returns n distinct child names, made ahead of any measurement.
func names(prefix string, n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return s
}

// service adapts an arbor engine to suture: Serve is the engine's Run.
// It has a String method, as suture otherwise names every service with
// fmt's %#v.
type service struct {
	Name   string
	Engine engine.Engine
}

// Serve implements suture.Service.
func (s *service) Serve(ctx context.Context) error { return s.Engine.Run(ctx) }

func (s *service) String() string { return s.Name }

// sutureSpec is the spec every suture supervisor here gets: no logging
// (suture logs every event by default), and the given failure policy.
func sutureSpec(threshold float64, backoff time.Duration) suture.Spec {
	return suture.Spec{EventHook: func(suture.Event) {}, FailureThreshold: threshold, FailureBackoff: backoff}
}

// restartTree returns a supervisor of lib with f as its only child,
// configured never to give up and never to delay a restart within limit
// restarts.
//
// arbor: Intensity math.MaxInt ("never give up") in a one-hour Period,
// no backoff. Its intensity window grows with the restarts it must
// remember, so all of a burst stays in it.
//
// suture: FailureThreshold of MaxFloat64, so that its own pause after the
// threshold never comes, and a 1 ns FailureBackoff in case it did.
func restartTree(lib lib, f *flapper) runner {
	switch lib {
	case libArbor:
		return arborRunner(supervisor.New("root",
			supervisor.Config{Intensity: math.MaxInt, Period: time.Hour, Backoff: supervisor.Backoff{Initial: supervisor.Zero}},
			// The same Run as suture's, in the engine arbor users write
			// for a function: engine.FromFunc.
			supervisor.Child{Name: "flapper", Engine: engine.FromFunc(f.Run)}))
	default:
		s := suture.New("root", sutureSpec(math.MaxFloat64, time.Nanosecond))
		s.Add(&service{Name: "flapper", Engine: f})
		return sutureRunner(s)
	}
}

// flatTree returns a supervisor of lib over the given children, in order.
// arbor starts them one after another (each once the previous one is
// ready) and stops them in reverse order; suture starts and stops them all
// at once.
func flatTree(lib lib, names []string, es []engine.Engine) runner {
	switch lib {
	case libArbor:
		return arborRunner(arborFlat("root", names, es, nil))
	default:
		return sutureRunner(sutureFlat("root", names, es, nil))
	}
}

func arborFlat(name string, names []string, es []engine.Engine, sub *supervisor.Supervisor) *supervisor.Supervisor {
	children := make([]supervisor.Child, 0, len(es)+1)
	for i, e := range es {
		children = append(children, supervisor.Child{Name: names[i], Engine: e})
	}
	if sub != nil {
		children = append(children, supervisor.Child{Name: sub.Name(), Engine: sub})
	}
	return supervisor.New(name, supervisor.Config{}, children...)
}

func sutureFlat(name string, names []string, es []engine.Engine, sub *suture.Supervisor) *suture.Supervisor {
	s := suture.New(name, sutureSpec(0, 0))
	for i, e := range es {
		s.Add(&service{Name: names[i], Engine: e})
	}
	if sub != nil {
		s.Add(sub)
	}
	return s
}

// chainTree returns depth supervisors of lib nested in a chain, each with
// perLevel leaves (taken in order from es) and then the next supervisor.
func chainTree(lib lib, depth, perLevel int, names []string, es []engine.Engine) runner {
	var arborSub *supervisor.Supervisor
	var sutureSub *suture.Supervisor
	for lvl := depth - 1; lvl >= 0; lvl-- {
		lo, hi := lvl*perLevel, (lvl+1)*perLevel
		name := fmt.Sprintf("level%d", lvl)
		if lib == libArbor {
			arborSub = arborFlat(name, names[lo:hi], es[lo:hi], arborSub)
		} else {
			sutureSub = sutureFlat(name, names[lo:hi], es[lo:hi], sutureSub)
		}
	}
	if lib == libArbor {
		return arborRunner(arborSub)
	}
	return sutureRunner(sutureSub)
}

// runner starts a tree in the background and stops it.
type runner struct {
	serve func(ctx context.Context) <-chan error
	ok    func(error) bool

	cancel context.CancelFunc
	errc   <-chan error
}

// arborRunner runs an arbor supervisor.
func arborRunner(s *supervisor.Supervisor) runner {
	return runner{serve: s.ServeBackground, ok: func(err error) bool { return err == nil }}
}

// sutureRunner runs a suture supervisor. Its Serve returns the context's
// error after a requested stop.
func sutureRunner(s *suture.Supervisor) runner {
	return runner{serve: s.ServeBackground, ok: func(err error) bool { return err == nil || errors.Is(err, context.Canceled) }}
}

// Start begins serving.
func (r *runner) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.errc = r.serve(ctx)
}

// Stop cancels the tree's context and waits for its Serve or Run to
// return; it returns an error only for an unclean stop.
func (r *runner) Stop() error {
	r.cancel()
	if err := <-r.errc; !r.ok(err) {
		return fmt.Errorf("bench: unclean stop: %w", err)
	}
	return nil
}
