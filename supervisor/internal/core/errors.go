package core

import "errors"

// Errors of the admin calls and of a start that never became ready. The
// supervisor package maps them onto its own.
var (
	ErrNotFound      = errors.New("core: no child with that name")
	ErrAlreadyExists = errors.New("core: a child with that name exists")
	ErrNotStopped    = errors.New("core: the child is not stopped")
	ErrShuttingDown  = errors.New("core: the supervisor is shutting down")
	ErrStartTimeout  = errors.New("core: the child did not become ready within its start timeout")
	// ErrBusy: a plan (an ordered start or a group restart) is under way;
	// the admin call changed nothing, and the shell holds it and makes it
	// again after a later input, as OTP handles such calls between
	// restarts.
	ErrBusy = errors.New("core: busy with a start or a group restart")
)

// The errors of an abandoned child. Their texts are the supervisor
// package's, which exports ErrAbandoned as is: they travel inside joined
// errors and events, where no mapping reaches. ErrRunOut and ErrStopHung
// say which way the child was abandoned, and errors.Is matches both to
// ErrAbandoned.
var (
	// ErrAbandoned is the last error of a run whose stop timed out before
	// its Run returned.
	ErrAbandoned = errors.New("supervisor: the child did not stop within its shutdown timeout and was abandoned")
	// ErrRunOut fails a start held for an abandoned Run that did not
	// return within the start's bound ([ChildSpec.StartTimeout]).
	ErrRunOut error = abandoned("supervisor: the start waited for the child's abandoned Run, which has not returned")
	// ErrStopHung is joined to the error of a run whose Stop, called
	// after Run ended on its own, outlasted the shutdown timeout (a
	// ChildExited with TimedOut).
	ErrStopHung error = abandoned("supervisor: the child's Stop, called after its Run ended, did not return within the shutdown timeout and was abandoned")
)

// abandoned is an error that errors.Is matches to ErrAbandoned.
type abandoned string

func (e abandoned) Error() string        { return string(e) }
func (e abandoned) Is(target error) bool { return target == ErrAbandoned }
