package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/sim"
)

// TestFinishedStepIsDone: a one-shot step that finished reads done, as
// the live supervisor's ChildStatus.Done says, and counts as up: only its
// start is an outage, not the rest of the run.
func TestFinishedStepIsDone(t *testing.T) {
	idle := func(ctx context.Context) error { <-ctx.Done(); return nil }
	root := supervisor.New("shop", supervisor.Config{},
		supervisor.Child{Name: "migrate", Engine: database{engine.FromFunc(idle)}, Restart: supervisor.Transient},
		supervisor.Child{Name: "web", Engine: engine.FromFunc(idle)})
	faults := map[string]sim.Faults{"shop/migrate": {Ready: 2 * time.Second, OneShot: true}}
	res, err := sim.Run(root, func(p string) sim.Faults { return faults[p] }, sim.Options{Duration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range res.Lanes {
		if l.Path != "shop/migrate" {
			continue
		}
		if last := l.Spans[len(l.Spans)-1]; last.State != "done" || last.From != 2*time.Second {
			t.Errorf("last span = %+v; want done from 2s", last)
		}
		if l.Stats.Up != 58*time.Second || l.Stats.LongestOutage != 2*time.Second {
			t.Errorf("up %v, longest outage %v; want 58s, 2s", l.Stats.Up, l.Stats.LongestOutage)
		}
		return
	}
	t.Fatal("no lane shop/migrate")
}
