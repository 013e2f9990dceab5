//go:build !linux

package engine

import "os/exec"

// spawn starts cmd from the calling goroutine: only Linux has a
// parent-death signal, so no thread needs to be kept alive for it.
func spawn(cmd *exec.Cmd) error { return cmd.Start() }
