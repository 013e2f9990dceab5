// Command health serves the liveness, readiness and Prometheus metrics of
// a library tree, and drains before it stops.
//
//	go run ./examples/health               # ops server on 127.0.0.1:9090 until Ctrl-C
//	curl -i localhost:9090/readyz          # 200 {"ready":true}, or 503 with what is not ready
//	curl localhost:9090/livez              # ok
//	curl -s localhost:9090/metrics | grep arbor_child_restarts_total
//
// What to watch for:
//   - "ops" starts first, so that it stops last and answers probes
//     throughout; once the ordered start has completed, "/readyz now
//     answers 200";
//   - "worker" fails every 1.5 s and backs off for a second: /readyz is
//     503 meanwhile, with the worker's path, state and time left, and
//     /metrics counts its restart;
//   - on Ctrl-C (or at -duration), "draining" and /readyz turns 503 at
//     once ("stopping"); the tree keeps serving for the 1 s drain, then
//     stops in reverse order: leaks, worker, app, ops.
//
// Pass -duration 4s to stop on its own, as the tests do, and -addr to
// listen elsewhere (-addr 127.0.0.1:0 picks a free port).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/engine/httpengine"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/health"
	"github.com/arborgo/arbor/supervisor/leakwatch"
	"github.com/arborgo/arbor/supervisor/metrics"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9090", "address of the ops server (/livez, /readyz, /metrics)")
	duration := flag.Duration("duration", 0, "stop after this long (0: run until Ctrl-C)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))

	// The ops server needs the root to exist, and the root lists the ops
	// server: a mux filled in once both are made.
	mux := http.NewServeMux()
	ops := httpengine.New(&http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second})
	root := supervisor.New("root", supervisor.Config{
		Logger:  log,
		Drain:   time.Second, // readiness fails this long before the first child stops
		Backoff: supervisor.Backoff{Initial: time.Second, Jitter: supervisor.Zero, ResetAfter: time.Minute},
	},
		supervisor.Child{Name: "ops", Engine: ops},
		supervisor.Child{Name: "app", Engine: app()},
		supervisor.Child{Name: "worker", Engine: flakyWorker(1500 * time.Millisecond)},
		supervisor.Child{Name: "leaks", Engine: leakwatch.New(leakwatch.Options{Every: 10 * time.Second, Logger: log})},
	)
	probes := health.New(root, health.Options{})
	mux.Handle("GET /livez", probes)
	mux.Handle("GET /readyz", probes)
	reg := prometheus.NewRegistry()
	reg.MustRegister(metrics.New(root, metrics.Options{}), collectors.NewGoCollector())
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	ctx := context.Background()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	done := make(chan struct{})
	go watchReadiness(log, ops, done)
	err := arbor.Run(ctx, root)
	close(done)
	if err != nil {
		log.Error("tree failed", "error", err)
		os.Exit(1)
	}
	log.Info("tree stopped cleanly")
}

// app stands for the program's real work.
func app() engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })
}

// flakyWorker fails every so often.
func flakyWorker(every time.Duration) engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error {
		select {
		case <-time.After(every):
			return fmt.Errorf("worker: lost the queue")
		case <-ctx.Done():
			return nil
		}
	})
}

// watchReadiness probes /readyz as Kubernetes would, every 100 ms, and
// logs each change of its answer, and once the restart counter of the
// worker from /metrics.
func watchReadiness(log *slog.Logger, ops *httpengine.Engine, done <-chan struct{}) {
	c := &http.Client{Timeout: time.Second}
	last, shown := 0, false
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		a := ops.Addr()
		if a == nil {
			continue
		}
		base := "http://" + a.String()
		code, body := get(c, base+"/readyz")
		if code != 0 && code != last {
			log.Info(fmt.Sprintf("/readyz now answers %d", code), "body", strings.TrimSpace(body))
			last = code
		}
		if !shown && strings.Contains(body, "backing_off") {
			_, m := get(c, base+"/metrics")
			for line := range strings.SplitSeq(m, "\n") {
				if strings.HasPrefix(line, `arbor_child_restarts_total{path="root/worker"}`) {
					log.Info("metrics", "series", line)
					shown = true
				}
			}
		}
	}
}

func get(c *http.Client, url string) (int, string) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b)
}
