// Package build turns a loaded supervise file into a live supervision tree:
// each config.Group becomes a supervisor.Supervisor and each config.Process
// an process.Process wrapped in a [Proc], which remembers the PID and the
// last exit of its process for status output and logs.
//
// The mapping is literal. The config package resolves every default, so a
// zero it hands over is a real zero, and build passes it to the supervisor
// package as supervisor.Zero, whose own zero means "default".
package build
