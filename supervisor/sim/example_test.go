package sim_test

import (
	"context"
	"fmt"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/sim"
)

// database stands for an engine that says when it is ready.
type database struct{ engine.Engine }

func (database) ReportsReady() bool { return true }

func Example() {
	idle := func(ctx context.Context) error { <-ctx.Done(); return nil }
	backoff := supervisor.Backoff{Initial: time.Second, Max: 10 * time.Second, Multiplier: 2,
		Jitter: supervisor.Zero, ResetAfter: supervisor.Zero}
	// The tree a program would run; the simulator never runs its engines.
	root := supervisor.New("shop", supervisor.Config{Strategy: supervisor.RestForOne, Intensity: 3, Period: time.Minute, Seed: 1},
		supervisor.Child{Name: "db", Engine: database{engine.FromFunc(idle)}, Shutdown: time.Second, Backoff: backoff},
		supervisor.Child{Name: "web", Engine: engine.FromFunc(idle), Shutdown: time.Second, Backoff: backoff},
	)
	faults := map[string]sim.Faults{
		"shop/db":  {Ready: 2 * time.Second, FailAt: []time.Duration{10 * time.Second}},
		"shop/web": {Stop: 500 * time.Millisecond},
	}
	res, err := sim.Run(root, func(path string) sim.Faults { return faults[path] }, sim.Options{Duration: time.Minute, Events: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range res.Events {
		fmt.Println(ev)
	}
	db := res.Lanes[1] // the root, then its children in start order
	fmt.Printf("%s: %d starts, %d failure, up %v, availability %.1f%%\n",
		db.Path, db.Stats.Starts, db.Stats.Failures, db.Stats.Up, 100*db.Stats.Availability)
	// Output:
	// 0s started shop/db
	// 2s ready shop/db
	// 2s started shop/web
	// 2s ready shop/web
	// 10s exited shop/db exit=error
	// 10s restarting shop/db exit=error delay=1s restarts=1
	// 10s stopping shop/web
	// 10.5s stopped shop/web
	// 11.5s started shop/db
	// 13.5s ready shop/db
	// 13.5s started shop/web
	// 13.5s ready shop/web
	// shop/db: 2 starts, 1 failure, up 54.5s, availability 90.8%
}
