// Package metrics exports a supervision tree's state as Prometheus
// metrics. It is the only package of arbor that imports client_golang:
// users of the plain library import none of it.
//
// The series, one set per child at any depth (path is its path, such as
// "shop/jobs/worker") and per supervisor:
//
//	arbor_child_up{path}                       gauge: 1 while running
//	arbor_child_state{path,state}              gauge: 1 for its state, 0 for the others; state is
//	                                           a child state (stopped, starting, running, stopping,
//	                                           backing_off, abandoned) or done: a step that finished
//	                                           its job (ChildStatus.Done), which is not down
//	arbor_child_restarts_total{path}           counter
//	arbor_child_exits_total{path,exit}         counter: exit is normal, error, panic, start_failed or unhealthy
//	arbor_child_backoff_seconds{path}          gauge: time left in backoff
//	arbor_child_stop_timeouts_total{path}      counter
//	arbor_child_goroutines{path}               gauge: goroutines labelled with its path or below
//	arbor_supervisor_intensity_used_ratio{supervisor} gauge: restarts in the window ÷ intensity
//	arbor_supervisor_gave_up_total{supervisor} counter
//
// The counters are those of the child's supervisor's current run: they
// start again from 0 when that supervisor is restarted, which Prometheus'
// rate() reads as a counter reset.
package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/internal/goroutines"
	"github.com/arborgo/arbor/supervisor/internal/probe"
)

// Options configure the collector that [New] returns.
type Options struct {
	// Timeout bounds how long a scrape waits for the tree's snapshot;
	// zero means one second. A scrape that times out reports an error
	// and no arbor series.
	Timeout time.Duration
	// NoGoroutines leaves out arbor_child_goroutines, which costs one
	// goroutine profile per scrape (docs/performance.md has figures).
	NoGoroutines bool
}

// collector is the prometheus.Collector of one tree.
type collector struct {
	opts  Options
	taker *probe.Taker
}

// New returns a prometheus.Collector of the tree whose root is root.
// Register it with a registry (prometheus.NewRegistry().MustRegister(c));
// every scrape takes a fresh snapshot, bounded by Options.Timeout, so the
// series of children that left the tree vanish. It is safe for concurrent
// scrapes.
func New(root *supervisor.Supervisor, opts Options) prometheus.Collector {
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	return &collector{opts: opts, taker: probe.New(root)}
}

// exits are the values of arbor_child_exits_total's exit label, each
// present for every child (from 0) so that alerts see a series from the
// start.
var exits = []string{"normal", "error", "panic", "start_failed", "unhealthy"}

var (
	descUp        = desc("arbor_child_up", "1 while the child is running, else 0.", "path")
	descState     = desc("arbor_child_state", "1 for the child's current state, 0 for the others.", "path", "state")
	descRestarts  = desc("arbor_child_restarts_total", "Restarts of the child, group restarts included.", "path")
	descExits     = desc("arbor_child_exits_total", "Ends of the child's runs, by how they ended.", "path", "exit")
	descBackoff   = desc("arbor_child_backoff_seconds", "Time left before the child's restart, in seconds.", "path")
	descStopTO    = desc("arbor_child_stop_timeouts_total", "Stops of the child that timed out.", "path")
	descGor       = desc("arbor_child_goroutines", "Goroutines labelled with the child's path or a path below it.", "path")
	descIntensity = desc("arbor_supervisor_intensity_used_ratio", "Restarts within the current period divided by the intensity; at 1 the next restart gives up.", "supervisor")
	descGaveUp    = desc("arbor_supervisor_gave_up_total", "Runs of the supervisor that gave up.", "supervisor")
)

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, labels, nil)
}

// states are the values of arbor_child_state's state label.
var states = []supervisor.State{supervisor.StateStopped, supervisor.StateStarting, supervisor.StateRunning,
	supervisor.StateStopping, supervisor.StateBackingOff, supervisor.StateAbandoned}

// Describe sends the descriptors of every series the collector makes.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descState, descRestarts, descExits, descBackoff, descStopTO,
		descIntensity, descGaveUp} {
		ch <- d
	}
	if !c.opts.NoGoroutines {
		ch <- descGor
	}
}

// Collect sends the series of the tree's current snapshot. It may run
// concurrently with itself; concurrent scrapes share one snapshot.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.Timeout)
	defer cancel()
	snap, ok := c.taker.Tree(ctx)
	if !ok {
		ch <- prometheus.NewInvalidMetric(descUp, errNotAnswering)
		return
	}
	if snap == nil {
		return
	}
	var gor map[string]int
	if !c.opts.NoGoroutines {
		gor = goroutines.ByPath()
	}
	collectSupervisor(ch, snap, gor)
}
