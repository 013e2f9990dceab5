package supervisor

import (
	"context"
	"fmt"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// Reconfigure applies the policy fields of cfg to the supervisor without
// restarting, starting or stopping anything: Strategy, AutoShutdown,
// Intensity, Period, Backoff, Shutdown, StartTimeout and Drain, each
// resolved with the same defaults as New (a zero field means its default,
// [Zero] a literal zero), so pass the whole policy, not only what
// changes. They replace the supervisor's own for this run and for later
// ones. A new Strategy or AutoShutdown governs the decisions taken after
// the call: a group restart under way finishes as it began. Every other
// field of cfg (Logger, OnEvent, PassThroughPanics, WarnLeakedGoroutines,
// Seed) is ignored.
//
// The children whose Child leaves a field zero take the new value: the
// next restart delay computed after the call follows the new Backoff
// (the failures already counted keep counting), the next stop of a child
// is bounded by the new Shutdown, its next start by the new StartTimeout;
// a delay, a stop or a start under way keeps the bound it had. The
// restarts already counted stay counted: a lower intensity that they
// exceed refuses the next restart until enough of them are older than
// Period. A child supervisor's bound, which depends on its own children,
// is resolved again too; this supervisor's own bound as a child of its
// parent is the parent's: Reconfigure the parent to resolve it again. A
// drain under way keeps its length.
//
// It fails with a *ConfigError for an invalid policy, and with ctx.Err()
// when ctx ends first (the change may then still be made). On a
// supervisor that does not run, it changes the policy its next Run
// starts with. It may be called from any goroutine but the supervisor's
// own, and is made at once, also while a plan is under way.
func (s *Supervisor) Reconfigure(ctx context.Context, cfg Config) error {
	if err := validatePolicy(cfg, s.name); err != nil {
		return err
	}
	for {
		s.mu.Lock()
		r := s.current
		if r == nil {
			s.cfg = s.cfg.withPolicy(cfg)
			s.mu.Unlock()
			return nil
		}
		s.mu.Unlock()
		err := s.do(ctx, func(r *runState, now time.Time) (*core.Child, []core.Action, error) {
			r.reconfigure(cfg)
			return nil, nil, nil
		})
		if err != ErrNotRunning {
			return err
		}
		// The run ended before it took the call: apply it to the spec
		// list, unless a new run has begun, which is asked again.
		s.mu.Lock()
		if s.current == r || s.current == nil {
			s.cfg = s.cfg.withPolicy(cfg)
			s.mu.Unlock()
			return nil
		}
		s.mu.Unlock()
	}
}

// withPolicy returns c with the policy fields of p, as given (resolved
// when a run starts).
func (c Config) withPolicy(p Config) Config {
	c.Strategy, c.AutoShutdown = p.Strategy, p.AutoShutdown
	c.Intensity, c.Period, c.Backoff = p.Intensity, p.Period, p.Backoff
	c.Shutdown, c.StartTimeout, c.Drain = p.Shutdown, p.StartTimeout, p.Drain
	return c
}

// reconfigure applies the policy of cfg on the run's goroutine: to the
// spec list, to the run's resolved config, field by field (workers read
// other fields of it), and, resolved again for every child, to the core.
func (r *runState) reconfigure(cfg Config) {
	s := r.sup
	s.mu.Lock()
	s.cfg = s.cfg.withPolicy(cfg)
	children := s.children
	s.mu.Unlock()
	res := Config{}.withPolicy(cfg).resolved()
	r.cfg.Strategy, r.cfg.AutoShutdown = res.Strategy, res.AutoShutdown
	r.cfg.Intensity, r.cfg.Period, r.cfg.Backoff = res.Intensity, res.Period, res.Backoff
	r.cfg.Shutdown, r.cfg.StartTimeout, r.cfg.Drain = res.Shutdown, res.StartTimeout, res.Drain
	byName := make(map[string]Child, len(children))
	for _, ch := range children {
		byName[ch.Name] = ch
	}
	resolver := s.withConfig(r.cfg)
	specs := make([]core.ChildSpec, len(r.core.Children()))
	for i, cc := range r.core.Children() {
		if ch, ok := byName[cc.Name()]; ok {
			specs[i] = resolver.childSpec(ch, shellChild(cc).eng)
		}
	}
	r.core.Reconfigure(r.cfg.core(), specs)
}

// validatePolicy checks the fields that Reconfigure applies.
func validatePolicy(cfg Config, path string) error {
	var problems []string
	add := func(format string, args ...any) {
		problems = append(problems, path+": "+fmt.Sprintf(format, args...))
	}
	if cfg.Strategy > RestForOne {
		add("Strategy: unknown strategy %d", cfg.Strategy)
	}
	if cfg.AutoShutdown > AllSignificant {
		add("AutoShutdown: unknown value %d", cfg.AutoShutdown)
	}
	if cfg.Period < 0 {
		add("Period: %v is negative; want a positive window", cfg.Period)
	}
	validateBackoff(cfg.Backoff, "Backoff", add)
	if len(problems) > 0 {
		return &ConfigError{Problems: problems}
	}
	return nil
}
