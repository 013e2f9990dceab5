package daemon

import (
	"os"
	"os/signal"
	"syscall"
)

// Notify is the signal seam: it delivers SIGTERM and SIGINT to c until the
// returned function is called. Tests replace it to deliver signals without
// sending them to the process.
type Notify func(c chan<- os.Signal) (stop func())

// OSSignals is the Notify of a real daemon.
func OSSignals(c chan<- os.Signal) (stop func()) {
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
	return func() { signal.Stop(c) }
}
