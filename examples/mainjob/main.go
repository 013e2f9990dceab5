// Command mainjob runs a batch job beside the services it needs, and ends
// the whole tree when the job is done: the job is a significant child of
// a supervisor with AutoShutdown: AnySignificant.
//
//	go run ./examples/mainjob
//
// What to watch for:
//   - "db", "cache" and "metrics" start in order, each once the previous
//     one said "up" (they report readiness with engine.Ready), then "job";
//   - the job's first attempt fails: it is a transient child, so an error
//     is restarted (after 100ms) like any failure, and does not end the
//     tree;
//   - the second attempt processes its items and returns nil: a transient
//     child that exits normally is not restarted, and because it is
//     significant the supervisor shuts down ("shutting down", with the
//     job as the cause), stopping the other children in reverse start
//     order: metrics, cache, db;
//   - the root's Run returns nil, so arbor.Main exits with status 0, after
//     about 2 s.
//
// -items sets how many items the job processes (100ms each); -fail-first=false
// skips the failed first attempt.
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
	items := flag.Int("items", 15, "items the job processes, 100ms each")
	failFirst := flag.Bool("fail-first", true, "make the job's first attempt fail")
	flag.Parse()
	fi, err := os.Stderr.Stat()
	noColor := err != nil || fi.Mode()&os.ModeCharDevice == 0
	log := slog.New(tint.NewHandler(os.Stderr, &tint.Options{TimeFormat: "15:04:05.000", NoColor: noColor}))

	root := supervisor.New("root", supervisor.Config{
		Logger:       log,
		AutoShutdown: supervisor.AnySignificant,
		Backoff:      supervisor.Backoff{Initial: 100 * time.Millisecond, Jitter: supervisor.Zero},
	},
		supervisor.Child{Name: "db", Engine: service(log, "db")},
		supervisor.Child{Name: "cache", Engine: service(log, "cache")},
		supervisor.Child{Name: "metrics", Engine: service(log, "metrics")},
		supervisor.Child{Name: "job", Engine: job(log, *items, *failFirst), Restart: supervisor.Transient, Significant: true},
	)
	arbor.Main(root) // exits 0 once the job is done and the rest stopped
}

// service stands for a dependency of the job: it runs until stopped. The
// job and the later services depend on it, so it reports readiness: it
// calls engine.Ready once it is up, and the supervisor starts the next
// sibling only then. An engine that does not report readiness counts as
// ready as soon as its Run is called, so the next sibling could start (and
// log) before "db: up" is even printed.
func service(log *slog.Logger, name string) engine.Engine {
	return readyFunc{engine.FromFunc(func(ctx context.Context) error {
		log.Info(name + ": up")
		engine.Ready(ctx)
		<-ctx.Done()
		log.Info(name + ": closed")
		return nil
	})}
}

// readyFunc is an engine.FromFunc whose run function calls engine.Ready: it
// implements engine.Readier, promising that call.
type readyFunc struct{ engine.Engine }

// ReportsReady reports true: the run function calls engine.Ready.
func (readyFunc) ReportsReady() bool { return true }

// job processes items and returns nil when it is done.
func job(log *slog.Logger, items int, failFirst bool) engine.Engine {
	attempt := 0
	return engine.FromFunc(func(ctx context.Context) error {
		attempt++
		log.Info("job: starting", "attempt", attempt, "items", items)
		for i := 1; i <= items; i++ {
			select {
			case <-time.After(100 * time.Millisecond):
			case <-ctx.Done():
				return ctx.Err()
			}
			if failFirst && attempt == 1 && i == 3 {
				return errors.New("job: upstream returned 503")
			}
			if i%5 == 0 || i == items {
				log.Info("job: progress", "done", i, "of", items)
			}
		}
		log.Info("job: finished")
		return nil
	})
}
