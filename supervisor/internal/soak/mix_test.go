package soak

import (
	"math/rand/v2"
	"time"
)

// mix is how often engines misbehave, and how. The rates are per Run and
// per Stop. They are set so that the tree churns (a few hundred Runs a
// second) without giving up, and so that the final shutdown of a thousand
// engines, one at a time, takes a few seconds.
type mix struct {
	lifeMean     time.Duration // mean time a Run lasts before it ends on its own
	readyLate    float64       // a readier is ready only after up to readyLateMax
	readyLateMax time.Duration
	tooLate      float64 // a restarted readier is ready after its start timeout
	failEarly    float64 // a restarted readier fails before it is ready
	errorEnd     float64 // a Run returns an error at the end of its life
	panicEnd     float64 // a Run panics
	normalEnd    float64 // a Run returns nil; the rest run until asked to end
	hang         float64 // a Run ignores its ctx and its Stop, for up to hangMax
	hangMax      time.Duration
	slowStop     float64 // a Stop takes up to slowStopMax, within its ctx
	slowStopMax  time.Duration
	blockStop    float64 // a Stop ignores its ctx for up to hangMax
	panicStop    float64
	errorStop    float64
	startTimeout time.Duration // of the readiers
}

var defaultMix = mix{
	lifeMean:     2 * time.Second,
	readyLate:    0.05,
	readyLateMax: 40 * time.Millisecond,
	tooLate:      0.003,
	failEarly:    0.01,
	errorEnd:     0.40,
	panicEnd:     0.15,
	normalEnd:    0.10,
	hang:         0.02,
	hangMax:      1500 * time.Millisecond,
	slowStop:     0.10,
	slowStopMax:  20 * time.Millisecond,
	blockStop:    0.01,
	panicStop:    0.05,
	errorStop:    0.05,
	startTimeout: 250 * time.Millisecond,
}

type endKind uint8

const (
	endWhenAsked endKind = iota
	endError
	endPanic
	endNormal
)

type runPlan struct {
	readyDelay time.Duration
	failEarly  bool
	life       time.Duration
	end        endKind
	hang       time.Duration
}

type stopHow uint8

const (
	stopQuick stopHow = iota
	stopSlow
	stopBlocking
	stopPanic
	stopError
)

type stopPlan struct {
	how stopHow
	d   time.Duration
}

// drawRun scripts Run n of an engine. A first Run always starts, so that
// the first ordered start of the whole tree can succeed.
func (m mix) drawRun(rng *rand.Rand, n int, readies bool) runPlan {
	var p runPlan
	if readies {
		switch x := rng.Float64(); {
		case n > 1 && x < m.tooLate:
			p.readyDelay = m.startTimeout + m.startTimeout/2
		case n > 1 && x < m.tooLate+m.failEarly:
			p.failEarly = true
		case x < m.tooLate+m.failEarly+m.readyLate:
			p.readyDelay = between(rng, time.Millisecond, m.readyLateMax)
		}
	}
	p.life = time.Duration(rng.ExpFloat64()*float64(m.lifeMean)) + 10*time.Millisecond
	switch x := rng.Float64(); {
	case x < m.errorEnd:
		p.end = endError
	case x < m.errorEnd+m.panicEnd:
		p.end = endPanic
	case x < m.errorEnd+m.panicEnd+m.normalEnd:
		p.end = endNormal
	}
	if rng.Float64() < m.hang {
		p.hang = between(rng, m.hangMax/10, m.hangMax)
	}
	return p
}

func (m mix) drawStop(rng *rand.Rand) stopPlan {
	switch x := rng.Float64(); {
	case x < m.slowStop:
		return stopPlan{how: stopSlow, d: between(rng, time.Millisecond, m.slowStopMax)}
	case x < m.slowStop+m.blockStop:
		return stopPlan{how: stopBlocking, d: between(rng, m.hangMax/10, m.hangMax)}
	case x < m.slowStop+m.blockStop+m.panicStop:
		return stopPlan{how: stopPanic}
	case x < m.slowStop+m.blockStop+m.panicStop+m.errorStop:
		return stopPlan{how: stopError}
	}
	return stopPlan{how: stopQuick}
}

func between(rng *rand.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(rng.Int64N(int64(hi-lo)+1))
}
