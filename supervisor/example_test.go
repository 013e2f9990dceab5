package supervisor_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// A worker that fails twice is restarted by its supervisor each time; the
// tree then runs until it is stopped, and stops in reverse start order.
func Example() {
	failures := 0
	worker := engine.FromFunc(func(ctx context.Context) error {
		if failures < 2 {
			failures++
			return errors.New("lost the queue")
		}
		<-ctx.Done()
		return nil
	})
	cache := engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })

	restarted := make(chan struct{})
	sup := supervisor.New("app", supervisor.Config{
		Backoff: supervisor.Backoff{Initial: supervisor.Zero},
		OnEvent: func(ev supervisor.Event) {
			fmt.Println(ev.Kind, ev.Path)
			if ev.Kind == supervisor.EventRestarting && ev.Restarts == 2 {
				close(restarted)
			}
		},
	},
		supervisor.Child{Name: "cache", Engine: cache},
		supervisor.Child{Name: "worker", Engine: worker},
	)
	errc := sup.ServeBackground(context.Background())
	<-restarted
	sup.Stop(context.Background())
	fmt.Println("Run:", <-errc)
	// Output:
	// started app/cache
	// ready app/cache
	// started app/worker
	// ready app/worker
	// exited app/worker
	// restarting app/worker
	// started app/worker
	// ready app/worker
	// exited app/worker
	// restarting app/worker
	// started app/worker
	// ready app/worker
	// shutdown app
	// stopping app/worker
	// stopped app/worker
	// stopping app/cache
	// stopped app/cache
	// Run: <nil>
}

// Zero asks for a literal zero where the zero value means "the default":
// here, no restart at all, so the first failure ends the supervisor.
func ExampleZero() {
	crash := engine.FromFunc(func(ctx context.Context) error { return errors.New("boom") })
	sup := supervisor.New("app", supervisor.Config{Intensity: supervisor.Zero},
		supervisor.Child{Name: "crash", Engine: crash})
	err := sup.Run(context.Background())
	var gaveUp *supervisor.GaveUpError
	fmt.Println(errors.As(err, &gaveUp), gaveUp.Child)
	// Output:
	// true app/crash
}
