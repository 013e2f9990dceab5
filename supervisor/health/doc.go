// Package health serves a supervision tree's liveness and readiness over
// HTTP, for probes such as Kubernetes' livenessProbe and readinessProbe.
//
// GET /livez answers 200 while the root supervisor runs and answers a
// snapshot within a second, 503 once it gave up or stopped (or when it
// does not answer). GET /readyz answers 200 once the ordered start has
// completed and every required child is running or done (a transient
// child that finished its job: [supervisor.ChildStatus.Done]), 503
// otherwise and from
// the moment a shutdown begins ([supervisor.Config.Drain] keeps the
// children serving meanwhile), with a JSON body naming each child that is
// not ready.
package health
