package core

import (
	"sort"
	"time"
)

// window remembers the times of the restarts that still count (those at
// most Period old, and at most Intensity of them) in a ring, oldest first,
// so that deciding whether one more restart exceeds the intensity is O(1)
// amortised however many restarts happened: OTP keeps a list and filters
// it on every restart, which degrades under a flood.
//
// The ring grows by doubling as restarts accumulate, up to Intensity, so
// that a huge Intensity ("never give up": math.MaxInt) costs only what the
// restarts within one Period need.
type window struct {
	// times are the restarts' offsets from base: eight bytes each and no
	// pointer for the collector to scan in a large ring.
	times     []time.Duration // ring; len is the capacity
	base      time.Time
	head      int // index of the oldest time kept
	n         int // times kept
	intensity int
	period    time.Duration
}

func newWindow(intensity int, period time.Duration) window {
	return window{intensity: intensity, period: period}
}

// admit records a restart at now and reports whether it fits: it does not
// when the last Intensity restarts all happened within Period of now, so
// that this one would make Intensity+1. A restart that does not fit is not
// recorded. As in OTP, a restart exactly Period old still counts.
func (w *window) admit(now time.Time) bool {
	if w.intensity <= 0 {
		return false
	}
	if w.base.IsZero() {
		w.base = now
	}
	at := now.Sub(w.base)
	// Forget the restarts older than Period: they never count again.
	for w.n > 0 && at-w.times[w.head] > w.period {
		w.head++
		if w.head == len(w.times) {
			w.head = 0
		}
		w.n--
	}
	if w.n >= w.intensity {
		return false
	}
	if w.n == len(w.times) {
		w.grow()
	}
	i := w.head + w.n
	if i >= len(w.times) {
		i -= len(w.times)
	}
	w.times[i] = at
	w.n++
	return true
}

// grow doubles the ring, up to Intensity, keeping the times in order.
func (w *window) grow() {
	size := min(max(2*len(w.times), 4), w.intensity)
	t := make([]time.Duration, size)
	for i := range w.n {
		t[i] = w.times[(w.head+i)%len(w.times)]
	}
	w.times, w.head = t, 0
}

// used returns the restarts that still count at now, divided by the
// intensity: how close the next restart brings the supervisor to giving
// up. It reads the ring without changing it.
func (w *window) used(now time.Time) float64 {
	if w.intensity <= 0 || w.n == 0 {
		return 0
	}
	at := now.Sub(w.base)
	// Oldest first: the ones past Period lead, found by bisection, since
	// a snapshot may ask with a huge ring not yet pruned.
	old := sort.Search(w.n, func(i int) bool { return at-w.times[(w.head+i)%len(w.times)] <= w.period })
	return float64(w.n-old) / float64(w.intensity)
}
