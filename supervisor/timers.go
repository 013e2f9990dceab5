package supervisor

import (
	"sync"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// timerSlot is one reusable timer that delivers a TimerFired input for
// the core: a child's (backoff, start deadline) or the supervisor's own
// (a group restart). Re-arming replaces the pending fire.
type timerSlot struct {
	mu    sync.Mutex
	timer *time.Timer
	seq   uint64
	at    time.Time
	sup   *runState
	child *core.Child // nil for the supervisor's own
}

// arm sets the slot to fire at at with sequence seq.
func (t *timerSlot) arm(seq uint64, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq, t.at = seq, at
	if t.timer == nil {
		t.timer = time.AfterFunc(time.Until(at), t.fire)
	} else {
		t.timer.Reset(time.Until(at))
	}
}

// fire delivers the input. A fire that raced a re-arm finds its time not
// yet come and does nothing: the re-armed timer fires later.
func (t *timerSlot) fire() {
	t.mu.Lock()
	seq, at := t.seq, t.at
	t.mu.Unlock()
	if !time.Now().Before(at) {
		t.sup.send(core.Input{Kind: core.TimerFired, Child: t.child, Gen: seq})
	}
}

func (t *timerSlot) stop() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timer != nil {
		t.timer.Stop()
	}
}

// arm sets the timer of a child (cc) or of the supervisor (cc nil).
func (r *runState) arm(cc *core.Child, seq uint64, at time.Time) {
	if cc == nil {
		r.timer.arm(seq, at)
		return
	}
	c := shellChild(cc)
	if c.timer == nil {
		// Made on first use: most children never back off or wait to
		// become ready.
		c.timer = &timerSlot{sup: r, child: cc}
	}
	c.timer.arm(seq, at)
}
