//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package daemon

import (
	"os"
	"syscall"
)

// platformSignals are the BSDs' own signals that would end supervise.
var platformSignals = []os.Signal{syscall.SIGEMT}
