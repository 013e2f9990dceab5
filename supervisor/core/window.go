package core

import "time"

// window remembers the times of the last Intensity restarts in a ring, so
// that deciding whether one more restart exceeds the intensity is O(1)
// however many restarts happened: OTP keeps a list and filters it on every
// restart, which degrades under a flood.
type window struct {
	times  []time.Time
	next   int
	filled int
	period time.Duration
}

func newWindow(intensity int, period time.Duration) window {
	return window{times: make([]time.Time, intensity), period: period}
}

// admit records a restart at now and reports whether it fits: it does not
// when the last Intensity restarts all happened within Period of now, so
// that this one would make Intensity+1. A restart that does not fit is not
// recorded. As in OTP, a restart exactly Period old still counts.
func (w *window) admit(now time.Time) bool {
	if len(w.times) == 0 {
		return false
	}
	if w.filled == len(w.times) {
		oldest := w.times[w.next]
		if now.Sub(oldest) <= w.period {
			return false
		}
	} else {
		w.filled++
	}
	w.times[w.next] = now
	w.next = (w.next + 1) % len(w.times)
	return true
}
