package engine_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/arborgo/arbor/engine"
)

func ExampleFromFunc() {
	started := make(chan struct{})
	e := engine.FromFunc(func(ctx context.Context) error {
		close(started)
		<-ctx.Done() // Stop cancels ctx: that is the whole stop.
		return nil
	})

	done := make(chan error, 1)
	go func() { done <- e.Run(context.Background()) }()
	<-started
	fmt.Println("stop:", e.Stop(context.Background()))
	fmt.Println("run:", <-done)
	// Output:
	// stop: <nil>
	// run: <nil>
}

func ExampleStopOnce() {
	calls := 0
	stop := engine.StopOnce(func(context.Context) error {
		calls++
		return errors.New("listener already closed")
	})
	fmt.Println(stop(context.Background()))
	fmt.Println(stop(context.Background()))
	fmt.Println("calls:", calls)
	// Output:
	// listener already closed
	// listener already closed
	// calls: 1
}

func ExampleCall() {
	err := engine.Call(func() error {
		var m map[string]int
		m["x"] = 1 // panics: assignment to entry in nil map
		return nil
	})
	var pe *engine.PanicError
	if errors.As(err, &pe) {
		fmt.Println("recovered:", pe.Value)
	}
	fmt.Println(engine.Call(func() error { return errors.New("plain error") }))
	// Output:
	// recovered: assignment to entry in nil map
	// plain error
}

// pool is an engine.FromFunc engine that reports readiness: embedding the
// engine and adding ReportsReady makes it an engine.Readier, whose next
// sibling starts only once Run has called engine.Ready.
type pool struct{ engine.Engine }

func (pool) ReportsReady() bool { return true }

func ExampleReadier() {
	db := pool{engine.FromFunc(func(ctx context.Context) error {
		// ... open the connections ...
		engine.Ready(ctx) // the supervisor starts the next sibling now
		<-ctx.Done()
		return nil
	})}
	ready := make(chan struct{})
	ctx := engine.WithReady(context.Background(), func() { close(ready) })
	done := make(chan error, 1)
	go func() { done <- db.Run(ctx) }()
	<-ready
	fmt.Println("reports ready:", db.ReportsReady())
	fmt.Println("stop:", db.Stop(context.Background()), "run:", <-done)
	// Output:
	// reports ready: true
	// stop: <nil> run: <nil>
}
