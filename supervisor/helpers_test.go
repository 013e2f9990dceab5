package supervisor_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

var errBoom = errors.New("boom")

// fake is a scripted engine. By default its Run reports ready (when
// readies is set), then waits until its context is cancelled and returns
// nil, or until a test sends it a function on kill and returns what that
// function returns (or panics). Its Stop cancels the current Run. It
// counts Runs and Stops, so tests can check that every Run was paired with
// exactly one Stop.
type fake struct {
	readies bool
	// run, when set, replaces the default Run; n counts Runs from 1.
	run func(ctx context.Context, n int) error
	// stop, when set, replaces the default Stop; n counts Stops from 1.
	stop func(ctx context.Context, n int) error
	kill chan func() error

	mu     sync.Mutex
	runs   int
	stops  int
	cancel context.CancelFunc
	paths  []string
}

func newFake() *fake { return &fake{kill: make(chan func() error)} }

func readyFake() *fake { f := newFake(); f.readies = true; return f }

func (f *fake) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f.mu.Lock()
	f.runs++
	n := f.runs
	f.cancel = cancel
	f.paths = append(f.paths, engine.Path(ctx))
	run := f.run
	f.mu.Unlock()
	if run != nil {
		return run(ctx, n)
	}
	if f.readies {
		engine.Ready(ctx)
	}
	select {
	case <-ctx.Done():
		return nil
	case fn := <-f.kill:
		return fn()
	}
}

func (f *fake) Stop(ctx context.Context) error {
	f.mu.Lock()
	f.stops++
	n := f.stops
	cancel, stop := f.cancel, f.stop
	f.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	if stop != nil {
		return stop(ctx, n)
	}
	return nil
}

func (f *fake) ReportsReady() bool { return f.readies }

// crash makes the current Run return err (nil for a normal exit).
func (f *fake) crash(err error) { f.kill <- func() error { return err } }

// panicRun makes the current Run panic with v.
func (f *fake) panicRun(v any) { f.kill <- func() error { panic(v) } }

func (f *fake) counts() (runs, stops int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.runs, f.stops
}

func (f *fake) runCount() int { r, _ := f.counts(); return r }

// checkPaired checks that every Run of each engine was paired with
// exactly one Stop.
func checkPaired(t *testing.T, fakes map[string]*fake) {
	t.Helper()
	for name, f := range fakes {
		if runs, stops := f.counts(); runs != stops {
			t.Errorf("%s: %d Runs, %d Stops; want one Stop per Run", name, runs, stops)
		}
	}
}

// recorder collects events as "OFFSET KIND PATH", OFFSET being the virtual
// time since the recorder was made.
type recorder struct {
	start time.Time
	mu    sync.Mutex
	evs   []supervisor.Event
}

func newRecorder() *recorder { return &recorder{start: time.Now()} }

func (r *recorder) on(ev supervisor.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, ev)
}

func (r *recorder) events() []supervisor.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.evs)
}

// lines returns the events of the given kinds (all when none is given).
func (r *recorder) lines(kinds ...supervisor.EventKind) []string {
	var out []string
	for _, ev := range r.events() {
		if len(kinds) == 0 || slices.Contains(kinds, ev.Kind) {
			out = append(out, fmt.Sprintf("%v %s %s", ev.Time.Sub(r.start), ev.Kind, ev.Path))
		}
	}
	return out
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got = %v\nwant = %v", what, strings.Join(got, "\n       "), strings.Join(want, "\n       "))
	}
}

// background runs sup and returns a function that waits for Run's error
// and the virtual time it took from the start.
func background(sup *supervisor.Supervisor) (wait func() (error, time.Duration)) {
	start := time.Now()
	errc := sup.ServeBackground(context.Background())
	return func() (error, time.Duration) {
		err := <-errc
		return err, time.Since(start)
	}
}

// stopAndWait stops sup and returns Run's error and how long the stop
// took in virtual time.
func stopAndWait(t *testing.T, sup *supervisor.Supervisor, wait func() (error, time.Duration)) (error, time.Duration) {
	t.Helper()
	start := time.Now()
	if err := sup.Stop(context.Background()); err != nil {
		t.Errorf("Stop = %v; want nil", err)
	}
	err, _ := wait()
	return err, time.Since(start)
}

func states(sup *supervisor.Supervisor) []string {
	var out []string
	for _, c := range sup.Snapshot().Children {
		out = append(out, c.Name+"="+c.State.String())
	}
	return out
}

// bubble runs f in a synctest bubble.
func bubble(t *testing.T, f func(t *testing.T)) { synctest.Test(t, f) }

var noBackoff = supervisor.Backoff{Initial: supervisor.Zero}

// isA reports whether err has an error of type T in its tree: the way to
// test for Run's failures, which are types without sentinels.
func isA[T error](err error) bool {
	_, ok := errors.AsType[T](err)
	return ok
}

// errInvalidConfig stands, in tables of wanted errors, for a
// *supervisor.ConfigError.
var errInvalidConfig = errors.New("a *supervisor.ConfigError")

// count is how many events of kind about path r has recorded.
func (r *recorder) count(kind supervisor.EventKind, path string) int {
	n := 0
	for _, ev := range r.events() {
		if ev.Kind == kind && ev.Path == path {
			n++
		}
	}
	return n
}
