package supervisor

import (
	"errors"
	"fmt"
	"strings"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// Errors of the admin calls (AddChild, InsertChild, ReplaceChild,
// TerminateChild, RestartChild, DeleteChild) and of a child's run. Match
// them with errors.Is. Run's own errors have types instead, which say where
// and why: the failures [*GaveUpError], [*StartError], [*StopTimeoutError]
// and [*ConfigError], and [*AutoShutdownError] for a shutdown that a
// significant child's error caused; match them with errors.As.
var (
	// ErrNotFound: no child has that name.
	ErrNotFound = errors.New("supervisor: no child with that name")
	// ErrAlreadyExists: a sibling has that name already.
	ErrAlreadyExists = errors.New("supervisor: a child with that name exists")
	// ErrNotStopped: the call needs a stopped child.
	ErrNotStopped = errors.New("supervisor: the child is not stopped")
	// ErrNotRunning: the supervisor is not running, has finished, or is
	// shutting down.
	ErrNotRunning = errors.New("supervisor: not running")
	// ErrStartTimeout: a child did not become ready within its start
	// timeout. It is the Err of that run's EventStartFailed, of a
	// *StartError, and of the AddChild, InsertChild or RestartChild that
	// started it.
	ErrStartTimeout = errors.New("supervisor: child not ready within its start timeout")
	// ErrAbandoned: a child did not stop within its shutdown timeout, and
	// the goroutine still in its Run or Stop was abandoned. errors.Is
	// matches it in three places, each with its own text:
	//   - the LastErr (LastExit ExitFailed) of a run whose requested stop
	//     timed out before its Run returned (reported EventStopTimedOut);
	//   - the Err (ExitFailed, joined to Run's own error) of a run that
	//     ended on its own and whose Stop then outlasted the timeout;
	//   - the Err of an EventStartFailed when a start waited for an
	//     abandoned Run as long as the child's start timeout (a nested
	//     supervisor: its shutdown timeout) and the Run had still not
	//     returned; the restart policy applies as to any failed start.
	ErrAbandoned = core.ErrAbandoned
)

// fromCore turns the core's errors of a child's run into the package's.
func fromCore(err error) error {
	if err == core.ErrStartTimeout {
		return ErrStartTimeout
	}
	return err
}

// errAlreadyRunning: Run was called on a supervisor that is running. A
// Supervisor runs once at a time; it may run again after Run returned.
var errAlreadyRunning = errors.New("supervisor: already running")

// errNilEngine: a child's New returned a nil engine; that run failed.
var errNilEngine = errors.New("supervisor: the child's New returned a nil engine")

// GaveUpError is returned by the Run of a supervisor that gave up because
// a restart would have exceeded its restart intensity.
type GaveUpError struct {
	// Supervisor is the path of the supervisor that gave up.
	Supervisor string
	// Child is the path of the child whose failure exceeded the intensity.
	Child string
	// Err is that child's last error (nil after a normal exit of a
	// permanent child).
	Err error
	// Abandoned lists the children that did not stop in time meanwhile.
	Abandoned []string
}

// Error names the supervisor, the child and the child's error, and the
// abandoned children if any.
func (e *GaveUpError) Error() string {
	msg := fmt.Sprintf("supervisor %s: restart intensity exceeded by %s", e.Supervisor, e.Child)
	if e.Err != nil {
		msg += ": " + firstLine(e.Err.Error())
	}
	return msg + abandonedSuffix(e.Abandoned)
}

// Unwrap returns the child's error and, if children were abandoned, a
// *StopTimeoutError listing them, so errors.Is and errors.As see both.
func (e *GaveUpError) Unwrap() []error { return nonNil(e.Err, abandonedErr(e.Abandoned)) }

// StartError is returned by the Run of a supervisor whose child failed to
// start while the supervisor itself started. The children that had
// started were stopped in reverse order.
type StartError struct {
	// Supervisor is the path of the supervisor whose start failed.
	Supervisor string
	// Child is the path of the child that failed to start.
	Child string
	// Err is why: the child's error, ErrStartTimeout, or a *PanicError.
	Err error
	// Abandoned lists the children that did not stop in time meanwhile.
	Abandoned []string
}

// Error names the supervisor, the child and why it failed.
func (e *StartError) Error() string {
	return fmt.Sprintf("supervisor %s: child %s failed to start: %v%s", e.Supervisor, e.Child, firstLine(fmt.Sprint(e.Err)), abandonedSuffix(e.Abandoned))
}

// Unwrap returns the child's error and, if children were abandoned, a
// *StopTimeoutError listing them.
func (e *StartError) Unwrap() []error { return nonNil(e.Err, abandonedErr(e.Abandoned)) }

// AutoShutdownError is returned by the Run of a supervisor that shut down
// because a significant child ended (its AutoShutdown) with an error: a
// temporary child that failed, or one whose end carried an exit code. It
// is a normal end all the same, as OTP's shutdown exit is: a parent does
// not count it as a failure of the child supervisor. A significant child
// that ended with nil makes Run return nil, or a *StopTimeoutError when
// children had to be abandoned meanwhile.
type AutoShutdownError struct {
	// Supervisor is the path of the supervisor that shut down.
	Supervisor string
	// Child is the path of the significant child whose end shut it down.
	Child string
	// Err is that child's error.
	Err error
	// Abandoned lists the children that did not stop in time meanwhile.
	Abandoned []string
}

// Error names the supervisor, the child and the child's error.
func (e *AutoShutdownError) Error() string {
	return fmt.Sprintf("supervisor %s: shut down after significant child %s ended: %s%s", e.Supervisor, e.Child, firstLine(fmt.Sprint(e.Err)), abandonedSuffix(e.Abandoned))
}

// Unwrap returns the child's error, so that errors.As reaches what it
// carries, such as an *process.ExitError.
func (e *AutoShutdownError) Unwrap() []error { return nonNil(e.Err, abandonedErr(e.Abandoned)) }

// ExitCode is the exit code the child's error carries (an error with an
// ExitCode() int method, such as *process.ExitError, found with errors.As),
// or 1 when it carries none: the code a program ends with when its tree
// ended with its main job, as [github.com/arborgo/arbor.Main] and
// supervise do.
func (e *AutoShutdownError) ExitCode() int {
	var c interface{ ExitCode() int }
	if errors.As(e.Err, &c) {
		return c.ExitCode()
	}
	return 1
}

// ExitCode is 1: a tree that gave up failed, whatever the last child's
// error carries.
func (e *GaveUpError) ExitCode() int { return 1 }

// ExitCode is 1: a tree that could not start failed, whatever the
// child's error carries.
func (e *StartError) ExitCode() int { return 1 }

// StopTimeoutError lists, by path, the children that did not stop within
// their shutdown timeout and were abandoned: Go cannot kill a goroutine,
// so they may still be running.
type StopTimeoutError struct {
	// Supervisor is the path of the supervisor that abandoned them.
	Supervisor string
	// Children are the abandoned children's paths, in stop order.
	Children []string
}

// Error lists the abandoned children.
func (e *StopTimeoutError) Error() string {
	return fmt.Sprintf("supervisor %s: abandoned after their shutdown timeout: %s", e.Supervisor, strings.Join(e.Children, ", "))
}

// ConfigError lists every problem found in a supervisor's config and
// children, by path.
type ConfigError struct {
	// Problems holds one line per problem, each starting with its path.
	Problems []string
}

// Error lists the problems, one per line.
func (e *ConfigError) Error() string {
	return "supervisor: invalid configuration:\n\t" + strings.Join(e.Problems, "\n\t")
}

func abandonedErr(paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	return &StopTimeoutError{Children: paths}
}

func abandonedSuffix(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	return " (abandoned after their shutdown timeout: " + strings.Join(paths, ", ") + ")"
}

func nonNil(errs ...error) []error {
	out := errs[:0]
	for _, e := range errs {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
