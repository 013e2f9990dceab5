package control

import (
	"time"

	"github.com/arborgo/arbor/supervisor/health"
)

// Request is what a client sends, as one JSON line.
type Request struct {
	// Cmd is the command: "status", or one of the Cmd constants.
	Cmd string `json:"cmd"`
	// Paths are the children a command acts on, such as "shop/db".
	Paths []string `json:"paths,omitempty"`
	// Signal is the signal of "signal", such as "SIGUSR1".
	Signal string `json:"signal,omitempty"`
	// DryRun makes "reload" print its plan and apply nothing.
	DryRun bool `json:"dry_run,omitempty"`
}

// Status is the answer to a "status" request: the live tree of one
// running `supervise run`.
type Status struct {
	Name    string    `json:"name"`     // the root supervisor's name
	PID     int       `json:"pid"`      // the PID of supervise itself
	Socket  string    `json:"socket"`   // the socket it answers on
	Started time.Time `json:"started"`  // when the tree started
	Time    time.Time `json:"time"`     // when this status was taken
	Rows    []Row     `json:"children"` // every child below the root, in tree order
	// Ready is the tree's readiness, as GET /readyz answers it.
	Ready *health.Report `json:"ready,omitempty"`
	// Error is set, and nothing else, when the request failed.
	Error string `json:"error,omitempty"`
}

// Row is one child of the tree, in tree order (depth first, start order).
type Row struct {
	Path     string `json:"path"`          // such as "shop/jobs/worker"
	Kind     string `json:"kind"`          // "process" or "supervisor" (a nested group)
	State    string `json:"state"`         // stopped, starting, running, stopping, backing_off, abandoned; done for a transient child that finished its job (a one-shot step)
	PID      int    `json:"pid,omitempty"` // of a running process; 0 (left out) otherwise
	Restarts int    `json:"restarts"`      // restarts so far, group restarts included
	// Since is when the child entered State.
	Since time.Time `json:"since"`
	// Uptime is how long a running child has run, in seconds.
	Uptime float64 `json:"uptime,omitempty"`
	// LastExit says how the last run ended, as the LAST EXIT column of
	// `supervise status` does: for a process "code N", "signal SIGNAME",
	// "stopped" (it ended because supervise stopped it on purpose: a
	// group restart or a shutdown, whatever its code or signal) or
	// "normal"; "unhealthy" when supervise stopped it for failing its
	// liveness check (live:, watchdog:); otherwise, and for a process that
	// failed to start, the supervisor's exit kind: normal, error, panic
	// or start_failed. It is
	// "" when no run ended yet.
	LastExit string `json:"last_exit,omitempty"`
	// Code and Signal give the last exit of a process, when it exited
	// (Code) or was killed (Signal), a stopped one included.
	Code   *int   `json:"code,omitempty"`
	Signal string `json:"signal,omitempty"` // such as "SIGKILL"
	// Error is the first line of the last run's error.
	Error string `json:"error,omitempty"`
	// BackoffLeft is the time left before a restart, in seconds.
	BackoffLeft float64 `json:"backoff_left,omitempty"`
	// Status is the last STATUS= that a process sent over its
	// NOTIFY_SOCKET (ready: {notify: true} or watchdog:).
	Status string `json:"status,omitempty"`
}
