package supervisor

import "github.com/arborgo/arbor/supervisor/internal/core"

// result turns the core's outcome into Run's error.
func (r *runState) result() error {
	out := r.core.Outcome()
	var abandoned []string
	for _, cc := range out.Abandoned {
		c := shellChild(cc)
		abandoned = append(abandoned, c.path)
		r.logAbandoned(c)
	}
	// Then what was abandoned further down, in stop order: those runs may
	// still be running too, and the root's error must say so.
	kids := r.core.Children()
	for i := len(kids) - 1; i >= 0; i-- {
		abandoned = append(abandoned, shellChild(kids[i]).below...)
	}
	var cause string
	if out.Child != nil {
		cause = shellChild(out.Child).path
	}
	switch out.Reason {
	case core.GaveUp:
		return &GaveUpError{Supervisor: r.path, Child: cause, Err: fromCore(out.Err), Abandoned: abandoned}
	case core.StartFailed:
		return &StartError{Supervisor: r.path, Child: cause, Err: fromCore(out.Err), Abandoned: abandoned}
	case core.AutoShut:
		if out.Err != nil {
			return &AutoShutdownError{Supervisor: r.path, Child: cause, Err: out.Err, Abandoned: abandoned}
		}
	}
	if len(abandoned) > 0 {
		return &StopTimeoutError{Supervisor: r.path, Children: abandoned}
	}
	return nil
}

// noteBelow keeps what the end of the child's current run says was
// abandoned below it: the error of a child supervisor's Run lists it, and
// a parent's result must pass it on. A later end replaces it.
func (c *child) noteBelow(ev core.Input) {
	var err error
	switch ev.Kind {
	case core.ChildExiting, core.ChildExited:
		err = ev.Err
	case core.ChildStopped, core.AbandonedReturned:
		if c.cur == nil || c.cur.gen != ev.Gen {
			return
		}
		c.cur.mu.Lock()
		err = c.cur.runErr
		c.cur.mu.Unlock()
	default:
		return
	}
	c.below = abandonedBelow(err, 0)
}

// abandonedBelow finds the abandoned paths an error lists, as errors.As
// would find a *StopTimeoutError, but without its allocation: this runs on
// every restart.
func abandonedBelow(err error, depth int) []string {
	if err == nil || depth > 32 {
		return nil
	}
	switch e := err.(type) {
	case *StopTimeoutError:
		return e.Children
	case *GaveUpError:
		return e.Abandoned
	case *StartError:
		return e.Abandoned
	case *AutoShutdownError:
		return e.Abandoned
	case interface{ Unwrap() error }:
		return abandonedBelow(e.Unwrap(), depth+1)
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			if p := abandonedBelow(inner, depth+1); p != nil {
				return p
			}
		}
	}
	return nil
}
