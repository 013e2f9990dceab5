package supervisor

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// State is where a child is in its life cycle. Its String is the name
// that supervise status shows, such as "backing_off".
type State = core.State

// The states of a child.
const (
	// StateStopped: the child has a spec but no run. It has not started
	// yet, was terminated, or exited and is not to be restarted.
	StateStopped = core.StateStopped
	// StateStarting: the child has a run that has not reported ready.
	StateStarting = core.StateStarting
	// StateRunning: the child has a run that reported ready.
	StateRunning = core.StateRunning
	// StateStopping: the child was asked to stop and has not finished.
	StateStopping = core.StateStopping
	// StateBackingOff: the child waits out its backoff before a restart
	// (ChildStatus.BackoffLeft says how long is left).
	StateBackingOff = core.StateBackingOff
	// StateAbandoned: the child's last Run was abandoned after its
	// shutdown timeout and has not returned; the child is started again
	// only once it has (see Child.New for engines that may overlap). A
	// start that waits for it longer than the child's StartTimeout (else
	// its Shutdown) fails with an error matching [ErrAbandoned].
	StateAbandoned = core.StateAbandoned
)

// Snapshot is an immutable picture of a supervisor and its children at one
// moment. Readers may keep it and share it between goroutines.
type Snapshot struct {
	// Path is the supervisor's path.
	Path string
	// Running is false once the supervisor's Run has returned.
	Running bool
	// Started is true once the ordered start has completed, until the
	// supervisor stops its children.
	Started bool
	// Stopping is true from the moment a shutdown was asked for (ctx
	// ended, Stop called), its Config.Drain included, and while the
	// supervisor stops its children because it gave up or shuts down on
	// its own.
	Stopping bool
	// IntensityUsed is the restarts within the current Period divided by
	// the Intensity: at 1, the next restart makes the supervisor give up.
	IntensityUsed float64
	// GaveUp counts the runs of this supervisor that gave up.
	GaveUp int
	// Time is when the picture was taken.
	Time time.Time
	// Children are the children in start order.
	Children []ChildStatus
}

// ChildStatus is one child in a [Snapshot].
type ChildStatus struct {
	// Name and Path name the child.
	Name string
	Path string
	// State is where it is in its life cycle.
	State State
	// Restart is its restart type.
	Restart Restart
	// Restarts counts its restarts, group restarts included.
	Restarts int
	// Since is when the child entered State.
	Since time.Time
	// LastExit and LastErr say how its last run ended.
	LastExit ExitKind
	LastErr  error
	// Done is true for a child that finished its job: its last run ended
	// on its own with nil, and its restart type (Transient) does not
	// restart it, as a one-shot step such as a migration does. It is
	// StateStopped, and readiness and the metrics count it as done, not
	// down; a child stopped on request is not done. A new run clears it;
	// ReplaceChild (a reload) does not.
	Done bool
	// BackoffLeft is the time left before a restart, in StateBackingOff.
	BackoffLeft time.Duration
	// Exits counts the ends of its runs in this run of the supervisor,
	// by kind (start failures under ExitStartFailed); nil before the
	// first. StopTimeouts counts its stops that timed out.
	Exits        map[ExitKind]int
	StopTimeouts int
	// Goroutines is the number of goroutines labelled with its path or a
	// path below it; it is filled in only by [Snapshot.WithGoroutines],
	// and is -1 otherwise.
	Goroutines int
	// Sub is the snapshot of a child supervisor, filled in by Tree.
	Sub *Snapshot
	// Engine is the child's engine, for callers that ask more of it (a
	// process engine's PID, for example).
	Engine engine.Engine
}

// Snapshot returns the supervisor's current snapshot, or its last one
// after Run returned (nil if it never ran). It is cheap: one round trip
// to the supervisor's goroutine, and none when nothing changed since the
// last call. It does not descend into child supervisors; [Supervisor.Tree]
// does.
func (s *Supervisor) Snapshot() *Snapshot {
	r := s.run()
	if r == nil {
		return s.lastSnapshot()
	}
	reply := make(chan *Snapshot, 1)
	select {
	case r.calls <- snapshotCall{reply}:
	case <-r.done:
		return s.lastSnapshot()
	}
	select {
	case snap := <-reply:
		return snap
	case <-r.done:
		return s.lastSnapshot()
	}
}

// Tree returns the snapshot of the whole tree below s: every child
// supervisor's snapshot is in its ChildStatus.Sub. It stops descending
// when ctx ends.
func (s *Supervisor) Tree(ctx context.Context) *Snapshot {
	snap := s.Snapshot()
	if snap == nil {
		return nil
	}
	out := *snap
	out.Children = append([]ChildStatus(nil), snap.Children...)
	for i := range out.Children {
		if sub, ok := out.Children[i].Engine.(*Supervisor); ok && ctx.Err() == nil {
			out.Children[i].Sub = sub.Tree(ctx)
		}
	}
	return &out
}

type snapshotCall struct{ reply chan *Snapshot }

func (c snapshotCall) serve(r *runState) { c.reply <- r.currentSnapshot() }

// currentSnapshot rebuilds the snapshot only when something changed, or
// when it holds values that change with time (a backoff's time left, the
// restarts in the window).
func (r *runState) currentSnapshot() *Snapshot {
	if r.snapshot == nil || r.snapAt != r.version || r.snapTimed {
		r.snapshot = r.buildSnapshot()
		r.snapAt = r.version
	}
	return r.snapshot
}

func (r *runState) buildSnapshot() *Snapshot {
	return r.buildSnapshotAt(time.Now(), int(r.sup.gaveUp.Load()))
}

// buildSnapshotAt builds the snapshot of the run as it is at now, with
// gaveUp runs given up so far.
func (r *runState) buildSnapshotAt(now time.Time, gaveUp int) *Snapshot {
	kids := r.core.Children()
	snap := &Snapshot{Path: r.path, Running: !r.core.Finished(), Started: r.core.Started() && !r.core.Stopping(),
		Stopping: r.core.Stopping(), IntensityUsed: r.core.IntensityUsed(now),
		GaveUp: gaveUp, Time: now, Children: make([]ChildStatus, len(kids))}
	r.snapTimed = snap.IntensityUsed > 0
	for i, cc := range kids {
		c := shellChild(cc)
		exit, err := cc.LastExit()
		st := ChildStatus{Name: cc.Name(), Path: c.path, State: cc.State(), Restart: cc.Spec().Restart,
			Restarts: cc.Restarts(), Since: cc.Since(), LastExit: exit, LastErr: fromCore(err), Done: cc.Done(), Engine: c.eng,
			Exits: maps.Clone(c.exits), StopTimeouts: c.stopTimeouts, Goroutines: -1}
		if until := cc.BackoffUntil(); !until.IsZero() {
			st.BackoffLeft = max(until.Sub(now), 0)
			r.snapTimed = true
		}
		snap.Children[i] = st
	}
	return snap
}

// finalSnapshot is the snapshot of a run that has finished, as it was at
// its end, built on first read: a stop does not pay for a snapshot that
// nobody reads, which at 10,000 children is a good part of it. Once the
// run's loop has returned nothing changes the state it reads, and it is
// published (Supervisor.last) before the run's done channel is closed.
type finalSnapshot struct {
	once   sync.Once
	r      *runState // nil once built
	at     time.Time
	gaveUp int
	snap   *Snapshot
}

func (f *finalSnapshot) get() *Snapshot {
	f.once.Do(func() {
		f.snap = f.r.buildSnapshotAt(f.at, f.gaveUp)
		f.r = nil
	})
	return f.snap
}

// lastSnapshot returns the snapshot of the last run that finished, or nil
// before one has.
func (s *Supervisor) lastSnapshot() *Snapshot {
	if f := s.last.Load(); f != nil {
		return f.get()
	}
	return nil
}
