package supervisor

import "github.com/arborgo/arbor/supervisor/core"

// result turns the core's outcome into Run's error.
func (r *runState) result() error {
	out := r.core.Outcome()
	var abandoned []string
	for _, cc := range out.Abandoned {
		c := shellChild(cc)
		abandoned = append(abandoned, c.path)
		r.logAbandoned(c)
	}
	var cause string
	if out.Child != nil {
		cause = shellChild(out.Child).path
	}
	switch out.Reason {
	case core.GaveUp:
		return &GaveUpError{Supervisor: r.path, Child: cause, Err: out.Err, Abandoned: abandoned}
	case core.StartFailed:
		err := out.Err
		if err == core.ErrStartTimeout {
			err = ErrStartTimeout
		}
		return &StartError{Supervisor: r.path, Child: cause, Err: err, Abandoned: abandoned}
	}
	if len(abandoned) > 0 {
		return &StopTimeoutError{Supervisor: r.path, Children: abandoned}
	}
	return nil
}
