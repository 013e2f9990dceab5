package core

import (
	"errors"
	"fmt"
	"time"
)

// Liveness is how the core finds a run that is alive but hung. Either
// form, or both, may be set; the zero value checks nothing. Both start
// when the run becomes ready.
type Liveness struct {
	// Watchdog is the longest a ready run may go without a heartbeat
	// (Heartbeat) before it is unhealthy; zero means no watchdog.
	Watchdog time.Duration
	// Every is the interval of the probe, which the shell runs when the
	// core asks (RunProbe); zero means no probe. The k-th probe of a run
	// is due at ready + Grace + k × Every.
	Every time.Duration
	// Failures is how many consecutive failed probes make the run
	// unhealthy; the core applies no default, and takes zero as one.
	Failures int
	// Grace delays the first probe after the run became ready.
	Grace time.Duration
	// Probe names the probe in an UnhealthyError, such as "tcp".
	Probe string
}

func (l *Liveness) active() bool { return l.Watchdog > 0 || l.Every > 0 }

// CheckWatchdog is the Check of an UnhealthyError that a missed heartbeat
// caused.
const CheckWatchdog = "watchdog"

// ErrNoHeartbeat is the cause of a watchdog's UnhealthyError, which names
// the check and the duration around it.
var ErrNoHeartbeat = errors.New("no heartbeat")

// UnhealthyError is the error of a run that its liveness check found hung:
// the check ("watchdog", or the probe's name) and its last error.
type UnhealthyError struct {
	Check string
	Err   error
}

func (e *UnhealthyError) Error() string {
	return fmt.Sprintf("unhealthy: %s: %v", e.Check, e.Err)
}

func (e *UnhealthyError) Unwrap() error { return e.Err }

// startLiveness arms the checks of a run that has just become ready.
func (c *Core) startLiveness(now time.Time, ch *Child) {
	l := &ch.spec.Liveness
	if !l.active() {
		return
	}
	t := ch.clock.offset(now)
	ch.beat, ch.probeFails, ch.probing = t, 0, false
	ch.probeAt = t + l.Grace + l.Every
	c.armLiveness(ch)
}

// armLiveness arms the child's timer for the earlier of the watchdog's
// deadline and the next probe. One timer serves both; a heartbeat moves
// no timer, so that it costs nothing but a store: the timer, when it
// fires, finds the last beat and re-arms from it.
func (c *Core) armLiveness(ch *Child) {
	l := &ch.spec.Liveness
	next := time.Duration(-1)
	if l.Watchdog > 0 {
		next = ch.beat + l.Watchdog
	}
	if l.Every > 0 && (next < 0 || ch.probeAt < next) {
		next = ch.probeAt
	}
	c.armChildTimer(ch, ch.clock.at(next))
}

// onHeartbeat records a heartbeat of a ready run. It decides nothing.
func (c *Core) onHeartbeat(ev Input) {
	ch := ev.Child
	if ch.state != StateRunning || ev.Gen != ch.gen || ch.spec.Liveness.Watchdog <= 0 {
		return
	}
	if t := ch.clock.offset(ev.At); t > ch.beat {
		ch.beat = t
	}
}

// checkLiveness runs when the liveness timer of a ready run fires.
func (c *Core) checkLiveness(now time.Time, ch *Child) {
	l := &ch.spec.Liveness
	t := ch.clock.offset(now)
	if l.Watchdog > 0 && t-ch.beat >= l.Watchdog {
		c.unhealthy(now, ch, &UnhealthyError{Check: CheckWatchdog,
			Err: fmt.Errorf("%w within %v", ErrNoHeartbeat, l.Watchdog)})
		return
	}
	if l.Every > 0 && t >= ch.probeAt {
		if !ch.probing {
			// A probe still out when the next is due is waited for: its
			// result, pass or fail, counts once.
			ch.probing = true
			c.emit(Action{Kind: RunProbe, Child: ch, Gen: ch.gen})
		}
		for ch.probeAt <= t {
			ch.probeAt += l.Every
		}
	}
	c.armLiveness(ch)
}

// onProbeDone counts a probe's result.
func (c *Core) onProbeDone(now time.Time, ev Input) {
	ch := ev.Child
	if ev.Gen != ch.gen || ch.pos < 0 {
		return
	}
	ch.probing = false
	if ch.state != StateRunning || c.phase >= phaseShutting {
		return
	}
	if ev.Err == nil {
		ch.probeFails = 0
		return
	}
	ch.probeFails++
	if int(ch.probeFails) >= max(ch.spec.Liveness.Failures, 1) {
		c.unhealthy(now, ch, &UnhealthyError{Check: ch.spec.Liveness.Probe, Err: ev.Err})
	}
}

// onStartExtended moves a starting run's ready deadline later, never
// earlier.
func (c *Core) onStartExtended(ev Input) {
	ch := ev.Child
	if ch.state != StateStarting || ev.Gen != ch.gen || !ch.deadline || ch.clock.offset(ev.At) <= ch.timerAt {
		return
	}
	c.armChildTimer(ch, ev.At)
}

// unhealthy stops a ready run that its liveness check found hung, as any
// stop; when the stop is over, its end is decided as an abnormal exit.
func (c *Core) unhealthy(now time.Time, ch *Child, err *UnhealthyError) {
	ch.unhealthy = true
	ch.lastExit, ch.lastErr = ExitUnhealthy, err
	c.report(EventUnhealthy, ch, ExitUnhealthy, err, 0)
	c.stopChild(now, ch)
}
