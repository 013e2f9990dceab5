package arbor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/arborgo/arbor/engine"
)

// ErrInterrupted is returned by [Run] when a second signal arrived while
// the tree was stopping: Run stopped waiting, and whatever had not stopped
// yet was left running.
var ErrInterrupted = errors.New("arbor: second signal during shutdown; stopped waiting")

// notifySignals is the seam that tests replace to deliver signals without
// sending them to the process.
var notifySignals = func(c chan<- os.Signal) (stop func()) {
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
	return func() { signal.Stop(c) }
}

// Run runs root until it returns on its own, ctx ends, or SIGTERM or SIGINT
// arrives. In the last two cases it cancels root's context and calls its
// Stop, then waits for Run to return: a supervisor then stops its tree in
// reverse start order. A second signal during that wait makes Run return
// ErrInterrupted at once.
//
// Run returns root's error: nil after a clean shutdown, a
// *supervisor.GaveUpError when the tree gave up. Call it once per root.
func Run(ctx context.Context, root engine.Engine) error {
	signals := make(chan os.Signal, 2)
	stopSignals := notifySignals(signals)
	defer stopSignals()

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- engine.Call(func() error { return root.Run(runCtx) }) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	case <-signals:
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		_ = engine.Call(func() error { return root.Stop(context.WithoutCancel(ctx)) })
	}()
	cancel()
	select {
	case err := <-errc:
		<-stopped
		return err
	case <-signals:
		return ErrInterrupted
	}
}

// Main runs root with [Run] under a background context and exits the
// process: 0 after a clean shutdown, 1 when the tree gave up or failed
// (the error is printed to standard error first), 130 after a second
// signal cut the shutdown short. Call it last in func main.
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
	return 1
}
