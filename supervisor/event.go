package supervisor

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// messages are the human text of log records; parsers read the stable
// "event" key instead.
var messages = map[EventKind]string{
	EventStarted:      "child started",
	EventReady:        "child ready",
	EventExited:       "child exited",
	EventStartFailed:  "child failed to start",
	EventRestarting:   "restarting child",
	EventStopping:     "stopping child",
	EventStopped:      "child stopped",
	EventStopTimedOut: "child did not stop in time; abandoned",
	EventRemoved:      "child removed",
	EventGaveUp:       "restart intensity exceeded; giving up",
	EventShutdown:     "shutting down",
	EventUnhealthy:    "child unhealthy; stopping it",
	EventDraining:     "draining before the shutdown",
}

// EventKind says what an Event reports. Its String is the stable "event"
// value of log records, such as "restarting": logs are parsed back and
// replayed by it.
type EventKind = core.EventKind

// The events a supervisor reports, each when it happens. A child's run
// reports Started, then Ready or StartFailed, and ends with Exited (on
// its own) or with Stopping, then Stopped or StopTimedOut (when asked).
const (
	EventStarted      = core.EventStarted      // a run of the child began
	EventReady        = core.EventReady        // the child is ready; the next sibling may start
	EventExited       = core.EventExited       // a run ended on its own (Exit says how)
	EventStartFailed  = core.EventStartFailed  // a run ended, or timed out, before ready
	EventRestarting   = core.EventRestarting   // the child restarts after Delay
	EventStopping     = core.EventStopping     // the supervisor asked the child to stop
	EventStopped      = core.EventStopped      // the child stopped as asked
	EventStopTimedOut = core.EventStopTimedOut // the child was abandoned after its shutdown timeout
	EventRemoved      = core.EventRemoved      // the child's spec was removed
	EventGaveUp       = core.EventGaveUp       // a restart would exceed the intensity
	EventShutdown     = core.EventShutdown     // the supervisor began stopping all children
	EventUnhealthy    = core.EventUnhealthy    // a liveness check found the ready child hung; a stop follows
	EventDraining     = core.EventDraining     // a shutdown was asked for; the children serve for Delay (Config.Drain) first
)

// ExitKind says how a run ended. Its String is the stable "exit" value of
// log records: "normal", "error", "panic", "start_failed" or "unhealthy".
type ExitKind = core.ExitKind

// The ways a run ends. Every kind but ExitNormal is abnormal: a transient
// child restarts after it.
const (
	ExitNormal      = core.ExitNormal      // Run returned nil
	ExitFailed      = core.ExitFailed      // Run returned an error, or the Stop after it hung
	ExitPanic       = core.ExitPanic       // Run panicked; Err is an *engine.PanicError
	ExitStartFailed = core.ExitStartFailed // the run ended, or timed out, before it was ready
	ExitUnhealthy   = core.ExitUnhealthy   // a liveness check found the ready run hung; Err is an *UnhealthyError
)

// Event is one thing that happened in a supervisor, as given to
// Config.OnEvent and logged to Config.Logger.
type Event struct {
	// Kind is what happened.
	Kind EventKind
	// Path is the child's path, or the supervisor's own for the events
	// about the supervisor (EventGaveUp, EventShutdown).
	Path string
	// Cause is, for EventGaveUp and EventShutdown, the path of the child
	// that caused it (whose failure exceeded the intensity, that failed to
	// start, or whose end was significant); "" for a requested shutdown.
	Cause string
	// Supervisor is the path of the supervisor that reports it.
	Supervisor string
	// Time is when the supervisor handled it.
	Time time.Time
	// Exit and Err say how a run ended (EventExited, EventStartFailed,
	// EventRestarting, EventGaveUp) or why a stop failed.
	Exit ExitKind
	Err  error
	// Delay is the backoff before a restart (EventRestarting), or the
	// drain (EventDraining).
	Delay time.Duration
	// Restarts counts the child's restarts when the event happened: an
	// EventExited does not count the restart it leads to, the
	// EventRestarting does.
	Restarts int
}

func (e Event) hasExit() bool {
	switch e.Kind {
	case EventExited, EventStartFailed, EventRestarting, EventGaveUp:
		return true
	}
	return false
}

func (e Event) level() slog.Level {
	switch {
	case e.Kind == EventGaveUp || e.Kind == EventStopTimedOut || (e.Kind == EventExited && e.Exit == ExitPanic):
		return slog.LevelError
	case e.Kind == EventExited && e.Exit != ExitNormal, e.Kind == EventStartFailed, e.Kind == EventRestarting, e.Kind == EventUnhealthy:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// report turns a core report into an Event, logs it, hands it to the hook
// and answers admin calls that wait for it.
func (r *runState) report(a *core.Action) {
	r.answerWaiters(a)
	r.unkeepFailedAdd(a)
	r.count(a)
	if r.cfg.Logger == nil && r.cfg.OnEvent == nil {
		return
	}
	ev := Event{Kind: a.Report, Path: r.path, Supervisor: r.path, Time: time.Now(), Exit: a.Exit, Err: fromCore(a.Err), Delay: a.Delay}
	switch {
	case a.Child != nil && a.AboutSupervisor():
		ev.Cause = shellChild(a.Child).path
	case a.Child != nil:
		ev.Path = shellChild(a.Child).path
		ev.Restarts = a.Restarts
	}
	if r.cfg.Logger != nil {
		r.log(ev)
	}
	if r.cfg.OnEvent != nil {
		r.callHook(ev)
	}
}

func (r *runState) log(ev Event) {
	defer r.recoverUserPanic("logger")
	lvl := ev.level()
	if !r.cfg.Logger.Enabled(context.Background(), lvl) {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("event", ev.Kind.String()), slog.String("path", ev.Path))
	if ev.Cause != "" {
		attrs = append(attrs, slog.String("cause", ev.Cause))
	}
	if ev.hasExit() {
		attrs = append(attrs, slog.String("exit", ev.Exit.String()))
	}
	if ev.Err != nil {
		attrs = append(attrs, slog.String("error", firstLine(ev.Err.Error())))
		var la logAttrser
		if errors.As(ev.Err, &la) {
			attrs = append(attrs, la.LogAttrs()...)
		}
		var u *UnhealthyError
		if errors.As(ev.Err, &u) {
			attrs = append(attrs, slog.String("check", u.Check))
		}
		var p *engine.PanicError
		if ev.Kind == EventExited && errors.As(ev.Err, &p) {
			attrs = append(attrs, slog.String("stack", p.Stack()))
		}
	}
	switch ev.Kind {
	case EventRestarting:
		attrs = append(attrs, slog.Duration("delay", ev.Delay), slog.Int("restarts", ev.Restarts))
	case EventDraining:
		attrs = append(attrs, slog.Duration("drain", ev.Delay))
	}
	r.cfg.Logger.LogAttrs(context.Background(), lvl, messages[ev.Kind], attrs...)
}

// logAttrser is implemented by errors that know their own log attributes,
// such as [github.com/arborgo/arbor/engine/process.ExitError] with "code"
// or "signal": records of events that carry such an error include them.
type logAttrser interface{ LogAttrs() []slog.Attr }

func (r *runState) callHook(ev Event) {
	defer r.recoverUserPanic("OnEvent hook")
	r.cfg.OnEvent(ev)
}

// recoverUserPanic keeps a panic in a hook or a log handler from taking
// the supervisor down. It is deferred directly by the functions that call
// user code.
func (r *runState) recoverUserPanic(what string) {
	if v := recover(); v != nil && what != "logger" && r.cfg.Logger != nil {
		r.cfg.Logger.Error("panic in "+what, "path", r.path, "panic", v)
	}
}

// stopFailed logs an error or panic from a child's Stop: the tree goes on.
func (r *runState) stopFailed(c *child, err error) {
	if r.cfg.Logger != nil {
		defer r.recoverUserPanic("logger")
		r.cfg.Logger.Warn("stop failed", "event", "stop_failed", "path", c.path, "error", err.Error())
	}
}
