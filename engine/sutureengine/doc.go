// Package sutureengine connects arbor and [suture] (github.com/thejerf/suture/v4)
// in both directions, so that a program can move from one to the other a
// subtree at a time. It lives in a package of its own so that programs that
// do not use suture do not import it.
//
//   - [FromService] runs a suture.Service as an arbor [engine.Engine].
//   - [FromSupervisor] runs a whole *suture.Supervisor as an arbor child,
//     and surfaces its unstopped-service report.
//   - [AsService] runs any arbor engine, a *supervisor.Supervisor included,
//     as a suture.Service, so an arbor tree can be added to a suture tree.
//
// # A suture service under arbor
//
// Run calls Serve with a context that Stop cancels; Stop cancels it and
// waits for Serve to return, bounded by Stop's context and by the stopWait
// given to FromService (zero: only by the context, which the supervisor
// bounds by the child's Shutdown). Serve's result maps to Run's result:
//
//   - nil is a normal exit.
//   - [suture.ErrDoNotRestart] (matched with errors.Is) is a normal exit too,
//     so run such a service as a supervisor.Transient child: a normal exit
//     is not restarted, an error or a panic is. (A supervisor.Permanent
//     child restarts even after a normal exit, so it cannot honour
//     ErrDoNotRestart. Suture restarts a nil return; a service that relies on
//     that wants Permanent, and then gives up ErrDoNotRestart.)
//   - [suture.ErrTerminateSupervisorTree] becomes an error that matches
//     [ErrTerminateTree], which the parent sees as an abnormal exit, like any
//     failure. It does not match suture's sentinel, so that an arbor tree
//     below a suture supervisor ([AsService]) does not tear the suture tree
//     down because of a failure that arbor already handled.
//   - context.Canceled or context.DeadlineExceeded, returned after the
//     service's own context ended (Stop, or the parent shutting down), is a
//     normal exit, as in suture. Returned while the context is still live,
//     it is an error like any other.
//   - Any other error is returned as is.
//
// A panic in Serve is not recovered here: arbor's supervisor recovers it as
// an [engine.PanicError], calls Stop, and restarts the child by its policy.
//
// Arbor has no "terminate the tree" error. A child that must end its
// supervisor is a significant child of a supervisor with AutoShutdown:
//
//	supervisor.New("app", supervisor.Config{AutoShutdown: supervisor.AnySignificant},
//		supervisor.Child{Name: "db", Engine: db},
//		supervisor.Child{Name: "job", Engine: sutureengine.FromService(job, 0),
//			Restart: supervisor.Temporary, Significant: true},
//	)
//
// When "job" ends in any way (ErrTerminateTree included: a temporary child
// is never restarted), "app" stops its other children in reverse start
// order. Its Run returns nil when "job" returned nil, or else, as suture's
// own Serve returns its sentinel, a *supervisor.AutoShutdownError that
// carries the job's error (errors.Is(err, ErrTerminateTree) holds). To
// carry that further up, make "app" itself a transient, significant child
// of a parent with AutoShutdown, and so on to the root, whose arbor.Main
// then exits 0 for nil and non-zero otherwise. With Restart: Transient
// instead, ErrTerminateTree is a failure that is restarted, and only a
// normal exit (nil or ErrDoNotRestart) ends the tree.
//
// # A suture supervisor under arbor
//
// [FromSupervisor] runs a *suture.Supervisor with Serve; Stop cancels it and
// waits, bounded by its context, for Serve to return. Suture then cancels
// all its services at once and waits for them up to its own Spec.Timeout
// (10 s by default), so give the arbor child a Shutdown longer than that
// timeout (arbor's default is 5 s), or the child is abandoned before suture
// can say what hung.
//
// Once Serve has returned, the supervisor's UnstoppedServiceReport is read.
// When it lists services, the error is an [*UnstoppedError] that names them.
// Run always returns it, and Stop returns it too when Stop ended the run,
// since a supervisor ignores Run's result during a stop it asked for: after
// a requested stop the arbor supervisor logs it as a failed stop, with the
// child's path (and arbor.Run returns it when this is the root); when the
// suture supervisor ended on its own, it is the child's exit error, in
// arbor's events and in a supervisor.GaveUpError. Suture's report is not
// recursive: a nested suture supervisor that stopped in time but left its
// own services running is not listed.
//
// A *suture.Supervisor can be served only once, so the engine of
// FromSupervisor returns [ErrServedTwice] from a second Run: run it as a
// supervisor.Temporary child, or build a new suture supervisor for every
// run with supervisor.Child's New, so that it can be restarted.
//
// Serve's result maps as for FromService; a suture supervisor returns only
// when its context ends (a normal exit) or when a service returned
// ErrTerminateSupervisorTree ([ErrTerminateTree] here; ErrDoNotRestart if
// the supervisor has DontPropagateTermination, a normal exit here).
//
// # An arbor engine under suture
//
// [AsService] wraps an engine as a suture.Service. Serve calls the engine's
// Run; when suture cancels Serve's context, Serve calls the engine's Stop
// with a context bounded by the stop timeout (10 s by default, suture's own
// default Timeout; AsService's stopTimeout changes it), then cancels Run's
// context and waits for Run to return. For an arbor supervisor, Stop stops
// its children one at a time in reverse start order. Stop is also called
// after Run returns on its own, as arbor's engine contract requires.
//
// Serve returns suture.ErrDoNotRestart when Run returned nil on its own: an
// arbor engine that finishes normally is done, and its own restart policy
// lives in arbor (suture would otherwise restart it at once). An error is
// returned as is, so suture restarts the engine under its own failure
// backoff; an arbor supervisor that gave up is restarted that way. A panic
// in Run propagates to suture as an [*engine.PanicError], after Stop.
// The service implements fmt.Stringer, so suture's logs name the engine.
package sutureengine
