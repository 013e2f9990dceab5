package httpengine_test

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/engine/httpengine"
)

// run is one Run of an engine on a goroutine of its own.
type run struct {
	e    *httpengine.Engine
	done chan error
	base string // "http://host:port" of the bound listener
}

// start runs e and returns once it reported ready, failing the test if Run
// returns first.
func start(t *testing.T, ctx context.Context, e *httpengine.Engine) *run {
	t.Helper()
	ready := make(readyChan)
	r := &run{e: e, done: make(chan error, 1)}
	go func() { r.done <- e.Run(engine.WithReady(ctx, ready.SignalReady)) }()
	select {
	case <-ready:
	case err := <-r.done:
		t.Fatalf("Run returned %v before it was ready", err)
	}
	r.base = "http://" + e.Addr().String()
	return r
}

// stop stops the run and checks that both Stop and Run return nil.
func (r *run) stop(t *testing.T) {
	t.Helper()
	if err := r.e.Stop(context.Background()); err != nil {
		t.Errorf("Stop: got %v; want %v", err, nil)
	}
	if err := <-r.done; err != nil {
		t.Errorf("Run: got %v; want %v", err, nil)
	}
}

// newClient returns a client with a transport of its own, whose idle
// connections are closed at the end of the test so goleak sees no leftover.
func newClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func get(t *testing.T, c *http.Client, url string) (int, string, error) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

func wantGet(t *testing.T, c *http.Client, url, want string) {
	t.Helper()
	code, body, err := get(t, c, url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if code != http.StatusOK || body != want {
		t.Fatalf("GET %s = %d %q; want %d %q", url, code, body, http.StatusOK, want)
	}
}

func hello(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "hello") }

func newServer() *http.Server {
	return &http.Server{Addr: "127.0.0.1:0", Handler: http.HandlerFunc(hello)}
}

func TestServes(t *testing.T) {
	e := httpengine.New(newServer())
	if got, want := e.ReportsReady(), true; got != want {
		t.Errorf("ReportsReady = %v; want %v", got, want)
	}
	r := start(t, context.Background(), e)
	wantGet(t, newClient(t), r.base+"/", "hello")
	r.stop(t)
}

// dialSignaler dials the engine's address from inside SignalReady, when a
// supervisor would start the next sibling.
type dialSignaler struct {
	e       *httpengine.Engine
	dialErr chan error
}

func (d dialSignaler) SignalReady() {
	addr := d.e.Addr()
	if addr == nil {
		d.dialErr <- errors.New("Addr() is nil at Ready")
		return
	}
	c, err := net.Dial("tcp", addr.String())
	if err == nil {
		c.Close()
	}
	d.dialErr <- err
}

func TestReadyOnlyOnceBound(t *testing.T) {
	e := httpengine.New(newServer())
	sig := dialSignaler{e: e, dialErr: make(chan error, 1)}
	done := make(chan error, 1)
	go func() { done <- e.Run(engine.WithReady(context.Background(), sig.SignalReady)) }()
	if err := <-sig.dialErr; err != nil {
		t.Errorf("dial at Ready: got %v; want %v", err, nil)
	}
	if err := e.Stop(context.Background()); err != nil {
		t.Errorf("Stop: got %v; want %v", err, nil)
	}
	if err := <-done; err != nil {
		t.Errorf("Run: got %v; want %v", err, nil)
	}
}

func TestRunErrors(t *testing.T) {
	errListen := errors.New("no listener for you")
	tests := []struct {
		name string
		e    *httpengine.Engine
		want error // nil: any non-nil error
	}{
		{name: "bad address", e: httpengine.New(&http.Server{Addr: "127.0.0.1:notaport"})},
		{name: "bad host", e: httpengine.New(&http.Server{Addr: "256.256.256.256:0"})},
		{
			name: "listen func fails",
			e: httpengine.NewWithListenFunc(&http.Server{}, func(context.Context) (net.Listener, error) {
				return nil, errListen
			}),
			want: errListen,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ready := make(readyChan)
			err := tt.e.Run(engine.WithReady(context.Background(), ready.SignalReady))
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("Run: got %v; want %v", err, cmp.Or(tt.want, error(errors.New("an error"))))
			}
			select {
			case <-ready:
				t.Errorf("ready signalled by a Run that could not listen")
			default:
			}
			if err := tt.e.Stop(context.Background()); err != nil {
				t.Errorf("Stop after failed Run: got %v; want %v", err, nil)
			}
		})
	}
}

// blocker is a handler that holds its requests until released.
type blocker struct {
	entered chan struct{} // one value per request that entered
	release chan struct{}
}

func newBlocker() *blocker {
	return &blocker{entered: make(chan struct{}, 8), release: make(chan struct{})}
}

func (b *blocker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/block" {
		hello(w, r)
		return
	}
	b.entered <- struct{}{}
	select {
	case <-b.release:
		io.WriteString(w, "drained")
	case <-r.Context().Done():
	}
}

func TestStopDrainsInFlightRequest(t *testing.T) {
	b := newBlocker()
	closed := make(chan struct{}, 8)
	srv := &http.Server{
		Addr:    "127.0.0.1:0",
		Handler: b,
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateClosed {
				closed <- struct{}{}
			}
		},
	}
	e := httpengine.New(srv)
	r := start(t, context.Background(), e)

	// An idle keep-alive connection: Shutdown closes it at once, which
	// tells the test that the shutdown has begun.
	idle := newClient(t)
	wantGet(t, idle, r.base+"/", "hello")

	type result struct {
		code int
		body string
		err  error
	}
	inFlight := make(chan result, 1)
	go func() {
		code, body, err := get(t, newClient(t), r.base+"/block")
		inFlight <- result{code, body, err}
	}()
	<-b.entered

	stopped := make(chan error, 1)
	go func() { stopped <- e.Stop(context.Background()) }()
	<-closed // the idle connection: Shutdown is under way
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned %v with a request in flight; want it to wait", err)
	default:
	}
	close(b.release)

	if got := <-inFlight; got.err != nil || got.code != http.StatusOK || got.body != "drained" {
		t.Errorf("in-flight request = %d %q %v; want %d %q %v", got.code, got.body, got.err, http.StatusOK, "drained", nil)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Stop: got %v; want %v", err, nil)
	}
	if err := <-r.done; err != nil {
		t.Errorf("Run: got %v; want %v", err, nil)
	}
	// The listener is gone: new connections are refused.
	if c, err := net.Dial("tcp", e.Addr().String()); err == nil {
		c.Close()
		t.Errorf("dial after Stop: got %v; want an error", err)
	}
}

func TestStopExpiredContextCloses(t *testing.T) {
	b := newBlocker()
	defer close(b.release)
	e := httpengine.New(&http.Server{Addr: "127.0.0.1:0", Handler: b})
	r := start(t, context.Background(), e)

	inFlight := make(chan error, 1)
	go func() {
		_, _, err := get(t, newClient(t), r.base+"/block")
		inFlight <- err
	}()
	<-b.entered

	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	if err := e.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Stop: got %v; want %v", err, context.DeadlineExceeded)
	}
	if err := <-inFlight; err == nil {
		t.Errorf("in-flight request: got %v; want a closed connection", err)
	}
	if err := <-r.done; err != nil {
		t.Errorf("Run: got %v; want %v", err, nil)
	}
	// Later calls get the first result.
	if err := e.Stop(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second Stop: got %v; want %v", err, context.DeadlineExceeded)
	}
}

func TestRunContextCancelledShutsDownGracefully(t *testing.T) {
	b := newBlocker()
	e := httpengine.New(&http.Server{Addr: "127.0.0.1:0", Handler: b})
	ctx, cancel := context.WithCancel(context.Background())
	r := start(t, ctx, e)

	inFlight := make(chan string, 1)
	go func() {
		_, body, _ := get(t, newClient(t), r.base+"/block")
		inFlight <- body
	}()
	<-b.entered
	cancel()
	close(b.release)
	if got, want := <-inFlight, "drained"; got != want {
		t.Errorf("in-flight request body = %q; want %q", got, want)
	}
	if err := <-r.done; err != nil {
		t.Errorf("Run: got %v; want %v", err, nil)
	}
	if err := e.Stop(context.Background()); err != nil {
		t.Errorf("Stop after Run: got %v; want %v", err, nil)
	}
}

func TestRunWithCancelledContext(t *testing.T) {
	tests := []struct {
		name string
		addr string
	}{
		{name: "listens", addr: "127.0.0.1:0"},
		{name: "cancelled in name lookup", addr: "localhost:0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			e := httpengine.New(&http.Server{Addr: tt.addr, Handler: http.HandlerFunc(hello)})
			if err := e.Run(ctx); err != nil {
				t.Errorf("Run: got %v; want %v", err, nil)
			}
			if err := e.Stop(context.Background()); err != nil {
				t.Errorf("Stop: got %v; want %v", err, nil)
			}
		})
	}
}

func TestStopAnytime(t *testing.T) {
	e := httpengine.New(newServer())
	for i := range 2 {
		if err := e.Stop(context.Background()); err != nil {
			t.Errorf("Stop %d before Run: got %v; want %v", i+1, err, nil)
		}
	}
	if got := e.Addr(); got != nil {
		t.Errorf("Addr before Run = %v; want %v", got, nil)
	}

	// A Stop before Run does not spoil the Run.
	r := start(t, context.Background(), e)
	c := newClient(t)
	wantGet(t, c, r.base+"/", "hello")

	const stoppers = 20
	var wg sync.WaitGroup
	errs := make(chan error, stoppers)
	for range stoppers {
		wg.Go(func() { errs <- e.Stop(context.Background()) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Stop: got %v; want %v", err, nil)
		}
	}
	if err := <-r.done; err != nil {
		t.Errorf("Run: got %v; want %v", err, nil)
	}
	if err := e.Stop(context.Background()); err != nil {
		t.Errorf("Stop after Run returned: got %v; want %v", err, nil)
	}
}

func TestRestart(t *testing.T) {
	tests := []struct {
		name     string
		new      func(t *testing.T) *httpengine.Engine
		samePort bool
	}{
		{
			name: "New",
			new:  func(*testing.T) *httpengine.Engine { return httpengine.New(newServer()) },
		},
		{
			name: "NewWithListenFunc on one address",
			new: func(t *testing.T) *httpengine.Engine {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				addr := ln.Addr().String()
				ln.Close()
				return httpengine.NewWithListenFunc(&http.Server{Handler: http.HandlerFunc(hello)},
					func(ctx context.Context) (net.Listener, error) {
						var lc net.ListenConfig
						return lc.Listen(ctx, "tcp", addr)
					})
			},
			samePort: true,
		},
		{
			name: "NewWithListenFunc",
			new: func(*testing.T) *httpengine.Engine {
				return httpengine.NewWithListenFunc(&http.Server{Handler: http.HandlerFunc(hello)},
					func(ctx context.Context) (net.Listener, error) {
						var lc net.ListenConfig
						return lc.Listen(ctx, "tcp", "127.0.0.1:0")
					})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.new(t)
			c := newClient(t)
			var first string
			for i := range 3 {
				r := start(t, context.Background(), e)
				wantGet(t, c, r.base+"/", "hello")
				r.stop(t)
				// The client may hold a connection to the closed server.
				c.CloseIdleConnections()
				if i == 0 {
					first = r.base
				} else if got, want := r.base == first, tt.samePort; got != want {
					t.Errorf("run %d on the first run's address (%s, then %s) = %v; want %v", i+1, first, r.base, got, want)
				}
			}
		})
	}
}

// syncBuffer is a log destination that the server's goroutines and the test
// can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestHandlerPanicFailsOnlyTheRequest(t *testing.T) {
	var logs syncBuffer
	mux := http.NewServeMux()
	mux.HandleFunc("/", hello)
	mux.HandleFunc("/panic", func(http.ResponseWriter, *http.Request) { panic("handler exploded") })
	e := httpengine.New(&http.Server{Addr: "127.0.0.1:0", Handler: mux, ErrorLog: log.New(&logs, "", 0)})
	r := start(t, context.Background(), e)
	c := newClient(t)

	if _, _, err := get(t, c, r.base+"/panic"); err == nil {
		t.Errorf("GET /panic: got %v; want an error (connection closed)", err)
	}
	// The engine goes on serving.
	wantGet(t, c, r.base+"/", "hello")
	select {
	case err := <-r.done:
		t.Fatalf("Run returned %v after a handler panic; want it to keep serving", err)
	default:
	}
	r.stop(t)
	if got, want := logs.String(), "handler exploded"; !strings.Contains(got, want) {
		t.Errorf("ErrorLog = %q; want it to contain %q", got, want)
	}
}
