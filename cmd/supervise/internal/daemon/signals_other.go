//go:build !unix

package daemon

import "os"

// ignoredSignals: elsewhere only the stop signals are handled.
var ignoredSignals []os.Signal

// execKept and execExtra: elsewhere exec forwards the stop signals alone.
var execKept, execExtra []os.Signal
