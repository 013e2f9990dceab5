package process

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// StartReaper makes this program reap its children: on every SIGCHLD it
// collects all exited children with wait4(-1, WNOHANG) and hands each
// status to the [Process] that started the child. A daemon that is a
// container's PID 1, or a child subreaper (see [SetChildSubreaper]), calls
// it once, before starting any process, because it inherits every orphaned
// descendant and must reap them or fill the process table with zombies. (A
// process started before the reaper waits with os/exec, and the reaper may
// take its status from under it: its Run then fails with ECHILD.)
//
// When ctx ends the reaper keeps running until each child registered with
// it has been delivered its status, then stops and closes [Reaper.Done].
// Only one reaper can run at a time.
func StartReaper(ctx context.Context) (*Reaper, error) {
	reaperMu.Lock()
	defer reaperMu.Unlock()
	if activeReaper != nil {
		return nil, errors.New("engine: a reaper is already running")
	}
	r := newReaper()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGCHLD)
	activeReaper = r
	go r.loop(ctx, sigs)
	return r, nil
}

func (r *Reaper) loop(ctx context.Context, sigs chan os.Signal) {
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

func (r *Reaper) reapAll() {
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
