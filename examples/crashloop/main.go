// Command crashloop runs a child that fails as soon as it starts, to show
// what arbor does with a crash loop: it backs off, then gives up.
//
//	go run ./examples/crashloop
//
// What to watch for:
//   - each failure is followed by a "restarting child" record whose delay
//     doubles: 100ms, 200ms, 400ms, 800ms, 1.6s (jitter is off here, so
//     the numbers are exact), and the "child started" records are spaced
//     by those delays, not spun in a hot loop;
//   - "steady", the sibling started before it, keeps running meanwhile;
//   - the sixth failure would exceed the intensity (5 restarts in 10 s), so
//     the supervisor logs "restart intensity exceeded; giving up", stops
//     "steady", and arbor.Main prints the *supervisor.GaveUpError and exits
//     with status 1, after about 3 s.
//
// This is what a parent supervisor sees as the failure of a child, and
// what a service manager (systemd, Kubernetes) sees as a failed process.
// -intensity changes how many restarts are allowed.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"time"

	"github.com/lmittmann/tint"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

func main() {
	intensity := flag.Int("intensity", 5, "restarts allowed within 10s before giving up")
	flag.Parse()
	fi, err := os.Stderr.Stat()
	noColor := err != nil || fi.Mode()&os.ModeCharDevice == 0
	log := slog.New(tint.NewHandler(os.Stderr, &tint.Options{TimeFormat: "15:04:05.000", NoColor: noColor}))

	attempt := 0
	broken := engine.FromFunc(func(context.Context) error {
		attempt++
		return errors.New("config: DATABASE_URL is not set")
	})
	steady := engine.FromFunc(func(ctx context.Context) error {
		<-ctx.Done()
		log.Info("steady: stopping")
		return nil
	})
	root := supervisor.New("root", supervisor.Config{
		Logger:    log,
		Intensity: *intensity, Period: 10 * time.Second,
		Backoff: supervisor.Backoff{Initial: 100 * time.Millisecond, Max: 5 * time.Second, Multiplier: 2, Jitter: supervisor.Zero},
	},
		supervisor.Child{Name: "steady", Engine: steady},
		supervisor.Child{Name: "broken", Engine: broken},
	)
	arbor.Main(root) // exits 1 once root gives up
}
