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
	// ErrRunOut fails a start held for an abandoned Run that did not
	// return within the start's bound ([ChildSpec.StartTimeout]).
	ErrRunOut = errors.New("core: the child's abandoned Run has not returned")
	// ErrAbandoned is the last error of a run whose stop timed out before
	// its Run returned.
	ErrAbandoned = errors.New("core: the child did not stop within its shutdown timeout and was abandoned")
)

// ErrStopHung is joined to the error of a run whose Stop, called after
// Run ended on its own, outlasted the shutdown timeout (a ChildExited
// with TimedOut). Its text is the supervisor package's, which exports it
// as is: it travels inside joined errors, where no mapping reaches.
var ErrStopHung = errors.New("supervisor: Stop did not return within the shutdown timeout")
