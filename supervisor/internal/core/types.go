package core

// Strategy says which children a supervisor restarts when one of them
// must be restarted. The names and semantics are OTP's.
type Strategy uint8

const (
	// OneForOne restarts only the child that exited.
	OneForOne Strategy = iota
	// OneForAll stops every other child in reverse start order, then
	// starts all of them again in start order.
	OneForAll
	// RestForOne stops the children started after the one that exited, in
	// reverse start order, then starts it and them again in start order.
	RestForOne
)

var strategyNames = [...]string{"one_for_one", "one_for_all", "rest_for_one"}

// String returns the OTP name, such as "one_for_one".
func (s Strategy) String() string {
	if int(s) < len(strategyNames) {
		return strategyNames[s]
	}
	return "Strategy(invalid)"
}

// Restart says when a child that exited is started again. The names and
// semantics are OTP's.
type Restart uint8

const (
	// Permanent children are always restarted, even after a normal exit.
	Permanent Restart = iota
	// Transient children are restarted only after an abnormal exit: an
	// error or a panic.
	Transient
	// Temporary children are never restarted; a temporary child is removed
	// from its supervisor when it exits.
	Temporary
)

var restartNames = [...]string{"permanent", "transient", "temporary"}

// String returns the OTP name, such as "permanent".
func (r Restart) String() string {
	if int(r) < len(restartNames) {
		return restartNames[r]
	}
	return "Restart(invalid)"
}

// AutoShutdown says whether the exit of significant children shuts their
// supervisor down, as OTP's auto_shutdown flag does.
type AutoShutdown uint8

const (
	// Never ignores significance.
	Never AutoShutdown = iota
	// AnySignificant shuts the supervisor down when any significant child
	// exits on its own and is not restarted.
	AnySignificant
	// AllSignificant shuts the supervisor down when the last running
	// significant child exits on its own and is not restarted.
	AllSignificant
)

var autoShutdownNames = [...]string{"never", "any_significant", "all_significant"}

// String returns the OTP name, such as "any_significant".
func (a AutoShutdown) String() string {
	if int(a) < len(autoShutdownNames) {
		return autoShutdownNames[a]
	}
	return "AutoShutdown(invalid)"
}

// ExitKind classifies how a run of a child ended.
type ExitKind uint8

const (
	// ExitNormal is a nil return, or a return after the supervisor itself
	// cancelled the run.
	ExitNormal ExitKind = iota
	// ExitFailed is a non-nil error return.
	ExitFailed
	// ExitPanic is a recovered panic.
	ExitPanic
	// ExitStartFailed is a run that ended, or never became ready in time,
	// before it reported ready.
	ExitStartFailed
	// ExitUnhealthy is a ready run that its liveness check found hung,
	// and that was stopped for it.
	ExitUnhealthy
)

var exitNames = [...]string{"normal", "error", "panic", "start_failed", "unhealthy"}

// String returns a lower-case name, such as "panic".
func (k ExitKind) String() string {
	if int(k) < len(exitNames) {
		return exitNames[k]
	}
	return "ExitKind(invalid)"
}

// State is where a child is in its life cycle.
type State uint8

const (
	// StateStopped children have a spec but no run: they have not started yet,
	// were terminated, or exited and are not to be restarted.
	StateStopped State = iota
	// StateStarting children have a run that has not reported ready yet.
	StateStarting
	// StateRunning children have a run that reported ready.
	StateRunning
	// StateStopping children were asked to stop and have not finished.
	StateStopping
	// StateBackingOff children wait out a backoff delay before their restart.
	StateBackingOff
	// StateAbandoned children were stopped, but their Run did not return
	// within the shutdown timeout and was abandoned; it may still be
	// running. The child is not started again until that Run has returned
	// (one Run of an engine at a time), unless its spec says its runs may
	// overlap.
	StateAbandoned
)

var stateNames = [...]string{"stopped", "starting", "running", "stopping", "backing_off", "abandoned"}

// String returns a lower-case name, such as "backing_off".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(invalid)"
}

// alive reports whether the child has a run, or is about to have one. An
// abandoned run is not the supervisor's any more.
func (s State) alive() bool { return s != StateStopped && s != StateAbandoned }
