//go:build !linux

package process

import (
	"os/exec"
	"sync"
)

// spawn starts cmd from the calling goroutine: only Linux has a
// parent-death signal, so no thread needs to be kept alive for it.
func spawn(cmd *exec.Cmd) error {
	dropOnce.Do(func() {
		if dropped := unignoreStopSignals(); dropped != nil {
			go func() {
				for range dropped {
				}
			}()
		}
	})
	return cmd.Start()
}

var dropOnce sync.Once
