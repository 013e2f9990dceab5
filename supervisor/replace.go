package supervisor

import (
	"context"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/core"
)

// InsertChild is AddChild at a place in the start order: before the child
// named before, or after every child when before is "" or names no child
// (that is no error: the child is appended, as AddChild appends it). It
// starts the child and, as AddChild does, returns once it is ready or has
// failed to start (then it returns why and the child is not kept), and
// fails with a *ConfigError for an invalid spec and ErrAlreadyExists for
// a duplicate name. The child stops before the children that precede it,
// and takes the same place in the spec list that later runs start from.
// See AddChild for when admin calls wait and fail.
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
			if at == len(r.core.Children())-1 {
				before = "" // appended: so too in the spec list
			}
			r.keep(now, r.sup.keepChild(before, ch), r.attach(cc, eng, ch), ch)
		}
		return cc, acts, err
	})
}

// ReplaceChild gives the stopped child named ch.Name the spec and engine
// of ch, in its place, also in the spec list that later runs start from;
// it stays stopped until RestartChild. It fails with
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
			r.keep(now, r.sup.replaceSpec(ch), r.attach(cc, eng, ch), ch)
		}
		return nil, acts, err
	})
}
