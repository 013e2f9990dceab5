// Package core is the deterministic decision core of an arbor supervisor:
// which children start and in what order, which restart after an exit, has
// restart intensity been exceeded, how long to back off, in what order to
// stop.
//
// A [Core] never reads a clock, starts a goroutine, sleeps or recovers a
// panic. It takes inputs, each with the time it happened, and returns
// actions: start child i, stop child i within d, arm a timer, report an
// event (the reports the supervisor package turns into supervisor.Event),
// retire a stopped child's worker; an admin call that must wait
// is answered [ErrBusy]; and [Core.Finished] says when it is done. The
// supervisor package is the thin shell that carries those
// actions out with goroutines, timers and contexts; the simulator of
// `supervise simulate` carries them out in virtual time. Both drive this
// same code, so what a simulation shows is what the live tree does.
//
// A Core is owned by one goroutine and is not safe for concurrent use.
//
// # Ordering
//
// Ordering lives here, not in the shell. Children are started one at a
// time, each after the previous one reported ready, and stopped one at a
// time in reverse start order, each after the previous one reported that it
// stopped. Whatever order the shell delivers inputs in, start order and
// reverse stop order hold.
package core
