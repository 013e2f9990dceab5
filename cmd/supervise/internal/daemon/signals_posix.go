//go:build unix && !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package daemon

import "os"

// platformSignals: no signals of this platform's own are handled.
var platformSignals []os.Signal
