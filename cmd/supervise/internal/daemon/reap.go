package daemon

import (
	"context"
	"log/slog"
	"os"

	"github.com/arborgo/arbor/engine/process"
)

// startReaper makes supervise reap every zombie it inherits. As PID 1 (a
// container's entrypoint) it is every orphan's parent already; otherwise
// it becomes a child subreaper, so that a grandchild that daemonizes stays
// its descendant, reaped by it and killed at the end of the run instead of
// living on under init. It returns a function that stops the reaper once
// every child has been waited for.
func startReaper(log *slog.Logger) (stop func()) {
	if os.Getpid() != 1 {
		if err := process.SetChildSubreaper(); err != nil {
			log.Warn("cannot become a child subreaper; orphaned grandchildren go to init", "error", err.Error())
			return func() {}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	r, err := process.StartReaper(ctx)
	if err != nil {
		cancel()
		log.Warn("cannot start the reaper", "error", err.Error())
		return func() {}
	}
	return func() {
		cancel()
		<-r.Done()
	}
}
