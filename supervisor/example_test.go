package supervisor_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

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

// migration is a one-shot step: its Run does its job, reports ready just
// before it returns nil, and is done.
type migration struct{ applied *atomic.Bool }

func (m migration) Run(ctx context.Context) error {
	m.applied.Store(true) // the job: apply the schema changes
	engine.Ready(ctx)     // ready once done: the next sibling may start
	return nil
}

func (m migration) Stop(context.Context) error { return nil }

// ReportsReady makes the supervisor wait for Ready before it starts the
// next sibling: without it the server would start as soon as the
// migration's Run was called.
func (m migration) ReportsReady() bool { return true }

// A one-shot step, such as a migration that must finish before the server
// after it starts: an engine that reports readiness, whose Run calls
// engine.Ready just before it returns nil, under Restart Transient, so
// that its normal end is not restarted; it is then done (ChildStatus.Done),
// which readiness and the metrics count as up. A Run that returns without calling
// Ready (a migration that failed returns its error) is a failed start, and
// the server does not start.
func ExampleChild_oneShot() {
	var applied atomic.Bool
	saw := make(chan bool, 1)
	server := engine.FromFunc(func(ctx context.Context) error {
		saw <- applied.Load()
		<-ctx.Done()
		return nil
	})
	migrated := make(chan struct{})
	sup := supervisor.New("app", supervisor.Config{
		OnEvent: func(ev supervisor.Event) {
			switch {
			case ev.Kind == supervisor.EventExited && ev.Path == "app/migrate":
				fmt.Println(ev.Kind, ev.Path, ev.Exit)
				close(migrated)
			case ev.Path == "app/migrate" || ev.Kind == supervisor.EventStarted:
				fmt.Println(ev.Kind, ev.Path)
			}
		},
	},
		supervisor.Child{Name: "migrate", Engine: migration{&applied}, Restart: supervisor.Transient},
		supervisor.Child{Name: "server", Engine: server},
	)
	errc := sup.ServeBackground(context.Background())
	<-migrated
	fmt.Println("server saw the migration applied:", <-saw)
	sup.Stop(context.Background())
	fmt.Println("Run:", <-errc)
	m := sup.Snapshot().Children[0]
	fmt.Println(m.Name, m.State, m.LastExit, "restarts:", m.Restarts)
	// Output:
	// started app/migrate
	// ready app/migrate
	// started app/server
	// exited app/migrate normal
	// server saw the migration applied: true
	// Run: <nil>
	// migrate stopped normal restarts: 0
}
