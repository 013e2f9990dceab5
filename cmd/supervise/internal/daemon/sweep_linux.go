package daemon

import (
	"log/slog"
	"syscall"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
)

// sweepEvery is how often supervise looks for orphans while it runs, on
// top of a look at every process exit.
const sweepEvery = time.Second

// A sweeper kills, while the tree runs, the orphans re-parented to
// supervise whose child is no longer running, so that a crash-looping
// child that daemonizes something on every run does not pile up
// processes until the tree stops. An orphan is traced back to its child
// by the SUPERVISE_PATH it inherited (assemble.EnvPath), and it belongs to
// the run under way if it started after that run's main process: an orphan
// of a running child, such as the real server of a program that
// daemonizes and stays in the foreground, is kept while that child runs.
// An orphan whose environment does not say where it came from is kept
// until the tree stops.
type sweeper struct {
	wake chan struct{}
}

func newSweeper() *sweeper { return &sweeper{wake: make(chan struct{}, 1)} }

// nudge asks for a sweep soon, because a child's process exited.
func (s *sweeper) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// sweepGap is the least time between two sweeps. A child that crashes and
// is restarted every millisecond would otherwise have /proc read at each
// of its exits, on the CPU its restart needs; with the gap, an orphan of an
// ended run waits at most this long beyond the sweep of an earlier exit.
const sweepGap = 50 * time.Millisecond

// start sweeps until the returned function is called. except is a child
// of supervise that is not a process child (the group guard), or 0.
func (s *sweeper) start(log *slog.Logger, procs func(string) *assemble.Proc, except int) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(sweepEvery)
		defer t.Stop()
		s.loop(quit, t.C, func() { sweep(log, procs, except) })
	}()
	return func() {
		close(quit)
		<-done
	}
}

// loop calls sweep at every tick and nudge, but never twice within
// sweepGap: nudges that come meanwhile are served by one sweep at its end.
func (s *sweeper) loop(quit <-chan struct{}, tick <-chan time.Time, sweep func()) {
	gap := time.NewTimer(sweepGap)
	defer gap.Stop()
	for {
		select {
		case <-quit:
			return
		case <-tick:
		case <-s.wake:
		}
		sweep()
		gap.Reset(sweepGap)
		select {
		case <-quit:
			return
		case <-gap.C:
		}
	}
}

// sweep kills every orphan whose child is no longer running.
func sweep(log *slog.Logger, procs func(string) *assemble.Proc, except int) {
	for _, pid := range liveChildren() {
		if pid == except {
			continue
		}
		path, ok := environValue(pid, assemble.EnvPath)
		if !ok || !outlived(pid, procs(path)) {
			continue
		}
		if syscall.Kill(pid, syscall.SIGKILL) == nil {
			log.Warn("killed an orphan of a child that is no longer running", "event", "orphan_killed", "path", path, "pid", pid)
		}
	}
}

// outlived reports whether process pid, a child of supervise that came
// from p, is an orphan of a run of p that has ended.
func outlived(pid int, p *assemble.Proc) bool {
	if p == nil {
		return false // not from this tree: not ours to judge
	}
	main, running := p.Current()
	if !running {
		return true
	}
	if main == 0 || main == pid {
		return false // the main process itself, or one being started
	}
	o, ok1 := readStat(pid)
	m, ok2 := readStat(main)
	// Descendants start after their ancestors: one that started before
	// the current main process came from an earlier run.
	return ok1 && ok2 && o.start < m.start
}
