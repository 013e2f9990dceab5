//go:build !unix

package engine

import "os"

// Without Unix signal dispositions there is no ignored signal for a child
// to inherit.
var stopSignals []os.Signal
