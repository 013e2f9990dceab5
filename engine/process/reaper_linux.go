package process

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// startReaper reaps on every SIGCHLD, collecting all exited children with
// wait4(-1, WNOHANG): SIGCHLDs coalesce.
func startReaper(ctx context.Context) (*reaper, error) {
	reaperMu.Lock()
	defer reaperMu.Unlock()
	if activeReaper != nil {
		return nil, errors.New("process: a reaper is already running")
	}
	r := newReaper()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGCHLD)
	activeReaper = r
	go r.loop(ctx, sigs)
	return r, nil
}

func (r *reaper) loop(ctx context.Context, sigs chan os.Signal) {
	defer close(r.done)
	defer signal.Stop(sigs)
	ctxDone := ctx.Done()
	for {
		// SIGCHLDs coalesce, so one signal may stand for many exits, and
		// a child may have exited before Notify: always reap until none.
		r.reapAll()
		if ctxDone == nil && r.tryRetire() {
			return
		}
		select {
		case <-sigs:
		case <-r.wake:
		case <-ctxDone:
			r.mu.Lock()
			r.closing = true
			r.mu.Unlock()
			ctxDone = nil
		}
	}
}

func (r *reaper) reapAll() {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil || pid <= 0 {
			return // ECHILD: no children; 0: none has exited
		}
		r.deliver(pid, ws)
	}
}
