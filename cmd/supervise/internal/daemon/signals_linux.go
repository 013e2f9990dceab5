package daemon

import (
	"os"
	"syscall"
)

// platformSignals are Linux's own signals that would end supervise.
var platformSignals = []os.Signal{syscall.SIGSTKFLT, syscall.SIGPWR}
