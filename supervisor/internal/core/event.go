package core

import "time"

// InputKind is what happened to a child, as the shell reports it.
type InputKind uint8

const (
	// ChildReady: a run that reports readiness said it is ready.
	ChildReady InputKind = iota + 1
	// ChildExited: a run ended on its own (a return or a panic) and the
	// shell has already called the child's Stop for it. A shell that sent
	// ChildExiting for the run sends ChildExited when that Stop is over;
	// the decision about a restart waits for it.
	ChildExited
	// ChildStopped: a stop that the core asked for is over; TimedOut says
	// the child was abandoned after its shutdown timeout.
	ChildStopped
	// TimerFired: a timer that the core armed fired.
	TimerFired
	// ChildExiting: a run ended on its own and the shell is about to call
	// the child's Stop. The end is recorded and reported at once, so that
	// a slow Stop does not make it late; ChildExited follows when Stop is
	// over. If a stop was asked for meanwhile, that ChildExited also ends
	// the stop.
	ChildExiting
	// AbandonedReturned: the Run of a run whose stop timed out (a
	// ChildStopped with TimedOut) has returned at last, and the Stop that
	// was asked for it has been called. The shell reports
	// it once for every such run, also when Run had returned before the
	// stop was abandoned; until it does, the child is not started again.
	AbandonedReturned
	// Heartbeat: the run Gen said it is alive, at time At. The shell
	// need not report every beat: the last one before the child's
	// timer fires is enough, reported before that TimerFired.
	Heartbeat
	// ProbeDone: the probe that RunProbe asked for is over; Err is nil
	// when it passed.
	ProbeDone
	// StartExtended: the run Gen, still starting, asked for its start
	// timeout to end no earlier than At.
	StartExtended
)

// Input is one thing that happened, as the shell reports it to the core.
type Input struct {
	// Kind is what happened.
	Kind InputKind
	// Child is the child the input is about; nil for a supervisor timer.
	Child *Child
	// Gen is the generation of the run (ChildReady, ChildExited,
	// ChildStopped) or the timer sequence (TimerFired) the input is about.
	Gen uint64
	// Exit and Err say how a run ended (ChildExited), or why its Stop
	// failed (ChildStopped).
	Exit ExitKind
	Err  error
	// TimedOut says a stop did not finish within its timeout and the
	// child was abandoned (ChildStopped), or that the Stop after a run's
	// own end hung (ChildExited): the core then counts the end as at
	// least ExitFailed and joins ErrStopHung to Err, which is Run's own.
	TimedOut bool
	// StopErr is what the Stop after a run's own end returned
	// (ChildExited). The core does not read it: the shell logs it once the
	// exit is recorded, so that a log does not show a Stop's failure before
	// the exit it followed. (A Stop that outlived the shutdown timeout is
	// the exception: the watchdog reported the exit, and its late failure
	// is logged as it comes.)
	StopErr error
	// At is when a Heartbeat was made (it may be earlier than the time
	// the event is handled), or the new end of a start (StartExtended).
	At time.Time
}
