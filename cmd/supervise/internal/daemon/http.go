package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/arborgo/arbor/cmd/supervise/internal/control"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/health"
	"github.com/arborgo/arbor/supervisor/metrics"
)

// The HTTP server's limits, as the status socket's: nothing a client does
// may cost the tree anything, or supervise more than this.
const (
	httpHeaderTimeout = 5 * time.Second
	httpWriteTimeout  = 30 * time.Second // a /metrics of a large tree takes a while to write
	httpIdleTimeout   = time.Minute
	httpMaxHeader     = 16 << 10
	httpMaxInFlight   = 16 // requests served at once; more get 503
)

// httpHandler serves the read-only endpoints: GET /livez, /readyz,
// /metrics (the tree's series and Go's process collector) and /status
// (the JSON of status --json).
func httpHandler(root *supervisor.Supervisor, status func(context.Context) control.Status, log *slog.Logger) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(metrics.New(root, metrics.Options{}), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	probes := health.New(root, health.Options{})
	mux := http.NewServeMux()
	mux.Handle("GET /livez", probes)
	mux.Handle("GET /readyz", probes)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: slogPrinter{log}, ErrorHandling: promhttp.ContinueOnError}))
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 10*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(status(ctx))
	})
	return limitInFlight(mux, httpMaxInFlight)
}

// limitInFlight answers 503 to a request that finds n others under way.
func limitInFlight(h http.Handler, n int) http.Handler {
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			h.ServeHTTP(w, req)
		default:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	})
}

// slogPrinter passes promhttp's errors to the log.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) {
	p.log.Warn("metrics: scrape error", "event", "http_metrics_error", "error", fmt.Sprint(v...))
}

// httpServer is the running HTTP server.
type httpServer struct {
	srv  *http.Server
	done chan struct{}
}

// listenHTTP listens on addr before anything starts, so that a taken
// address fails the run with nothing started.
func listenHTTP(addr string) (net.Listener, error) {
	return net.Listen("tcp", addr)
}

// serveHTTP serves h on l until close.
func serveHTTP(l net.Listener, h http.Handler, log *slog.Logger) *httpServer {
	s := &httpServer{srv: &http.Server{Handler: h, ReadHeaderTimeout: httpHeaderTimeout, ReadTimeout: httpHeaderTimeout,
		WriteTimeout: httpWriteTimeout, IdleTimeout: httpIdleTimeout, MaxHeaderBytes: httpMaxHeader,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("HTTP server failed; the tree runs on without it", "event", "http_failed", "error", err.Error())
		}
	}()
	return s
}

// close stops the server: it is read-only, so requests under way are cut.
func (s *httpServer) close() {
	if s == nil {
		return
	}
	_ = s.srv.Close()
	<-s.done
}
