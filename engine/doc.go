// Package engine defines the contract of a supervised component, an
// [Engine], and the small building blocks that make an engine safe to
// supervise: [StopOnce] for idempotent, panic-safe stop functions,
// [PanicError] for panics turned into values, [Ready] for engines that say
// when they can serve, [Alive] for engines that say they still make
// progress (a heartbeat for the child's liveness watchdog), and [FromFunc]
// for components that need nothing more than a function.
//
// An engine is a long-lived part of a program: an HTTP server, a queue
// consumer, a scheduler, a pool. The supervisor package runs engines in a
// tree, restarts them by policy and stops them in reverse start order.
//
// # The contract
//
// A supervisor calls Run once per start of the engine, on a goroutine of its
// own, and calls Stop once after every exit of Run (a return or a panic)
// before it starts the engine again, and once when it stops a started engine
// on purpose (a stop that comes before Run was called calls neither). So
// one Engine value sees Run, Stop, Run, Stop, ... and must be
// restartable: after Stop returns, a later Run starts afresh. An engine that
// cannot be restarted (like an [net/http.Server] after Shutdown) says so by
// returning an error from its second Run, or is built anew for every Run.
//
// One engine value is never Run twice at once. When a supervisor stops an
// engine whose Run ignores its context and does not return within the
// shutdown timeout, it abandons that Run (Go cannot kill it) and does not
// start the engine again until the Run has returned: the child reads
// "abandoned" meanwhile, and a group restart waits for it in its turn. That
// wait is bounded by the child's start timeout (a nested supervisor's, by
// its shutdown timeout): a start that is still waiting then fails, and the
// restart policy applies to it as to any failed start, up to giving up, so
// a Run that never returns cannot stall its supervisor. An
// engine whose runs may overlap safely is supervised with a factory instead
// (supervisor.Child.New): every run gets a fresh engine, so a child whose
// run was abandoned restarts at once, beside the run that is still out.
//
// Stop must be idempotent: it may be called several times, concurrently,
// before Run returned, after Run returned or panicked, or when Run never
// ran. [StopOnce] turns any stop function into one that keeps that promise.
//
// # Optional methods a runner looks for
//
// Besides [Readier], a supervisor and arbor.Main look for two methods
// that no interface of this package names, on an error with errors.As,
// so they also work on an error that wraps one. Without them, all works
// as described elsewhere.
//
//   - ExitCode() int on an error: [github.com/arborgo/arbor.Main], after
//     its root's Run returned with that error, exits the program with the
//     code (otherwise with 1), as the supervise command does. A
//     supervisor's own errors have it: a
//     [github.com/arborgo/arbor/supervisor.AutoShutdownError] gives the
//     code of the significant child's error that ended the tree (1 when
//     that carries none), and a GaveUpError or StartError gives 1. So an
//     engine's error decides the program's exit code when the engine is
//     the root, or a significant child whose end shut its tree down.
//     [github.com/arborgo/arbor/engine/process.ExitError] has it (the exit
//     code, or 128+N after signal N).
//   - LogAttrs() []slog.Attr on an error: a supervisor that logs an event
//     whose Err has it calls it on its own goroutine and adds the
//     attributes to the record, after "error"; it does so only for a
//     record that its Logger (its own or the one it inherited) is enabled
//     for, and never for Config.OnEvent, which gets the error itself.
//     process.ExitError adds "code" or "signal".
//
// A one-shot step needs no method of its own: a transient child whose run
// ended on its own with nil is done, not down (see
// [github.com/arborgo/arbor/supervisor.ChildStatus]), and a Readier that
// calls Ready just before returning nil holds the next sibling until then.
//
// # What this package refuses to do
//
// It does not kill goroutines: Go cannot. An engine whose Run ignores its
// context and whose Stop does not make Run return is abandoned by its
// supervisor after the shutdown timeout and reported by path; it is never
// waited on forever.
package engine
