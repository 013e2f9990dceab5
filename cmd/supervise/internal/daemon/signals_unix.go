//go:build unix

package daemon

import (
	"os"
	"syscall"
)

// ignoredSignals are the signals that would otherwise end supervise (at
// once, or with a dump: the synchronous SIGSEGV, SIGBUS, SIGFPE and SIGILL
// too, when sent with kill; a real fault still crashes) or freeze it
// (SIGTSTP, SIGTTIN), or that have no meaning for it yet. SIGPIPE stops a
// write to a broken stderr from ending supervise. SIGTTOU keeps its
// default: caught, a log write to a terminal with tostop set would be
// retried by the kernel forever. SIGPROF, SIGURG, SIGCHLD, SIGWINCH and
// SIGCONT do no harm and belong to the runtime, the reaper or nobody.
var ignoredSignals = append([]os.Signal{
	syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGALRM, syscall.SIGVTALRM,
	syscall.SIGXCPU, syscall.SIGXFSZ, syscall.SIGSYS, syscall.SIGTRAP, syscall.SIGABRT,
	syscall.SIGILL, syscall.SIGBUS, syscall.SIGFPE, syscall.SIGSEGV, syscall.SIGPIPE,
	syscall.SIGIO, syscall.SIGTSTP, syscall.SIGTTIN,
}, platformSignals...)

// execKept are the signals that supervise exec does not forward (those
// tini keeps, and SIGPIPE); execExtra are those it forwards beyond the
// ones supervise handles anyway.
var (
	execKept = []os.Signal{syscall.SIGILL, syscall.SIGTRAP, syscall.SIGABRT, syscall.SIGBUS, syscall.SIGFPE,
		syscall.SIGSEGV, syscall.SIGSYS, syscall.SIGPIPE, syscall.SIGTTIN, syscall.SIGTTOU}
	execExtra = []os.Signal{syscall.SIGWINCH}
)
