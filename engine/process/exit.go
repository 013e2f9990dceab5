package process

import (
	"errors"
	"fmt"
	"log/slog"
	"syscall"
)

// ErrStopped is what a [*ExitError] unwraps to when the process exited after
// a stop was requested, by [Process.Stop] or by the end of Run's context.
// A restart policy uses errors.Is(err, ErrStopped) to tell "it died because
// we asked it to" from a crash, since most programs do not exit 0 on their
// stop signal.
var ErrStopped = errors.New("process: process stopped on request")

// ExitError is the error [Process.Run] returns when the main process ended
// with anything but exit code 0. Reach it with errors.As.
type ExitError struct {
	// Pid is the process ID the process had.
	Pid int
	// Code is the exit code, or -1 when the process was killed by a signal.
	Code int
	// Signaled reports whether the process was killed by a signal.
	Signaled bool
	// Signal is the signal that killed the process, when Signaled is true.
	Signal syscall.Signal
	// Stopped reports whether a stop had been requested before the process
	// ended; when true, the error unwraps to [ErrStopped].
	Stopped bool
}

// Error describes the exit like a shell would: "exit status 3" or
// "signal: terminated", with the PID.
func (e *ExitError) Error() string {
	what := fmt.Sprintf("exit status %d", e.Code)
	if e.Signaled {
		what = "signal: " + e.Signal.String()
	}
	if e.Stopped {
		what += " (after stop)"
	}
	return fmt.Sprintf("process %d: %s", e.Pid, what)
}

// Unwrap returns [ErrStopped] when the exit followed a stop request, and nil
// otherwise.
func (e *ExitError) Unwrap() error {
	if e.Stopped {
		return ErrStopped
	}
	return nil
}

// ExitCode is the code a shell reports for the exit: Code, or 128+N when
// signal N killed the process. A program whose main job this process was
// exits with it (see supervisor.AutoShutdownError).
func (e *ExitError) ExitCode() int {
	if e.Signaled {
		return 128 + int(e.Signal)
	}
	return e.Code
}

// LogAttrs returns the exit as log attributes: "code" with the exit code,
// or "signal" with the signal's name ("SIGKILL"). A supervisor adds them to
// the records of events that carry this error, so a log of exits can be
// parsed back without parsing messages.
func (e *ExitError) LogAttrs() []slog.Attr {
	if e.Signaled {
		return []slog.Attr{slog.String("signal", signalName(e.Signal))}
	}
	return []slog.Attr{slog.Int("code", e.Code)}
}

// exitResult turns a wait status into Run's result: nil only for exit code 0.
func exitResult(pid int, ws syscall.WaitStatus, stopped bool) error {
	if ws.Exited() && ws.ExitStatus() == 0 {
		return nil
	}
	e := &ExitError{Pid: pid, Code: ws.ExitStatus(), Stopped: stopped}
	if ws.Signaled() {
		e.Code, e.Signaled, e.Signal = -1, true, ws.Signal()
	}
	return e
}
