//go:build !unix

package process

import "os"

// Without Unix signal dispositions there is no ignored signal for a child
// to inherit.
var stopSignals []os.Signal
