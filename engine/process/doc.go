// Package process runs an OS process as an [engine.Engine]: each Run starts
// the program afresh in a process group of its own, Stop sends the group its
// stop signal and SIGKILLs it when Stop's context ends, and the program's
// output becomes log records, never dropped. Readiness comes from a
// [ReadyCheck] (a TCP dial, a log line, a probe command) or, without one,
// from a successful exec.
//
// It also holds what a process supervisor needs around its engines: a [Set]
// of the live process groups to kill at once, a [Reaper] for a supervisor
// that runs as PID 1, and [SetChildSubreaper] so that orphans of a child
// re-parent to the supervisor instead of to init.
//
// The package is the OS edge of arbor: package engine, the contract, imports
// neither os/exec nor golang.org/x/sys, and a program that supervises only
// Go engines links none of this.
package process
