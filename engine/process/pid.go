package process

// PID returns the process ID of the running main process, or 0 when none
// runs (before the first Run, between runs, and once it exited). Status
// displays call it from any goroutine.
func (p *Process) PID() int {
	p.mu.Lock()
	r := p.cur
	p.mu.Unlock()
	if r == nil {
		return 0
	}
	return r.pid()
}

func (r *procRun) pid() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.c == nil || r.closed {
		return 0
	}
	return r.c.pid
}
