package sim

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"
)

// never is a time that does not come.
const never = time.Duration(math.MaxInt64)

// leafModel decides the fortunes of one leaf's runs. The simulator and the
// agreement test's live engine both ask it, so they agree.
type leafModel struct {
	f    *Faults
	rng  *rand.Rand
	next int // index of the first scripted failure not used yet
}

func newLeafModel(f *Faults, seed uint64, path string) *leafModel {
	h := fnv.New64a()
	h.Write([]byte(path))
	return &leafModel{f: f, rng: rand.New(rand.NewPCG(seed, h.Sum64()))}
}

// runPlan is what happens to one run, in virtual time since the start of
// the simulation.
type runPlan struct {
	launch   time.Duration // when it was launched
	readyAt  time.Duration // when the ready check passes; never if it fails first
	failAt   time.Duration // when it fails; never if it does not
	err      error         // why it fails
	scripted bool          // the failure is a scripted one: consume it when it happens
	// hangAt and hangEnd bound its hang, [hangAt, hangEnd); hangAt is
	// never if it does not hang.
	hangAt, hangEnd time.Duration
}

// launch plans the run launched at now. Random numbers are drawn in the
// same order for every run: the crash draw (when CrashOnStart > 0), then
// the up time (when MTBF > 0, and the start did not fail), then the time
// to a hang (when Hang.MTBF > 0, and the start did not fail).
func (m *leafModel) launch(now time.Duration) runPlan {
	f := m.f
	up := now + f.Start
	crashed := f.CrashOnStart > 0 && m.rng.Float64() < f.CrashOnStart
	for _, o := range f.Outages {
		if o.From <= now && now < o.To {
			return runPlan{launch: now, readyAt: never, failAt: up, err: errOutage, hangAt: never, hangEnd: never}
		}
	}
	if crashed {
		return runPlan{launch: now, readyAt: never, failAt: up, err: errCrash, hangAt: never, hangEnd: never}
	}
	p := runPlan{launch: now, readyAt: up + f.Ready, failAt: never, hangAt: never, hangEnd: never}
	if f.MTBF > 0 {
		d := m.rng.ExpFloat64() * float64(f.MTBF)
		p.failAt, p.err = sat(p.readyAt, d), errRandom
	}
	if f.Hang.MTBF > 0 {
		p.hangAt = sat(p.readyAt, m.rng.ExpFloat64()*float64(f.Hang.MTBF))
		if f.Hang.Duration > 0 && p.hangAt != never {
			p.hangEnd = sat(p.hangAt, float64(f.Hang.Duration))
		}
	}
	for m.next < len(f.FailAt) && f.FailAt[m.next] < now {
		m.next++
	}
	if m.next < len(f.FailAt) && f.FailAt[m.next] <= p.failAt {
		p.failAt, p.err, p.scripted = f.FailAt[m.next], errScripted, true
	}
	if p.failAt < p.readyAt {
		p.readyAt = never
	}
	return p
}

// failed records that a run failed as planned.
func (m *leafModel) failed(p runPlan) {
	if p.scripted {
		m.next++
	}
}

// hungAt reports whether the run is hung at t.
func (p *runPlan) hungAt(t time.Duration) bool { return p.hangAt <= t && t < p.hangEnd }

// lastBeat returns the time of the run's last heartbeat at or before now,
// for heartbeats every beat from its launch (continuous for zero), none
// during its hang; ok is false when it has not beaten yet.
func (p *runPlan) lastBeat(now, beat time.Duration) (at time.Duration, ok bool) {
	tick := func(t time.Duration) time.Duration { // the last tick at or before t
		if beat <= 0 {
			return t
		}
		return p.launch + (t-p.launch)/beat*beat
	}
	at = tick(now)
	if p.hungAt(at) {
		if p.hangAt <= p.launch {
			return 0, false
		}
		at = p.hangAt
		if beat > 0 {
			at = tick(p.hangAt - 1)
		}
	}
	return at, at >= p.launch
}

// sat returns t+d, saturated at never.
func sat(t time.Duration, d float64) time.Duration {
	if d >= float64(never-t) {
		return never
	}
	return t + time.Duration(d)
}
