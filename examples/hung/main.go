// Command hung runs two children that stay up but stop working, to show
// how arbor finds them and restarts them as if they had crashed.
//
//	go run ./examples/hung -duration 4s
//
// What to watch for:
//   - "consumer" calls engine.Alive for every item it handles; in its first
//     run it gets stuck on its fourth item (a lock that is never released),
//     and about 500ms later (its Liveness.Watchdog) the supervisor logs
//     "child unhealthy" with check=watchdog, stops it, and logs "restarting
//     child" with exit=unhealthy; its second run handles items again;
//   - "cache" answers its probe until, in its first run, its refresh loop
//     dies; three probes later (Every 200ms, Failures 3) it is unhealthy
//     with check=cache-probe, and restarted in the same way;
//   - both restarts count against the intensity and back off exactly as
//     crashes do; -duration ends the run, and the tree stops cleanly.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/lmittmann/tint"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

func main() {
	duration := flag.Duration("duration", 0, "stop after this long (0: run until Ctrl-C)")
	flag.Parse()
	fi, err := os.Stderr.Stat()
	noColor := err != nil || fi.Mode()&os.ModeCharDevice == 0
	log := slog.New(tint.NewHandler(os.Stderr, &tint.Options{TimeFormat: "15:04:05.000", NoColor: noColor}))

	c := newCache(log)
	root := supervisor.New("root", supervisor.Config{
		Logger:  log,
		Backoff: supervisor.Backoff{Initial: 100 * time.Millisecond, Jitter: supervisor.Zero},
	},
		supervisor.Child{Name: "consumer", Engine: consumer(log),
			Liveness: supervisor.Liveness{Watchdog: 500 * time.Millisecond}},
		supervisor.Child{Name: "cache", Engine: c.engine(),
			Liveness: supervisor.Liveness{Probe: c.probe, Name: "cache-probe", Every: 200 * time.Millisecond, Timeout: 100 * time.Millisecond}},
	)
	ctx := context.Background()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	if err := arbor.Run(ctx, root); err != nil {
		log.Error("tree failed", "error", err)
		os.Exit(1)
	}
	log.Info("tree stopped cleanly")
}

// consumer handles an item every 100ms and says so with engine.Alive. In
// its first run the fourth item blocks on a lock nobody releases: the run
// is alive (it still heeds its context) but does nothing.
func consumer(log *slog.Logger) engine.Engine {
	var runs atomic.Int32
	return engine.FromFunc(func(ctx context.Context) error {
		run := runs.Add(1)
		for item := 1; ; item++ {
			if run == 1 && item == 4 {
				log.Info("consumer: stuck on a lock", "run", run, "item", item)
				<-ctx.Done() // the lock is never released
				return nil
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(100 * time.Millisecond):
			}
			engine.Alive(ctx)
			if item%5 == 0 {
				log.Info("consumer: handled items", "run", run, "items", item)
			}
		}
	})
}

// cache refreshes itself every 50ms; its probe fails when the last refresh
// is older than 150ms. In its first run the refresh loop dies after 600ms.
type cache struct {
	log       *slog.Logger
	runs      atomic.Int32
	refreshed atomic.Int64 // UnixNano of the last refresh
}

func newCache(log *slog.Logger) *cache { return &cache{log: log} }

func (c *cache) engine() engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error {
		run := c.runs.Add(1)
		start := time.Now()
		for {
			if run == 1 && time.Since(start) > 600*time.Millisecond {
				c.log.Info("cache: refresh loop died", "run", run)
				<-ctx.Done()
				return nil
			}
			c.refreshed.Store(time.Now().UnixNano())
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

func (c *cache) probe(context.Context) error {
	if age := time.Since(time.Unix(0, c.refreshed.Load())); age > 150*time.Millisecond {
		return errors.New("cache: stale by " + age.Round(time.Millisecond).String())
	}
	return nil
}
