package process

import "context"

// StartReaper makes this program reap its children: it collects every
// child that exits, delivers the status to the [Process] (or readiness
// probe) that started it, and discards the statuses of orphans that the
// kernel re-parented to this program. A daemon that is a container's PID 1,
// or a child subreaper (see [SetChildSubreaper]), calls it once, before
// starting any process, because it inherits every orphaned descendant and
// must reap them or fill the process table with zombies.
//
// While the reaper runs, every child of the program must be started by this
// package: a child started with plain os/exec (or before the reaper) is
// reaped by the reaper too, and its Cmd.Wait, or Run, fails with ECHILD.
//
// When ctx ends the reaper keeps running until each child registered with
// it has been delivered its status, then stops and closes done; from then
// on, processes are waited for with os/exec again. Only one reaper can run
// at a time: a call while one runs (also one whose ctx has ended but whose
// done is not yet closed) starts nothing and returns a nil channel and an
// error, and the running reaper carries on; once done is closed, a new
// reaper may be started. It needs Linux: elsewhere StartReaper returns
// [errors.ErrUnsupported], and processes are waited for with os/exec.
func StartReaper(ctx context.Context) (done <-chan struct{}, err error) {
	r, err := startReaper(ctx)
	if err != nil {
		return nil, err
	}
	return r.done, nil
}
