package process

import "syscall"

// Signal sends sig to the process group of the run under way, reaching
// its main process and every descendant that stayed in its group, and
// reports whether a run was under way: false, with nothing sent, before
// the first Run, between runs and once the main process was reaped. It is
// safe from any goroutine; it never waits for the process.
func (p *Process) Signal(sig syscall.Signal) (bool, error) {
	p.mu.Lock()
	r := p.cur
	p.mu.Unlock()
	if r == nil {
		return false, nil
	}
	r.mu.Lock()
	c, closed := r.c, r.closed
	r.mu.Unlock()
	if c == nil || closed {
		return false, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return false, nil
	}
	return true, signalGroup(c.pid, sig)
}
