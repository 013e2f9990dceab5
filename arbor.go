package arbor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/arborgo/arbor/engine"
)

// ErrInterrupted is returned by [Run] when a second signal arrived while
// the tree was stopping: Run stopped waiting, and whatever had not stopped
// yet was left running.
var ErrInterrupted = errors.New("arbor: second signal during shutdown; stopped waiting")

// Run runs root until it returns on its own, ctx ends, or SIGTERM or SIGINT
// arrives. In the last two cases it cancels root's context and calls its
// Stop, then waits for Run to return: a supervisor then stops its tree in
// reverse start order, after its Config.Drain if it has one (readiness
// probes of package supervisor/health fail from the signal on). A second signal during that wait makes Run return
// ErrInterrupted at once.
//
// Other signals keep Go's default behaviour; in particular SIGQUIT still
// ends the program with a goroutine dump. To stop on SIGQUIT as well, or to
// log or ignore other signals, use [RunWith].
//
// Run returns root's error: nil after a clean shutdown, a
// *supervisor.GaveUpError when the tree gave up. Call it once per root.
func Run(ctx context.Context, root engine.Engine) error {
	return RunWith(ctx, root, Options{})
}

// RunWith is [Run] with the signal handling of opts: which signals stop
// the tree, which are only reported, and what happens on a second stop
// signal. Run(ctx, root) is RunWith(ctx, root, Options{}).
func RunWith(ctx context.Context, root engine.Engine, opts Options) error {
	sigs := opts.Signals
	if sigs == nil {
		sigs = defaultSignals
	}
	notify := opts.Notify
	if notify == nil {
		notify = notifySignals
	}
	// Room for a burst: a signal that finds the buffer full is dropped by
	// os/signal, and one that matters (a second stop) must not be.
	signals := make(chan os.Signal, 16)
	// os/signal's Notify with no signals would relay every signal.
	if len(sigs) > 0 {
		defer notify(signals, sigs...)()
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- engine.Call(func() error { return root.Run(runCtx) }) }()

	var stopped chan struct{} // non-nil once the stop began
	var stopBegan time.Time
	done := ctx.Done()
	stop := func() {
		done, stopBegan = nil, time.Now()
		stopped = make(chan struct{})
		go func() {
			defer close(stopped)
			_ = engine.Call(func() error { return root.Stop(context.WithoutCancel(ctx)) })
		}()
		cancel()
	}
	for {
		select {
		case err := <-errc:
			if stopped != nil {
				<-stopped
			}
			return err
		case <-done:
			stop()
		case sig := <-signals:
			switch {
			case !opts.stops(sig):
				opts.onSignal(sig, false)
			case stopped == nil:
				opts.onSignal(sig, true)
				stop()
			case time.Since(stopBegan) < opts.SameStopWithin:
				opts.onSignal(sig, true)
			default:
				return opts.interrupt(sig, errc)
			}
		}
	}
}

// Main runs root with [Run] under a background context and exits the
// process: 0 after a clean shutdown, 1 when the tree gave up or failed
// (the error is printed to standard error first), 130 after a second
// signal cut the shutdown short. An error with an ExitCode() int method,
// found with errors.As, exits with that code instead: a tree that shut
// down because its significant child ended returns a
// *supervisor.AutoShutdownError, whose code is the child's (an
// *process.ExitError's exit code, or 128+N for signal N), so the program
// exits as its main job did. Call it last in func main.
func Main(root engine.Engine) {
	os.Exit(exitCode(Run(context.Background(), root)))
}

func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrInterrupted):
		fmt.Fprintln(os.Stderr, err)
		return 130
	}
	fmt.Fprintln(os.Stderr, "arbor:", err)
	var c interface{ ExitCode() int }
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	return 1
}

// interrupt handles a stop signal that came while the tree was stopping:
// OnInterrupt, then at most InterruptWait for root's Run.
func (o *Options) interrupt(sig os.Signal, errc <-chan error) error {
	if o.OnInterrupt != nil {
		o.OnInterrupt(sig)
	}
	if o.InterruptWait > 0 {
		t := time.NewTimer(o.InterruptWait)
		defer t.Stop()
		select {
		case <-errc:
		case <-t.C:
		}
	}
	return ErrInterrupted
}
