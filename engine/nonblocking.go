package engine

// NonBlockingStopper is implemented by an engine whose Stop never blocks:
// it only signals Run to finish (cancels a context, closes a channel) and
// returns at once, whatever its ctx. A supervisor may then call Stop
// without guarding it against a hang: without a watchdog timer and without
// a goroutine of its own, on the supervisor's goroutine. An engine whose
// Stop waits for anything (a process to exit, a server to drain) must not
// implement it, or must return false.
//
// StopNeverBlocks is asked once per child when the supervisor starts, so
// a wrapper can forward the answer of the engine it wraps.
type NonBlockingStopper interface {
	Engine
	StopNeverBlocks() bool
}

// StopNeverBlocks reports whether e promises that its Stop never blocks.
func StopNeverBlocks(e Engine) bool {
	s, ok := e.(NonBlockingStopper)
	return ok && s.StopNeverBlocks()
}
