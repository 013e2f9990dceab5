package arbor

import "os"

// FakeSignals replaces signal delivery for the duration of a test and
// returns the channel to send signals on.
func FakeSignals() (send chan<- os.Signal, restore func()) {
	c := make(chan os.Signal, 4)
	old := notifySignals
	notifySignals = func(dst chan<- os.Signal, _ ...os.Signal) func() {
		done := make(chan struct{})
		go func() {
			for {
				select {
				case s := <-c:
					dst <- s
				case <-done:
					return
				}
			}
		}()
		return func() { close(done) }
	}
	return c, func() { notifySignals = old }
}

var ExitCode = exitCode
