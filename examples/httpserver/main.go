// Command httpserver runs an HTTP server beside a worker that crashes every
// few seconds, under one arbor supervisor.
//
//	go run ./examples/httpserver            # serves on 127.0.0.1:8080 until Ctrl-C
//	curl localhost:8080/                    # "hello"
//	curl localhost:8080/panic               # a 500: the handler panicked
//
// What to watch for:
//   - "http" starts first and is "ready" only once its listener is bound;
//     "worker" and then "client" start after it;
//   - "client" makes three requests once, at start: GET / (200), GET /panic
//     (500, with a "handler panicked" record and its stack) and GET / again
//     (200): a panic in a handler fails one request, not the server, so
//     arbor sees nothing and "http" is never restarted;
//   - "worker" fails about every second and is restarted after a backoff
//     that doubles each time (500ms, 1s, 2s, ...: the "delay" of each
//     "restarting child" record), because its runs are shorter than the
//     backoff's ResetAfter;
//   - at the end the tree stops in reverse order: worker, then http, which
//     shuts down gracefully.
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
	"runtime/debug"
	"time"

	"github.com/lmittmann/tint"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/engine/httpengine"
	"github.com/arborgo/arbor/supervisor"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	duration := flag.Duration("duration", 0, "stop after this long (0: run until Ctrl-C)")
	flag.Parse()
	log := newLogger()

	srv := httpengine.New(&http.Server{Addr: *addr, Handler: recoverPanics(log, routes()), ReadHeaderTimeout: 5 * time.Second})
	root := supervisor.New("root", supervisor.Config{
		Logger:    log,
		Intensity: 10, Period: 30 * time.Second,
		Backoff: supervisor.Backoff{Initial: 500 * time.Millisecond, Max: 8 * time.Second, Jitter: supervisor.Zero, ResetAfter: 10 * time.Second},
	},
		supervisor.Child{Name: "http", Engine: srv, Shutdown: 3 * time.Second},
		supervisor.Child{Name: "worker", Engine: crashingWorker(log, time.Second)},
		supervisor.Child{Name: "client", Engine: client(log, srv), Restart: supervisor.Temporary},
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

func newLogger() *slog.Logger {
	fi, err := os.Stderr.Stat()
	noColor := err != nil || fi.Mode()&os.ModeCharDevice == 0
	return slog.New(tint.NewHandler(os.Stderr, &tint.Options{TimeFormat: "15:04:05.000", NoColor: noColor}))
}

func routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "hello")
	})
	mux.HandleFunc("GET /panic", func(http.ResponseWriter, *http.Request) {
		var orders map[string]int
		orders["next"]++ // a nil-map write: the bug that panics in production
	})
	return mux
}

// recoverPanics turns a panic in a handler into a 500 and a log record. A
// handler panic is the failure of one request, not of the server: the
// engine goes on serving, and its supervisor never hears of it. (net/http
// would recover it too, but would hang up on the client and log to the
// standard logger.)
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("handler panicked", "method", r.Method, "url", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// crashingWorker does "work" for a while, then fails.
func crashingWorker(log *slog.Logger, every time.Duration) engine.Engine {
	n := 0
	return engine.FromFunc(func(ctx context.Context) error {
		n++
		log.Info("worker: working", "run", n)
		select {
		case <-time.After(every):
			return fmt.Errorf("worker: lost connection to the queue (run %d)", n)
		case <-ctx.Done():
			return nil
		}
	})
}

// client makes three requests to the server once, to show a panicking
// handler failing one request while the server goes on.
func client(log *slog.Logger, srv *httpengine.Engine) engine.Engine {
	return engine.FromFunc(func(ctx context.Context) error {
		c := &http.Client{Timeout: 2 * time.Second}
		for _, path := range []string{"/", "/panic", "/"} {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+srv.Addr().String()+path, nil)
			if err != nil {
				return err
			}
			resp, err := c.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			log.Info("client: response", "path", path, "status", resp.StatusCode)
		}
		return nil
	})
}
