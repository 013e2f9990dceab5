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
	readyAt  time.Duration // when the ready check passes; never if it fails first
	failAt   time.Duration // when it fails; never if it does not
	err      error         // why it fails
	scripted bool          // the failure is a scripted one: consume it when it happens
}

// launch plans the run launched at now. Random numbers are drawn in the
// same order for every run: the crash draw (when CrashOnStart > 0), then
// the up time (when MTBF > 0, and the start did not fail).
func (m *leafModel) launch(now time.Duration) runPlan {
	f := m.f
	up := now + f.Start
	crashed := f.CrashOnStart > 0 && m.rng.Float64() < f.CrashOnStart
	for _, o := range f.Outages {
		if o.From <= now && now < o.To {
			return runPlan{readyAt: never, failAt: up, err: errOutage}
		}
	}
	if crashed {
		return runPlan{readyAt: never, failAt: up, err: errCrash}
	}
	p := runPlan{readyAt: up + f.Ready, failAt: never}
	if f.MTBF > 0 {
		d := m.rng.ExpFloat64() * float64(f.MTBF)
		p.failAt, p.err = sat(p.readyAt, d), errRandom
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

// sat returns t+d, saturated at never.
func sat(t time.Duration, d float64) time.Duration {
	if d >= float64(never-t) {
		return never
	}
	return t + time.Duration(d)
}
