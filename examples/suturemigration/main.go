// Command suturemigration is an application built on suture that moves
// one subtree, "orders", under arbor, using package sutureengine in both
// directions.
//
//	go run ./examples/suturemigration
//
// The tree, with the adapter at each boundary:
//
//	arbor.Run(sutureengine.FromSupervisor(app))  arbor's root runtime: signals, bounded stop, exit code
//	app          suture supervisor, as before the migration
//	├── metrics  suture service
//	├── mailer   suture service
//	└── orders   arbor supervisor, added to app with sutureengine.AsService
//	    ├── db        arbor engine
//	    ├── consumer  the old suture service, unchanged: sutureengine.FromService
//	    ├── reports   a suture supervisor kept as is: sutureengine.FromSupervisor, one per run
//	    │   └── daily suture service
//	    └── api       arbor engine
//
// What to watch for:
//   - inside "orders" the children start one at a time, in order; suture
//     starts its own services all at once;
//   - "consumer" panics on its first run: arbor recovers it (the "child
//     exited" record has exit=panic and the stack), calls its Stop and
//     restarts it after 200ms; suture never hears of it;
//   - on stop (Ctrl-C, or after -duration), arbor cancels "app"; suture
//     cancels metrics, mailer and orders at the same instant; "orders" then
//     stops its own children one at a time in reverse order: api, reports
//     (which cancels daily), consumer, db; the process exits 0;
//   - with -stubborn, "mailer" ignores its context for longer than app's
//     2 s suture Timeout: suture logs that it failed to stop, its
//     UnstoppedServiceReport names it, and it comes back out of
//     sutureengine as an *UnstoppedError, so the process exits 1 with
//     "services did not stop: mailer".
//
// Pass -duration 3s to stop on its own, as the tests do.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"time"

	"github.com/lmittmann/tint"
	"github.com/thejerf/suture/v4"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/engine/sutureengine"
	"github.com/arborgo/arbor/supervisor"
)

func main() {
	duration := flag.Duration("duration", 0, "stop after this long (0: run until Ctrl-C)")
	stubborn := flag.Bool("stubborn", false, "make the mailer ignore its context for 3s")
	flag.Parse()
	fi, err := os.Stderr.Stat()
	noColor := err != nil || fi.Mode()&os.ModeCharDevice == 0
	log := slog.New(tint.NewHandler(os.Stderr, &tint.Options{TimeFormat: "15:04:05.000", NoColor: noColor}))

	// The part that moved to arbor: ordered start, LIFO stop, restarts
	// with backoff, and two pieces of old suture code kept as they are.
	orders := supervisor.New("orders", supervisor.Config{
		Logger:   log,
		Shutdown: time.Second,
		Backoff:  supervisor.Backoff{Initial: 200 * time.Millisecond, Jitter: supervisor.Zero},
	},
		supervisor.Child{Name: "db", Engine: arborEngine(log, "db")},
		supervisor.Child{Name: "consumer", Engine: sutureengine.FromService(&consumer{log: log}, 0)},
		// A *suture.Supervisor serves once: New builds one for every run.
		supervisor.Child{Name: "reports", New: func() engine.Engine {
			s := suture.New("reports", sutureSpec(log, 500*time.Millisecond))
			s.Add(&service{log: log, name: "daily"})
			return sutureengine.FromSupervisor(s)
		}},
		supervisor.Child{Name: "api", Engine: arborEngine(log, "api")},
	)

	// The application as it was: a suture root.
	app := suture.New("app", sutureSpec(log, 2*time.Second))
	app.Add(&service{log: log, name: "metrics"})
	app.Add(&service{log: log, name: "mailer", stubborn: *stubborn})
	app.Add(sutureengine.AsService(orders, 1500*time.Millisecond))

	ctx := context.Background()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	// The suture root runs under arbor's root runtime; the next step of
	// the migration replaces app with an arbor supervisor.
	if err := arbor.Run(ctx, sutureengine.FromSupervisor(app)); err != nil {
		log.Error("app failed", "error", err)
		os.Exit(1)
	}
	log.Info("app stopped cleanly")
}

// sutureSpec logs suture's events through slog.
func sutureSpec(log *slog.Logger, timeout time.Duration) suture.Spec {
	return suture.Spec{
		Timeout: timeout,
		EventHook: func(e suture.Event) {
			log.Warn("suture: "+e.String(), "event", sutureEventNames[e.Type()])
		},
	}
}

var sutureEventNames = map[suture.EventType]string{
	suture.EventTypeStopTimeout:      "stop_timeout",
	suture.EventTypeServicePanic:     "service_panic",
	suture.EventTypeServiceTerminate: "service_terminate",
	suture.EventTypeBackoff:          "backoff",
	suture.EventTypeResume:           "resume",
}

// service is a suture service from before the migration.
type service struct {
	log      *slog.Logger
	name     string
	stubborn bool
}

func (s *service) String() string { return s.name }

func (s *service) Serve(ctx context.Context) error {
	s.log.Info(s.name + ": serving (suture service)")
	<-ctx.Done()
	if s.stubborn {
		s.log.Warn(s.name + ": still flushing the outbox; ignoring the cancellation for 3s")
		time.Sleep(3 * time.Second)
	}
	s.log.Info(s.name + ": stopped")
	return ctx.Err()
}

// consumer is the old suture service that now runs under arbor. It panics
// on its first run.
type consumer struct {
	log  *slog.Logger
	runs int
}

func (c *consumer) String() string { return "consumer" }

func (c *consumer) Serve(ctx context.Context) error {
	c.runs++
	c.log.Info("consumer: serving (suture service under arbor)", "run", c.runs)
	if c.runs == 1 {
		var offsets []int64
		_ = offsets[3] // an index out of range on a message it did not expect
	}
	<-ctx.Done()
	c.log.Info("consumer: stopped")
	return ctx.Err() // after its own cancellation: a normal exit
}

// arborEngine is a new engine written for arbor.
func arborEngine(log *slog.Logger, name string) engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error {
		log.Info(name+": serving (arbor engine)", "path", engine.Path(ctx))
		<-ctx.Done()
		log.Info(name + ": stopped")
		return nil
	})
}
