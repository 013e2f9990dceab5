package core

import "time"

// ActionKind is what the core asks the shell to do.
type ActionKind uint8

const (
	// StartChild: start a new run of Child with generation Gen. The shell
	// reports ChildReady when the run is ready (for children whose spec
	// says ReportsReady), or, with Confirm set, as soon as Run has been
	// entered; and ChildExited when the run ends on its own.
	StartChild ActionKind = iota + 1
	// StopChild: stop the run Gen of Child within Timeout, then report
	// ChildStopped, whether or not the run had already ended.
	StopChild
	// ArmTimer: report TimerFired with Gen as the sequence at time At. A
	// timer with the same Child (nil for the supervisor's own) replaces the
	// previous one; the core ignores timers it no longer wants.
	ArmTimer
	// Report: tell the world (log, hooks, snapshots) about Report.
	Report
	// Retire: Child has stopped and nothing is planned for it; the shell
	// may free what it keeps for its runs (a worker goroutine). A later
	// StartChild, after an admin call or a restart of its group, starts
	// it afresh. It comes right after the first report about the child,
	// or last.
	Retire
	// RunProbe: run the liveness probe of the run Gen of Child, within
	// its timeout, and report ProbeDone; the core asks for one at a time.
	RunProbe
)

// Action is one thing for the shell to do. Only the fields that its Kind
// names are set.
type Action struct {
	// Kind is what to do.
	Kind ActionKind
	// Child is the child to start or stop, whose timer to arm (nil for
	// the supervisor's own), or that a Report is about or caused by.
	Child *Child
	// Confirm asks a StartChild to report ChildReady as Run is entered.
	Confirm bool
	// Gen is the run generation (StartChild, StopChild) or the timer
	// sequence (ArmTimer) to echo back in inputs.
	Gen uint64
	// Timeout bounds a StopChild.
	Timeout time.Duration
	// At is when an ArmTimer fires.
	At time.Time
	// Report names the event of a Report action.
	Report EventKind
	// Exit and Err say how a run ended (EventExited, EventStartFailed,
	// EventRestarting, EventGaveUp), or why a stop failed.
	Exit ExitKind
	Err  error
	// Delay is the backoff before a restart (EventRestarting).
	Delay time.Duration
	// Restarts is the Child's restart count when the event happened: a
	// restart decided later in the same input does not count in an
	// exited before it.
	Restarts int
}

// AboutSupervisor reports whether a Report action is about the supervisor
// itself (gave_up, shutdown, draining); its Child, if any, is then the
// cause, not the subject. Shells and the simulator name such events by
// the supervisor's path.
func (a *Action) AboutSupervisor() bool {
	return a.Report == EventGaveUp || a.Report == EventShutdown || a.Report == EventDraining
}

// EventKind names a reported event. The names are stable: logs and
// replays depend on them.
type EventKind uint8

// The reported events; their meanings are those of the supervisor
// package's Event kinds of the same names.
const (
	EventStarted EventKind = iota + 1
	EventReady
	EventExited
	EventStartFailed
	EventRestarting
	EventStopping
	EventStopped
	EventStopTimedOut
	EventRemoved
	EventGaveUp
	EventShutdown
	EventUnhealthy
	EventDraining
)

var reportNames = [...]string{"", "started", "ready", "exited", "start_failed", "restarting",
	"stopping", "stopped", "stop_timed_out", "removed", "gave_up", "shutdown", "unhealthy", "draining"}

// String returns the stable name, such as "restarting".
func (k EventKind) String() string {
	if int(k) < len(reportNames) && k != 0 {
		return reportNames[k]
	}
	return "EventKind(invalid)"
}

// Reason says why a supervisor finished.
type Reason uint8

const (
	// Requested: the supervisor was asked to stop.
	Requested Reason = iota + 1
	// GaveUp: a restart would have exceeded the restart intensity.
	GaveUp
	// StartFailed: a child failed to start while the supervisor started.
	StartFailed
	// AutoShutdown: significant children finished.
	AutoShut
)

var reasonNames = [...]string{"", "requested", "gave_up", "start_failed", "auto_shutdown"}

// String returns a lower-case name, such as "gave_up".
func (r Reason) String() string {
	if int(r) < len(reasonNames) && r != 0 {
		return reasonNames[r]
	}
	return "Reason(invalid)"
}

// Outcome is how a supervisor finished.
type Outcome struct {
	// Reason is why the supervisor finished.
	Reason Reason
	// Child is the child that caused GaveUp, StartFailed or AutoShutdown.
	Child *Child
	// Err is that child's last error.
	Err error
	// Abandoned lists the children that did not stop within their shutdown
	// timeout, in the order they were stopped.
	Abandoned []*Child
}
