package sim

import (
	"fmt"
	"time"

	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// The states of a lane, as Span.State names them: the core's child states,
// plus done for a child that finished its job, and gave_up for a child
// whose supervisor gave up (or failed to start) and left it stopped.
const (
	stateStopped    = "stopped"     // not running: before its first start, or after an exit or a stop
	stateStarting   = "starting"    // launched, not yet ready
	stateRunning    = "running"     // ready
	stateStopping   = "stopping"    // asked to stop, not yet stopped
	stateBackingOff = "backing_off" // waiting out a backoff before a restart
	stateGaveUp     = "gave_up"     // left stopped because its supervisor, or one above, gave up
	stateDone       = "done"        // stopped, its job finished (supervisor.ChildStatus.Done): not down
)

func laneState(c *core.Child) string {
	if c.Done() {
		return stateDone
	}
	switch c.State() {
	case core.StateStarting:
		return stateStarting
	case core.StateRunning:
		return stateRunning
	case core.StateStopping:
		return stateStopping
	case core.StateBackingOff:
		return stateBackingOff
	}
	return stateStopped
}

// Span is a stretch of a lane in one state, [From, To).
type Span struct {
	From, To time.Duration // virtual time since the start of the simulation
	// State is one of "stopped", "starting", "running", "stopping",
	// "backing_off", "done" (a transient child that finished its job, as
	// supervisor.ChildStatus.Done says) and "gave_up" (left stopped
	// because its supervisor, or one above, gave up or failed to start).
	State string
}

// Lane is the timeline and the figures of one node of the tree: a leaf, a
// nested supervisor (its state as a child of its parent) or the root.
type Lane struct {
	Path  string // the node's path, such as "shop/jobs/worker"
	Depth int    // 0 for the root
	Group bool   // a supervisor

	// The child's policy as its supervisor resolved it, exactly as the
	// live supervisor does when it starts: every default applied, a
	// nested supervisor's shutdown budget, readiness from its engine
	// (engine.Readier). Zero for the root.
	Restart      supervisor.Restart
	Significant  bool
	ReportsReady bool
	Shutdown     time.Duration
	StartTimeout time.Duration // zero: none
	Backoff      supervisor.Backoff

	// Spans cover the simulation from 0 to Result.End without gaps.
	Spans []Span
	// Failures are the times of abnormal exits and failed starts.
	Failures []time.Duration
	// Restarts are the times of the starts that carried out a restart
	// decision about this child (not those of siblings restarted with it).
	Restarts []time.Duration
	// GaveUp lists, for a supervisor, the times it gave up or failed to
	// start, in order; a nested supervisor can give up several times when
	// its parent restarts it.
	GaveUp []Ending
	// Stats are the lane's figures over Result.Duration.
	Stats struct {
		Starts       int           // runs started
		Restarts     int           // restart decisions
		Failures     int           // abnormal exits and failed starts
		StopTimeouts int           // stops abandoned after the shutdown timeout
		Up           time.Duration // time running, or done (a finished job is not down)
		Down         time.Duration // the rest of Duration: Duration - Up
		// Availability is Up / Duration.
		Availability float64
		// LongestOutage is the longest stretch neither running nor done.
		LongestOutage time.Duration
	}
}

// Ending is a decision that ended a supervisor's run.
type Ending struct {
	// At is when it was decided, for Lane.GaveUp; for Result.Outcome, when
	// the root had finished, which takes its children's stop time more.
	At time.Duration
	// Reason is "gave_up" (restart intensity exceeded) or "start_failed",
	// and for the root's Outcome also "requested" (after
	// Options.Shutdown) or "auto_shutdown" (significant children ended
	// it).
	Reason string
	// Child is the path of the child that caused it, if any.
	Child string
}

// Event is one reported event, as the live supervisor reports it to
// Config.OnEvent and its log.
type Event struct {
	// At is when it was reported, in virtual time.
	At time.Duration
	// Supervisor is the path of the supervisor that reported it.
	Supervisor string
	// Path is the child's path, or the supervisor's own for events about
	// the supervisor (gave_up, shutdown).
	Path string
	// Cause is the path of the child that caused a gave_up or shutdown.
	Cause string
	// Kind is what happened, as in a live supervisor.Event.
	Kind supervisor.EventKind
	// Exit is how the run ended, for the kinds about an end
	// (supervisor.EventExited, EventStartFailed, EventRestarting,
	// EventGaveUp).
	Exit supervisor.ExitKind
	// Err is the run's error, or nil.
	Err error
	// Delay is the backoff before the restart, for restarting.
	Delay time.Duration
	// Restarts is the child's restart count, for events about a child.
	Restarts int
}

// String formats the event compactly, such as
// "1.5s restarting shop/db exit=error delay=100ms restarts=1".
func (e Event) String() string {
	s := fmt.Sprintf("%v %s %s", e.At, e.Kind, e.Path)
	switch e.Kind {
	case supervisor.EventExited, supervisor.EventStartFailed, supervisor.EventGaveUp:
		s += " exit=" + e.Exit.String()
	case supervisor.EventRestarting:
		s += fmt.Sprintf(" exit=%s delay=%v restarts=%d", e.Exit, e.Delay, e.Restarts)
	}
	return s
}

// Result is the outcome of a simulation.
type Result struct {
	// Duration is the simulated span the figures cover.
	Duration time.Duration
	// End is when the timeline ends: Duration, or later when a shutdown
	// at Duration took time.
	End time.Duration
	// Lanes are the root, then every node below it depth first, in start
	// order.
	Lanes []Lane
	// Events lists every reported event when Options.Events is set.
	Events []Event
	// Outcome is how the root finished; nil when it was still running at
	// the end.
	Outcome *Ending
	// Steps counts the events the simulator processed.
	Steps int
}

// set records that the lane is in state s from now on.
func (l *Lane) set(now time.Duration, s string) {
	n := len(l.Spans)
	if n > 0 {
		last := &l.Spans[n-1]
		if last.State == s {
			return
		}
		if last.From == now {
			// A state that lasted no time is dropped, and the one before
			// it continues if it is the same.
			if n > 1 && l.Spans[n-2].State == s {
				l.Spans = l.Spans[:n-1]
				return
			}
			last.State = s
			return
		}
		last.To = now
	}
	l.Spans = append(l.Spans, Span{From: now, To: now, State: s})
}

func (l *Lane) state() string {
	if len(l.Spans) == 0 {
		return stateStopped
	}
	return l.Spans[len(l.Spans)-1].State
}

// finish closes the lane at end and computes its figures over [0, d].
func (l *Lane) finish(end, d time.Duration) {
	if n := len(l.Spans); n > 0 {
		l.Spans[n-1].To = end
	} else {
		l.Spans = append(l.Spans, Span{0, end, stateStopped})
	}
	st := &l.Stats
	var outage time.Duration
	for _, sp := range l.Spans {
		from, to := sp.From, min(sp.To, d)
		if from >= to {
			break
		}
		if sp.State == stateRunning || sp.State == stateDone {
			st.Up += to - from
			outage = 0
			continue
		}
		outage += to - from
		st.LongestOutage = max(st.LongestOutage, outage)
	}
	st.Down = d - st.Up
	if d > 0 {
		st.Availability = float64(st.Up) / float64(d)
	}
}

// policy fills in the lane's resolved policy from the child's spec.
func (l *Lane) policy(sp *core.ChildSpec) {
	l.Restart, l.Significant, l.ReportsReady = sp.Restart, sp.Significant, sp.ReportsReady
	l.Shutdown, l.StartTimeout = sp.Shutdown, sp.StartTimeout
	b := sp.Backoff
	l.Backoff = supervisor.Backoff{Initial: b.Initial, Max: b.Max, Multiplier: b.Multiplier, Jitter: b.Jitter, ResetAfter: b.ResetAfter}
}
