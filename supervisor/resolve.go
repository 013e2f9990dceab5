package supervisor

import (
	"math/rand/v2"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// orDefault resolves a field whose zero means def and whose negative
// values mean zero.
func orDefault[T int | time.Duration | float64](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

func (b Backoff) resolve(parent Backoff) Backoff {
	return Backoff{
		Initial:    orDefault(b.Initial, parent.Initial),
		Max:        orDefault(b.Max, parent.Max),
		Multiplier: orDefault(b.Multiplier, parent.Multiplier),
		Jitter:     orDefault(b.Jitter, parent.Jitter),
		ResetAfter: orDefault(b.ResetAfter, parent.ResetAfter),
	}
}

func (b Backoff) core() core.Backoff {
	return core.Backoff{Initial: b.Initial, Max: b.Max, Multiplier: b.Multiplier, Jitter: b.Jitter, ResetAfter: b.ResetAfter}
}

// resolved returns the config with every default applied.
func (c Config) resolved() Config {
	c.Intensity = orDefault(c.Intensity, defaultIntensity)
	c.Period = orDefault(c.Period, defaultPeriod)
	c.Backoff = c.Backoff.resolve(defaultBackoff)
	c.StartTimeout = orDefault(c.StartTimeout, defaultStartTimeout)
	if c.Seed == 0 {
		c.Seed = rand.Uint64()
	}
	return c
}

func (c Config) core() core.Config {
	return core.Config{Strategy: c.Strategy, Intensity: c.Intensity, Period: c.Period, AutoShutdown: c.AutoShutdown, Seed: c.Seed, Drain: c.Drain}
}

// childSpecs resolves the children against cfg, the supervisor's resolved
// config, and makes the engines of their first runs. Run and the
// simulator (through describe) resolve a tree only here, so that they
// cannot disagree on a spec.
func (s *Supervisor) childSpecs(cfg Config, children []Child) ([]core.ChildSpec, []engine.Engine) {
	specs := make([]core.ChildSpec, len(children))
	engines := make([]engine.Engine, len(children))
	resolved := s.withConfig(cfg)
	for i, ch := range children {
		engines[i] = firstEngine(ch)
		specs[i] = resolved.childSpec(ch, engines[i])
	}
	return specs, engines
}

// childSpec resolves a child against its supervisor's resolved config.
func (s *Supervisor) childSpec(ch Child, eng engine.Engine) core.ChildSpec {
	return core.ChildSpec{
		Name:         ch.Name,
		Restart:      ch.Restart,
		Shutdown:     s.shutdownOf(ch),
		StartTimeout: s.startTimeoutOf(ch),
		Backoff:      ch.Backoff.resolve(s.cfg.Backoff).core(),
		Significant:  ch.Significant,
		ReportsReady: reportsReady(eng),
		Overlaps:     ch.New != nil,
		Liveness:     ch.Liveness.resolved().core(),
	}
}

// startTimeoutOf leaves a child supervisor without a start timeout of its
// own unless one is set: its start is bounded by its children's.
func (s *Supervisor) startTimeoutOf(ch Child) time.Duration {
	if _, ok := ch.Engine.(*Supervisor); ok && ch.StartTimeout == 0 {
		return 0
	}
	return orDefault(ch.StartTimeout, s.cfg.StartTimeout)
}

func (s *Supervisor) shutdownOf(ch Child) time.Duration {
	d := ch.Shutdown
	if d == 0 {
		d = s.cfg.Shutdown
	}
	if d == 0 {
		if sub, ok := ch.Engine.(*Supervisor); ok {
			return sub.shutdownBudget()
		}
		return defaultShutdown
	}
	return max(d, 0)
}

// shutdownBudget is how long this supervisor may take to stop the
// children of its spec list one after another, plus its drain and a
// margin for its own bookkeeping.
func (s *Supervisor) shutdownBudget() time.Duration {
	own, children := s.spec()
	cfg := own.resolved()
	t := time.Second + max(own.Drain, 0)
	for _, ch := range children {
		sub := &Supervisor{cfg: cfg}
		t += sub.shutdownOf(ch)
	}
	return t
}

// reportsReady reports whether e promises to call engine.Ready from its Run.
func reportsReady(e engine.Engine) bool {
	r, ok := e.(engine.Readier)
	return ok && r.ReportsReady()
}
