// Package supervisor runs engines in an Erlang/OTP-style supervision tree.
//
// A [Supervisor] starts its children one at a time in order, each after the
// previous one is ready; restarts them by their [Restart] type and its
// [Strategy], within a restart intensity and with exponential backoff and
// jitter between restarts; and stops them one at a time in reverse start
// order, each bounded by its own shutdown timeout. A Supervisor is itself
// an [engine.Engine], so trees nest to any depth, and a failure that
// exceeds a supervisor's intensity escalates to its parent as the failure
// of a child.
//
// The API in short: [New] builds a Supervisor from a [Config] (its policy)
// and [Child] specs; Run, Stop and ServeBackground drive it; AddChild,
// TerminateChild, RestartChild, DeleteChild, InsertChild and ReplaceChild
// change its children while it runs, Reconfigure its policy; Snapshot and
// Tree read it; [Config].OnEvent and Logger see every [Event]. Run's
// failures are the types [*GaveUpError], [*StartError],
// [*StopTimeoutError] and [*ConfigError]; its error is an
// [*AutoShutdownError] when a significant child's error ended it, which is
// no failure of the supervisor (see [Config].AutoShutdown).
//
// Every call into user code (Run, Stop, readiness, event hooks, the
// logger's handler) is recovered: a panic becomes an [engine.PanicError]
// with its stack, and after every exit of Run, panic included, Stop is
// called before the child is started again.
//
// # Semantics
//
// The restart types, strategies and intensity are OTP's; docs/semantics.md
// in the repository has them in full, side by side with OTP and suture,
// with every place where arbor deliberately differs. In short:
//
//   - [Permanent] children always restart; [Transient] ones only after an
//     error or a panic; [Temporary] ones never.
//   - At most Intensity restarts, counted across the supervisor's children,
//     fit in any window of Period. The restart that would exceed it is not
//     made: the supervisor stops all its children and its Run returns a
//     [*GaveUpError], which a parent sees as a failed child.
//   - A stop abandons a child that has not stopped within its timeout, and
//     reports it by path: Go cannot kill a goroutine.
//   - A ready child that is alive but hung (its [Liveness] watchdog misses
//     [engine.Alive], or its probe fails Failures times in a row) is
//     stopped, and its end counts as an abnormal exit, [ExitUnhealthy]:
//     it restarts by the same policy as a crash.
//
// # Design
//
// The decisions live in a deterministic core, an internal package that
// takes time as an input and returns actions; the simulator,
// [github.com/arborgo/arbor/supervisor/sim], drives the same core in
// virtual time. This package is the thin shell around it: one goroutine owns each
// supervisor's state and receives typed messages, one goroutine runs each
// child across its restarts, and readers get immutable snapshots.
//
// # What it refuses to do
//
// It does not kill goroutines, because Go cannot, and it does not wait
// forever for a Stop that hangs: that child is abandoned and reported. It
// does not restart a child on its own clock while a group restart is under
// way: a group is stopped and started as one.
package supervisor
