package sim_test

import (
	"fmt"
	"time"

	"github.com/arborgo/arbor/supervisor/core"
	"github.com/arborgo/arbor/supervisor/sim"
)

func Example() {
	backoff := core.Backoff{Initial: time.Second, Max: 10 * time.Second, Multiplier: 2}
	root := &sim.Group{
		Name:   "shop",
		Config: core.Config{Strategy: core.RestForOne, Intensity: 3, Period: time.Minute, Seed: 1},
		Children: []sim.Child{
			{Spec: core.ChildSpec{Name: "db", Shutdown: time.Second, Backoff: backoff, ReportsReady: true},
				Faults: sim.Faults{Ready: 2 * time.Second, FailAt: []time.Duration{10 * time.Second}}},
			{Spec: core.ChildSpec{Name: "web", Shutdown: time.Second, Backoff: backoff},
				Faults: sim.Faults{Stop: 500 * time.Millisecond}},
		},
	}
	res, err := sim.Run(root, sim.Options{Duration: time.Minute, Events: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range res.Events {
		fmt.Println(ev)
	}
	db, _ := res.Lane("shop/db")
	fmt.Printf("db: %d starts, %d failure, up %v, availability %.1f%%\n",
		db.Stats.Starts, db.Stats.Failures, db.Stats.Up, 100*db.Stats.Availability)
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
	// db: 2 starts, 1 failure, up 54.5s, availability 90.8%
}
