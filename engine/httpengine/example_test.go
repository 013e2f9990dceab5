package httpengine_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/engine/httpengine"
)

// readyChan stands in for a supervisor: it records the engine's readiness
// by closing itself.
type readyChan chan struct{}

func (r readyChan) SignalReady() { close(r) }

func ExampleNew() {
	srv := &http.Server{
		Addr: "127.0.0.1:0", // any free port; Addr tells which
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, "hello")
		}),
	}
	e := httpengine.New(srv)

	// A supervisor does this part: run, wait for ready, stop.
	ready := make(readyChan)
	done := make(chan error, 1)
	go func() { done <- e.Run(engine.WithReady(context.Background(), ready.SignalReady)) }()
	<-ready

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + e.Addr().String() + "/")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))

	fmt.Println("stop:", e.Stop(context.Background()))
	fmt.Println("run:", <-done)
	// Output:
	// hello
	// stop: <nil>
	// run: <nil>
}

// strictEngine makes a handler panic end its run: the panic is recorded,
// the inner engine's ctx is cancelled so that the server shuts down
// gracefully, and Run returns the panic for the supervisor to restart by
// policy. Stop, ReportsReady and Addr are the inner engine's.
type strictEngine struct {
	*httpengine.Engine

	mu     sync.Mutex
	cancel context.CancelCauseFunc // the current run's
}

func newStrictEngine(srv *http.Server) *strictEngine {
	s := &strictEngine{}
	next := srv.Handler
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v) // net/http's own way to abort a response
			}
			s.fail(engine.NewPanicError(v, 0))
			http.Error(w, "internal error", http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
	s.Engine = httpengine.New(srv)
	return s
}

// fail ends the current run with err. It runs on the handler's goroutine
// and only cancels: the run's own goroutine does the shutdown.
func (s *strictEngine) fail(err error) {
	s.mu.Lock()
	cancel := s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel(err)
	}
}

func (s *strictEngine) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()

	err := s.Engine.Run(ctx) // returns nil once shut down after the cancel
	if pe, ok := errors.AsType[*engine.PanicError](context.Cause(ctx)); ok {
		return pe
	}
	return err
}

// Handler panics are, by default, failed requests. This wrapper turns them
// into a failed run instead.
func Example_fatalHandlerPanics() {
	mux := http.NewServeMux()
	mux.HandleFunc("/boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	e := newStrictEngine(&http.Server{Addr: "127.0.0.1:0", Handler: mux})

	ready := make(readyChan)
	done := make(chan error, 1)
	go func() { done <- e.Run(engine.WithReady(context.Background(), ready.SignalReady)) }()
	<-ready

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + e.Addr().String() + "/boom")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println("status:", resp.StatusCode)

	err = <-done
	if pe, ok := errors.AsType[*engine.PanicError](err); ok {
		fmt.Println("run failed with a panic:", pe.Value)
	}
	fmt.Println("stop:", e.Stop(context.Background()))
	// Output:
	// status: 500
	// run failed with a panic: boom
	// stop: <nil>
}
