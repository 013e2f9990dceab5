package supervisor

import (
	"time"

	"github.com/arborgo/arbor/supervisor/core"
)

// arm sets the timer of a child (cc) or of the supervisor (cc nil) to fire
// at at with sequence seq. One timer per child is reused across arms.
func (r *runState) arm(cc *core.Child, seq uint64, at time.Time) {
	d := time.Until(at)
	if cc == nil {
		r.timerMu.Lock()
		defer r.timerMu.Unlock()
		r.timerSeq, r.timerAt = seq, at
		if r.timer == nil {
			r.timer = time.AfterFunc(d, r.fire)
		} else {
			r.timer.Reset(d)
		}
		return
	}
	c := shellChild(cc)
	c.timerMu.Lock()
	defer c.timerMu.Unlock()
	c.timerSeq, c.timerAt = seq, at
	if c.timer == nil {
		c.timer = time.AfterFunc(d, c.fire)
	} else {
		c.timer.Reset(d)
	}
}

// fire sends the supervisor's timer event. A fire that raced a re-arm
// finds its time not yet come and does nothing: the re-armed timer fires.
func (r *runState) fire() {
	r.timerMu.Lock()
	seq, at := r.timerSeq, r.timerAt
	r.timerMu.Unlock()
	if time.Now().Before(at) {
		return
	}
	r.send(core.Event{Kind: core.TimerFired, Gen: seq})
}

func (c *child) fire() {
	c.timerMu.Lock()
	seq, at := c.timerSeq, c.timerAt
	c.timerMu.Unlock()
	if time.Now().Before(at) {
		return
	}
	c.sup.send(core.Event{Kind: core.TimerFired, Child: c.cc, Gen: seq})
}

func (c *child) stopTimer() {
	c.timerMu.Lock()
	defer c.timerMu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
	}
}
