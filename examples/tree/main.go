// Command tree runs a small nested supervision tree in which one engine
// panics now and then.
//
//	go run ./examples/tree
//
// What to watch for:
//   - the children start in order, each "ready" before the next "started";
//   - every few seconds root/jobs/worker panics: the panic is logged with
//     its stack, its Stop is called ("worker: stop"), and it is restarted
//     after a backoff that doubles (100ms, 200ms, ...) and resets once the
//     worker has run for 3 s;
//   - on Ctrl-C the tree stops in reverse order, depth first: api, then
//     worker and queue inside jobs, then config.
//
// Pass -duration 5s to stop on its own after a while, as the tests do.
package main

import (
	"context"
	"flag"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"github.com/lmittmann/tint"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

func main() {
	duration := flag.Duration("duration", 0, "stop after this long (0: run until Ctrl-C)")
	flag.Parse()
	// Colour only on a terminal: piped or redirected output stays plain.
	fi, err := os.Stderr.Stat()
	noColor := err != nil || fi.Mode()&os.ModeCharDevice == 0
	log := slog.New(tint.NewHandler(os.Stderr, &tint.Options{TimeFormat: "15:04:05.000", NoColor: noColor}))

	cfg := supervisor.Config{
		Logger:    log,
		Intensity: 10, Period: 10 * time.Second,
		Backoff: supervisor.Backoff{Initial: 100 * time.Millisecond, Max: 2 * time.Second, ResetAfter: 3 * time.Second},
	}
	jobs := supervisor.New("jobs", cfg,
		supervisor.Child{Name: "queue", Engine: ticker(log, "queue", time.Second)},
		supervisor.Child{Name: "worker", Engine: newFlakyWorker(log)},
	)
	root := supervisor.New("root", cfg,
		supervisor.Child{Name: "config", Engine: ticker(log, "config", 2*time.Second)},
		supervisor.Child{Name: "jobs", Engine: jobs},
		supervisor.Child{Name: "api", Engine: ticker(log, "api", 1500*time.Millisecond)},
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

// ticker is an engine that logs a tick every period until it is stopped.
func ticker(log *slog.Logger, name string, period time.Duration) engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				log.Info(name+": stopping", "path", engine.Path(ctx))
				return nil
			case <-t.C:
				log.Debug(name+": tick", "path", engine.Path(ctx))
			}
		}
	})
}

// flakyWorker panics after a random 1–4 s of work. Its Stop is called
// after every exit, panics included, before it is restarted, and may run
// while Run does: the engine it wraps is made once, up front, rather than
// by each Run, so that Stop never reads what a Run is writing.
type flakyWorker struct {
	log *slog.Logger
	f   engine.Engine
}

func newFlakyWorker(log *slog.Logger) *flakyWorker {
	return &flakyWorker{log: log, f: engine.FromFunc(func(ctx context.Context) error {
		select {
		case <-time.After(time.Second + rand.N(3*time.Second)):
			var jobs map[string]int
			jobs["next"]++ // a nil-map write: the kind of bug that panics in production
			return nil
		case <-ctx.Done():
			return nil
		}
	})}
}

func (w *flakyWorker) Run(ctx context.Context) error { return w.f.Run(ctx) }

func (w *flakyWorker) Stop(ctx context.Context) error {
	w.log.Info("worker: stop", "path", engine.Path(ctx))
	return w.f.Stop(ctx)
}
