package sim

import (
	"fmt"
	"time"

	"github.com/arborgo/arbor/supervisor/core"
)

// State is the state of a lane of the timeline.
type State uint8

// The states of a lane. They are the core's child states, plus GaveUp for
// a child whose supervisor gave up (or failed to start) and left it
// stopped.
const (
	Stopped    State = iota // not running: before its first start, or after an exit or a stop
	Starting                // launched, not yet ready
	Running                 // ready (or launched, for a child that does not report readiness)
	Stopping                // asked to stop, not yet stopped
	BackingOff              // waiting out a backoff before a restart
	GaveUp                  // left stopped because its supervisor, or one above, gave up
	numStates
)

var stateNames = [...]string{"stopped", "starting", "running", "stopping", "backing_off", "gave_up"}

// String returns a lower-case name, such as "backing_off".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(invalid)"
}

func laneState(s core.State) State {
	switch s {
	case core.Starting:
		return Starting
	case core.Running:
		return Running
	case core.Stopping:
		return Stopping
	case core.BackingOff:
		return BackingOff
	}
	return Stopped
}

// Span is a stretch of a lane in one state, [From, To).
type Span struct {
	From, To time.Duration // virtual time since the start of the simulation
	State    State         // the lane's state throughout the span
}

// Lane is the timeline and the figures of one node of the tree: a leaf, a
// nested supervisor (its state as a child of its parent) or the root.
type Lane struct {
	Path  string // the node's path, such as "shop/jobs/worker"
	Depth int    // 0 for the root
	Group bool   // a supervisor
	// Spans cover the simulation from 0 to Result.End without gaps.
	Spans []Span
	// Failures are the times of abnormal exits and failed starts.
	Failures []time.Duration
	// Restarts are the times of the starts that carried out a restart
	// decision about this child (not those of siblings restarted with it).
	Restarts []time.Duration
	// Stats are the lane's figures over Result.Duration.
	Stats Stats
}

// Stats are a lane's figures over the simulated Duration.
type Stats struct {
	Starts       int           // runs started
	Restarts     int           // restart decisions
	Failures     int           // abnormal exits and failed starts
	StopTimeouts int           // stops abandoned after the shutdown timeout
	Up           time.Duration // time in state Running
	Down         time.Duration // the rest of Duration: Duration - Up
	// Availability is Up / Duration.
	Availability float64
	// LongestOutage is the longest stretch not running.
	LongestOutage time.Duration
}

// Supervisor is what happened to one supervisor of the tree.
type Supervisor struct {
	Path string // the supervisor's path; the root's is its name
	// GaveUp lists the times it gave up or failed to start, in order; a
	// nested supervisor can give up several times when its parent
	// restarts it.
	GaveUp []GiveUp
}

// GiveUp is one time a supervisor gave up.
type GiveUp struct {
	// At is when it decided to give up; stopping its children takes
	// their stop time after that.
	At     time.Duration
	Reason core.Reason // core.GaveUp or core.StartFailed
	// Child is the path of the child whose failure caused it.
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
	// Kind is what happened: started, ready, exited, restarting, ...
	Kind core.ReportKind
	// Exit is how the run ended, for the kinds about an end (exited,
	// start_failed, restarting, gave_up).
	Exit core.ExitKind
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
	case core.ReportExited, core.ReportStartFailed, core.ReportGaveUp:
		s += " exit=" + e.Exit.String()
	case core.ReportRestarting:
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
	// Supervisors are the root and every nested supervisor, in the same
	// order.
	Supervisors []Supervisor
	// Events lists every reported event when Options.Events is set.
	Events []Event
	// Outcome is how the root finished; nil when it was still running at
	// the end.
	Outcome *Outcome
	// Steps counts the events the simulator processed.
	Steps int
}

// Outcome is how the root supervisor finished.
type Outcome struct {
	// At is when the root had finished: after giving up, once it had
	// stopped every child, which takes their stop time.
	At time.Duration
	// Reason is why it finished: core.GaveUp or core.StartFailed when
	// it gave up, core.Requested after Options.Shutdown, core.AutoShut
	// when significant children ended it.
	Reason core.Reason
	Child  string // the path of the child that caused it, if any
}

// Lane returns the lane with the given path.
func (r *Result) Lane(path string) (*Lane, bool) {
	for i := range r.Lanes {
		if r.Lanes[i].Path == path {
			return &r.Lanes[i], true
		}
	}
	return nil, false
}

// set records that the lane is in state s from now on.
func (l *Lane) set(now time.Duration, s State) {
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

func (l *Lane) state() State {
	if len(l.Spans) == 0 {
		return Stopped
	}
	return l.Spans[len(l.Spans)-1].State
}

// finish closes the lane at end and computes its figures over [0, d].
func (l *Lane) finish(end, d time.Duration) {
	if n := len(l.Spans); n > 0 {
		l.Spans[n-1].To = end
	} else {
		l.Spans = append(l.Spans, Span{0, end, Stopped})
	}
	st := &l.Stats
	var outage time.Duration
	for _, sp := range l.Spans {
		from, to := sp.From, min(sp.To, d)
		if from >= to {
			break
		}
		if sp.State == Running {
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
