//go:build !unix

package daemon

import "os"

// ignoredSignals: elsewhere only the stop signals are handled.
var ignoredSignals []os.Signal
