package supervisor

import (
	"context"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// InsertChild is AddChild at a place in the start order: before the child
// named before (after every child when before is "" or names none). It
// starts after the children before it and stops before them.
func (s *Supervisor) InsertChild(ctx context.Context, before string, ch Child) error {
	where := s.name + "/" + ch.Name
	if r := s.run(); r != nil {
		where = r.path + "/" + ch.Name
	}
	if err := validateChild(ch, where); err != nil {
		return err
	}
	var eng engine.Engine
	return s.do(ctx, func(r *runState, now time.Time) (*core.Child, []core.Action, error) {
		if eng == nil {
			eng = firstEngine(ch)
		}
		at := len(r.core.Children())
		if b, ok := r.core.Lookup(before); ok {
			at = b.Pos()
		}
		cc, acts, err := r.core.InsertChild(now, r.sup.withConfig(r.cfg).childSpec(ch, eng), at)
		if err == nil {
			r.attach(cc, eng, ch)
		}
		return cc, acts, err
	})
}

// ReplaceChild gives the stopped child named ch.Name the spec and engine
// of ch, in its place; it stays stopped until RestartChild. It fails with
// ErrNotStopped when the child is not stopped, and with a *ConfigError for
// an invalid spec. See AddChild for when admin calls wait and fail.
func (s *Supervisor) ReplaceChild(ctx context.Context, ch Child) error {
	where := s.name + "/" + ch.Name
	if r := s.run(); r != nil {
		where = r.path + "/" + ch.Name
	}
	if err := validateChild(ch, where); err != nil {
		return err
	}
	var eng engine.Engine
	return s.do(ctx, func(r *runState, now time.Time) (*core.Child, []core.Action, error) {
		if eng == nil {
			eng = firstEngine(ch)
		}
		cc, acts, err := r.core.ReplaceChild(now, r.sup.withConfig(r.cfg).childSpec(ch, eng))
		if err == nil {
			shellChild(cc).retireWorker()
			r.attach(cc, eng, ch)
		}
		return nil, acts, err
	})
}

// SetIntensity changes the running supervisor's Intensity and Period
// without restarting anything (zero values mean the defaults, as in
// Config). The restarts already counted stay counted. The change lasts as
// long as this run of the supervisor: a supervisor restarted by its parent
// starts again with its Config.
func (s *Supervisor) SetIntensity(ctx context.Context, intensity int, period time.Duration) error {
	intensity, period = orDefault(intensity, defaultIntensity), orDefault(period, defaultPeriod)
	return s.do(ctx, func(r *runState, now time.Time) (*core.Child, []core.Action, error) {
		r.cfg.Intensity, r.cfg.Period = intensity, period
		r.core.SetIntensity(intensity, period)
		return nil, nil, nil
	})
}
