// Package demo is `supervise demo`, an embedded tree that needs nothing but
// the supervise binary, and `supervise toy`, the hidden mode that its
// children run: programs that tick, crash and fail now and then, so a new
// user sees starts gated on readiness, restarts, backoff, an escalation and
// a LIFO shutdown on Ctrl-C.
package demo
