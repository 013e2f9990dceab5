package supervisor

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/arborgo/arbor/engine"
)

type readyEngine struct{ engine.Engine }

func (readyEngine) ReportsReady() bool { return true }

// TestDescribeIsWhatRunResolves: the simulator's view of a tree (describe)
// holds exactly the config and child specs that a live run gives its
// core: defaults, a nested supervisor's shutdown budget and start timeout,
// readiness from the engine, a factory's engine.
func TestDescribeIsWhatRunResolves(t *testing.T) {
	idle := func(ctx context.Context) error { <-ctx.Done(); return nil }
	sub := New("jobs", Config{Strategy: RestForOne, Seed: 7},
		Child{Name: "queue", Engine: readyEngine{engine.FromFunc(idle)}, Shutdown: 3 * time.Second},
		Child{Name: "worker", New: func() engine.Engine { return readyEngine{engine.FromFunc(idle)} }, Restart: Transient},
	)
	root := New("shop", Config{Intensity: 3, Period: time.Minute, Backoff: Backoff{Max: time.Second}, Seed: 9},
		Child{Name: "db", Engine: engine.FromFunc(idle), StartTimeout: Zero, Backoff: Backoff{Initial: Zero}},
		Child{Name: "jobs", Engine: sub},
		Child{Name: "web", Engine: readyEngine{engine.FromFunc(idle)}, Restart: Temporary, Significant: true},
	)
	for _, s := range []*Supervisor{root, sub} {
		r := newRunState(s, context.Background())
		d := describe(s)
		if got, want := fmt.Sprintf("%+v", d.Config), fmt.Sprintf("%+v", r.cfg.core()); got != want {
			t.Errorf("%s: described config %s; Run's %s", s.name, got, want)
		}
		kids := r.core.Children()
		if len(d.Children) != len(kids) {
			t.Fatalf("%s: described %d children; Run has %d", s.name, len(d.Children), len(kids))
		}
		for i, c := range kids {
			if got, want := fmt.Sprintf("%+v", d.Children[i].Spec), fmt.Sprintf("%+v", c.Spec()); got != want {
				t.Errorf("%s/%s: described spec\n\t%s\nRun's\n\t%s", s.name, c.Name(), got, want)
			}
		}
	}
	d := describe(root)
	if d.Children[1].Sub == nil || d.Children[0].Sub != nil || describe(engine.FromFunc(idle)) != nil {
		t.Errorf("describe: nested = %v, leaf = %v; want only the supervisor child described", d.Children[1].Sub, d.Children[0].Sub)
	}
	if got, want := d.Children[1].Spec.Shutdown, sub.shutdownBudget(); got != want || got != time.Second+3*time.Second+defaultShutdown {
		t.Errorf("nested shutdown = %v; want the budget %v (1s + 3s + %v)", got, want, defaultShutdown)
	}
}
