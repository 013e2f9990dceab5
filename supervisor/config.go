package supervisor

import (
	"log/slog"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// Zero, set on a field whose documentation mentions it, asks for the
// literal zero where the zero value means "the default" (or for "off",
// where the field says so), as a negative [net.Dialer.KeepAlive] turns
// keep-alives off. Any negative value does the same on those fields;
// other fields (Period) reject negative values.
//
// It exists because a usable zero value and an expressible zero conflict:
// Config{} should supervise with sensible defaults, yet zero restarts and
// zero backoff must be possible to ask for.
const Zero = -1

// Strategy says which children a supervisor restarts when one of them
// must be restarted; the zero value is OneForOne. Its String is the OTP
// name, such as "one_for_one".
type Strategy = core.Strategy

// The restart strategies, with OTP's semantics.
const (
	// OneForOne restarts only the child that exited.
	OneForOne = core.OneForOne
	// OneForAll stops every other child in reverse start order, then
	// starts all of them again in start order.
	OneForAll = core.OneForAll
	// RestForOne stops the children started after the one that exited,
	// in reverse start order, then starts it and them again in start
	// order.
	RestForOne = core.RestForOne
)

// Restart says when a child that exited is started again; the zero value
// is Permanent. Its String is the OTP name, such as "permanent".
type Restart = core.Restart

// The restart types, with OTP's semantics.
const (
	// Permanent children are always restarted, even after a normal exit.
	Permanent = core.Permanent
	// Transient children are restarted only after an abnormal exit: an
	// error or a panic (any ExitKind but ExitNormal). One that exited
	// normally is done (ChildStatus.Done): a step that finished its job.
	Transient = core.Transient
	// Temporary children are never restarted; a temporary child is
	// removed from its supervisor when it exits.
	Temporary = core.Temporary
)

// AutoShutdown says whether the exit of significant children (see
// Child.Significant) shuts their supervisor down, as OTP's auto_shutdown
// flag does; the zero value is Never. Its String is the OTP name, such as
// "any_significant".
type AutoShutdown = core.AutoShutdown

// The auto-shutdown settings, with OTP's semantics.
const (
	// Never ignores significance.
	Never = core.Never
	// AnySignificant shuts the supervisor down when any significant
	// child exits on its own and is not restarted.
	AnySignificant = core.AnySignificant
	// AllSignificant shuts the supervisor down when the last running
	// significant child exits on its own and is not restarted.
	AllSignificant = core.AllSignificant
)

// Backoff is the delay before a child's restarts: the n-th consecutive
// restart waits min(Max, Initial × Multiplier^(n-1)), spread uniformly by
// ± Jitter, a fraction of the delay. A child that ran for at least
// ResetAfter before it failed starts again from Initial.
//
// Each zero field takes its value from the enclosing setting: a child's
// from its supervisor's Backoff, a supervisor's from the default in the
// field's doc. [Zero] asks for zero; Backoff{Initial: Zero} restarts at
// once, as OTP does.
type Backoff struct {
	// Initial is the first delay; by default 100 ms. [Zero] (the
	// constant): restarts are not delayed at all.
	Initial time.Duration
	// Max caps the delay before jitter; by default 10 s. [Zero]: no cap.
	Max time.Duration
	// Multiplier grows the delay per consecutive restart; at least 1, by
	// default 2. [Zero] is not accepted.
	Multiplier float64
	// Jitter spreads each delay by ± this fraction, below 1; by default
	// 0.1. [Zero]: none.
	Jitter float64
	// ResetAfter is how long a run must last to reset the growth; by
	// default 1 min. [Zero]: the growth never resets.
	ResetAfter time.Duration
}

// Config is a supervisor's policy. Its zero value is usable: one_for_one,
// at most 10 restarts in 2 min, exponential backoff from 100 ms to 10 s,
// 5 s to stop each child, no logging.
type Config struct {
	// Strategy is which children restart together; zero is OneForOne.
	Strategy Strategy
	// Intensity is the most restarts, counted across all children, within
	// any window of Period; the restart that would exceed it is not made,
	// and the supervisor stops its children and fails. 0 means 10; [Zero]
	// (any negative value) allows no restart.
	Intensity int
	// Period is the length of the intensity window; zero means 2 min.
	Period time.Duration
	// Backoff is the children's default backoff.
	Backoff Backoff
	// Shutdown is the children's default stop timeout; zero means 5 s for
	// engines and, for child supervisors, the sum of their own children's
	// timeouts plus a second. [Zero] abandons a child whose Stop and Run
	// have not returned at once.
	Shutdown time.Duration
	// StartTimeout is the children's default bound on becoming ready;
	// zero means 1 min, and [Zero] means no bound (a child that never
	// reports ready then holds up the start for ever). It also bounds a
	// start that waits for an abandoned Run (see [StateAbandoned]).
	StartTimeout time.Duration
	// Drain is how long a requested shutdown (ctx ended, Stop called, a
	// signal to arbor.Run) waits before it stops the first child: the
	// snapshot says Stopping at once, so that a readiness probe fails and
	// a load balancer takes traffic away while the children still serve.
	// Zero drains nothing. A parent's stop timeout for a child supervisor
	// with a Drain includes it.
	Drain time.Duration
	// AutoShutdown ends the supervisor when significant children end.
	AutoShutdown AutoShutdown
	// Logger receives one structured record per event, with the
	// attributes docs/semantics.md lists; an event's error that has a
	// LogAttrs() []slog.Attr method, found with errors.As, adds those
	// attributes too, as *process.ExitError adds "code" or "signal".
	// Nil means the Logger of the supervisor this one runs under, as a
	// child, at any depth, so that a tree logs everything through its
	// root's logger; for a root, nil logs nothing. A child supervisor
	// that must stay silent sets slog.New(slog.DiscardHandler).
	Logger *slog.Logger
	// OnEvent, if set, is called with every event, in order, on the
	// supervisor's own goroutine: it must not block, and must not call
	// this supervisor's methods (they wait for that same goroutine). A
	// panic in it is recovered and logged. Unlike Logger it is not
	// inherited: it sees this supervisor's events only, because a child
	// supervisor's events happen on that child's goroutine, and a hook
	// called from several goroutines would have to be written for it.
	//
	// In a OneForAll or RestForOne group restart, only the child whose
	// exit caused it is reported EventRestarting (with the group's
	// Delay); its running siblings are reported EventStopping and
	// EventStopped (then EventRemoved for a temporary one, which does not
	// start again), and EventStarted and EventReady when the group starts
	// again. A hook that counts EventRestarting counts a group restart
	// once, while ChildStatus.Restarts, and Event.Restarts of a sibling's
	// events from its EventStarted on, count it for every sibling that had
	// run before and starts again.
	//
	// [github.com/arborgo/arbor/supervisor/sim.Run] never calls OnEvent
	// (nor Logger): a simulation's events are in its Result, when its
	// Options ask for them.
	OnEvent func(Event)
	// PassThroughPanics lets panics in Run and Stop crash the program
	// instead of being recovered, for debugging.
	PassThroughPanics bool
	// WarnLeakedGoroutines logs the goroutines that a child's engine left
	// running after a clean stop, found by their profiler labels.
	WarnLeakedGoroutines bool
	// Seed seeds backoff jitter; zero picks a random seed.
	Seed uint64
}

// Child is the spec of one child of a supervisor: what runs and the
// policy it runs under, as given to New and AddChild. A running child is
// seen through its ChildStatus in a Snapshot.
type Child struct {
	// Name is unique among its siblings and names the child in its path,
	// such as "root/jobs/consumer". It must not contain "/".
	Name string
	// Engine is what runs. A *Supervisor makes a subtree. One engine
	// value sees one Run at a time: after a Run that ignored its context
	// was abandoned, the child is not started again until that Run has
	// returned (its state is StateAbandoned meanwhile).
	Engine engine.Engine
	// New, set instead of Engine, makes a fresh engine for every run of
	// the child, for engines whose runs may overlap safely: after an
	// abandoned run the child restarts at once, beside the run that is
	// still out. It is called on the supervisor's goroutine and must not
	// block; a panic in it, or a nil engine, fails that run.
	New func() engine.Engine
	// Restart is when it restarts; zero is Permanent.
	Restart Restart
	// Shutdown bounds each stop; zero takes the supervisor's Shutdown,
	// and [Zero] abandons the child unless its Stop and Run return at
	// once.
	Shutdown time.Duration
	// StartTimeout bounds becoming ready; zero takes the supervisor's,
	// and [Zero] means no bound. A child supervisor has none of its own
	// unless set: its start is bounded by its children's. It also bounds
	// a start that waits for the child's abandoned Run to return; without
	// one, Shutdown bounds that wait.
	StartTimeout time.Duration
	// Backoff overrides fields of the supervisor's Backoff.
	Backoff Backoff
	// Significant children end the supervisor on exit, per AutoShutdown.
	// Only transient and temporary children may be significant.
	Significant bool
	// Liveness finds a run that is alive but hung, and restarts it as
	// if it had failed; the zero value checks nothing.
	Liveness Liveness
}
