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
// # What this package refuses to do
//
// It does not kill goroutines: Go cannot. An engine whose Run ignores its
// context and whose Stop does not make Run return is abandoned by its
// supervisor after the shutdown timeout and reported by path; it is never
// waited on forever.
package engine
