// Package httpengine runs a [net/http.Server] as a supervised
// [engine.Engine].
//
// [New] takes the server to run; [NewWithListenFunc] also says where it
// listens. The engine reports readiness (it is an
// [engine.Readier]): its Run calls [engine.Ready] once the listener is
// bound, so the supervisor starts the next sibling only when the port
// accepts connections.
//
// # Restarts
//
// A [net/http.Server] may not be reused after Shutdown or Close, so the
// server given to New is a template that is never served itself: every Run
// serves a fresh server that copies its exported configuration (see [New]
// for the list). Changes to the template after New show up at the next Run.
// Methods that register state inside the template, such as
// [net/http.Server.RegisterOnShutdown] or
// [net/http.Server.SetKeepAlivesEnabled], are not carried over.
//
// # Stopping
//
// Stop shuts the running server down gracefully with
// [net/http.Server.Shutdown]: the listener closes at once and in-flight
// requests finish. When Stop's ctx ends first, the remaining connections are
// closed with [net/http.Server.Close] and Stop returns the ctx's error.
// When Run's own ctx is cancelled without a Stop, Run does the same with a
// built-in grace of 5 seconds, then returns nil. Neither waits for
// hijacked connections (WebSockets and the like): track and close those
// yourself, for example from a ConnState hook.
//
// # Handler panics
//
// A panic in a handler stays what net/http makes of it: the server recovers
// it, logs it with its ErrorLog and closes that request's connection (or
// resets its HTTP/2 stream). The request fails; the engine does not exit and
// is not restarted. That is almost
// always right for a server.
//
// To make handler panics fatal to the engine's run instead, so that the
// supervisor restarts the server by policy, wrap the handler in a
// middleware that recovers the panic, records it (as an
// [engine.PanicError], say), and calls the cancel func of a context that
// an engine wrapping this one gave to this one's Run; the wrapper's Run then
// returns the recorded panic once the server has shut down gracefully. The
// package example "FatalHandlerPanics" is such a wrapper. Do not re-panic on
// another goroutine instead: nothing recovers a panic there, and the whole
// program dies without its supervisors having a say.
package httpengine

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/arborgo/arbor/engine"
)

// shutdownGrace bounds the graceful shutdown that Run does on its own when
// its ctx is cancelled without a Stop, or when Serve fails: long enough for
// ordinary requests to finish, short enough not to hold up a supervisor
// whose own shutdown timeout is only a few seconds longer.
const shutdownGrace = 5 * time.Second

// Engine is an [engine.Engine] that serves HTTP. Build one with [New],
// [NewWithListenFunc]; the zero value is not usable.
type Engine struct {
	template *http.Server
	listen   func(ctx context.Context) (net.Listener, error)

	mu   sync.Mutex
	stop func(ctx context.Context) error // the current run's; nil before the first
	addr net.Addr
}

// New returns an engine that serves srv's configuration on srv.Addr (":http"
// when empty), listening anew over TCP at every Run.
//
// srv itself is never served: each Run builds a fresh [net/http.Server] that
// copies these fields of srv, as they are when Run starts: Addr, Handler,
// DisableGeneralOptionsHandler, TLSConfig (cloned, as net/http may add
// protocols to it), ReadTimeout, ReadHeaderTimeout, WriteTimeout,
// IdleTimeout, MaxHeaderBytes, TLSNextProto, ConnState, ErrorLog,
// BaseContext, ConnContext, HTTP2 and Protocols (both copied by value).
//
// Run calls [net/http.Server.Serve], never ServeTLS, so TLSConfig alone does
// not make it speak TLS: to serve HTTPS, give a listener from
// [crypto/tls.NewListener] through [NewWithListenFunc].
func New(srv *http.Server) *Engine {
	return &Engine{template: srv, listen: listenOn(srv)}
}

// NewWithListenFunc returns an engine that serves srv's configuration (see
// [New]) on a listener made by listen, called once at the start of every
// Run with Run's ctx. Run owns the listener and closes it when it returns;
// an error from listen is Run's error. srv.Addr is ignored.
//
// Every Run needs a listener of its own, since a closed one cannot serve
// again: listen makes one (a TLS listener from [crypto/tls.NewListener], a
// Unix socket), or hands over one bound earlier, such as a socket that
// systemd passed, on the first call and binds again on later ones.
func NewWithListenFunc(srv *http.Server, listen func(ctx context.Context) (net.Listener, error)) *Engine {
	return &Engine{template: srv, listen: listen}
}

func listenOn(srv *http.Server) func(ctx context.Context) (net.Listener, error) {
	return func(ctx context.Context) (net.Listener, error) {
		addr := srv.Addr
		if addr == "" {
			addr = ":http"
		}
		var lc net.ListenConfig
		return lc.Listen(ctx, "tcp", addr)
	}
}

// ReportsReady returns true: Run calls [engine.Ready] once its listener is
// bound.
func (e *Engine) ReportsReady() bool { return true }

// Addr returns the address that the latest Run listened on, which tells the
// port chosen for an address like "127.0.0.1:0"; nil before the first Run
// bound its listener. It may be called from any goroutine, at any time.
// A Run sets it before it reports ready, so from the moment the run is
// ready (its supervisor's EventReady, or the return of the AddChild that
// started it) Addr is that run's address. After a Run returned, and until
// the next Run has bound its listener, it still returns the last run's
// address, whose listener is closed by then; a Run whose listen failed
// leaves it unchanged.
func (e *Engine) Addr() net.Addr {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.addr
}

// Run listens, reports ready, and serves until Stop is called or ctx is
// cancelled, both of which are a clean finish and return nil (so does a ctx
// cancelled while Run is still listening). It returns the error of a listen
// that fails, or of a Serve that fails for another reason
// than a shutdown; in that case it first shuts the server down (bounded by a
// built-in grace) so that no connection outlives it. A panic in Run's own
// code (from BaseContext, say) reaches the caller; panics in handlers do not
// (see the package documentation).
func (e *Engine) Run(ctx context.Context) error {
	ln, err := e.listen(ctx)
	if err != nil {
		if ctx.Err() != nil {
			// Cancelled while listening (a name lookup, say): a stop
			// before the start, not a failure to restart for.
			return nil
		}
		return err
	}
	// Serve closes ln too; this covers a panic before Serve (from the
	// function of engine.WithReady, say), and a second Close is harmless.
	defer ln.Close()
	srv := e.newServer()
	stop := engine.StopOnce(func(ctx context.Context) error {
		return shutdown(ctx, srv)
	})
	e.mu.Lock()
	e.stop, e.addr = stop, ln.Addr()
	e.mu.Unlock()

	engine.Ready(ctx)

	// Serve runs on Run's own goroutine so that a panic in it reaches the
	// supervisor; a cancelled ctx reaches Serve through this stop instead.
	stopOnCancel := context.AfterFunc(ctx, func() { graceful(ctx, stop) })
	err = srv.Serve(ln)
	stopOnCancel()
	if errors.Is(err, http.ErrServerClosed) {
		// Serve returns as soon as Shutdown closed the listener; wait for
		// the stop (Stop's or the cancellation's) to finish draining, so
		// that Run returning means the shutdown is over.
		_ = stop(context.Background())
		return nil
	}
	graceful(ctx, stop)
	return err
}

// graceful runs stop bounded by shutdownGrace, detached from ctx's
// cancellation, which may be the very reason to stop.
func graceful(ctx context.Context, stop func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	_ = stop(ctx)
}

// Stop shuts the current run's server down gracefully, and closes it when
// ctx ends first, returning ctx's error. It is safe to call at any time, as
// the [engine.Engine] contract requires: before the first Run it does
// nothing; within one run, every call gets the first call's result, however
// many and however concurrent; after Run returned (or panicked) it finishes
// that run's shutdown, if any is left to do.
func (e *Engine) Stop(ctx context.Context) error {
	e.mu.Lock()
	stop := e.stop
	e.mu.Unlock()
	if stop == nil {
		return nil
	}
	return stop(ctx)
}

func shutdown(ctx context.Context, srv *http.Server) error {
	err := srv.Shutdown(ctx)
	if err == nil {
		return nil
	}
	// ctx ended with connections still busy: cut them.
	return errors.Join(err, srv.Close())
}

// newServer copies the template's configuration field by field: an
// http.Server holds locks and state that must not be copied, and this way a
// field added to net/http is not copied by accident without a look at what
// it means for a restart.
func (e *Engine) newServer() *http.Server {
	t := e.template
	srv := &http.Server{
		Addr:                         t.Addr,
		Handler:                      t.Handler,
		DisableGeneralOptionsHandler: t.DisableGeneralOptionsHandler,
		ReadTimeout:                  t.ReadTimeout,
		ReadHeaderTimeout:            t.ReadHeaderTimeout,
		WriteTimeout:                 t.WriteTimeout,
		IdleTimeout:                  t.IdleTimeout,
		MaxHeaderBytes:               t.MaxHeaderBytes,
		TLSNextProto:                 t.TLSNextProto,
		ConnState:                    t.ConnState,
		ErrorLog:                     t.ErrorLog,
		BaseContext:                  t.BaseContext,
		ConnContext:                  t.ConnContext,
	}
	if t.TLSConfig != nil {
		srv.TLSConfig = t.TLSConfig.Clone()
	}
	if t.HTTP2 != nil {
		h2 := *t.HTTP2
		srv.HTTP2 = &h2
	}
	if t.Protocols != nil {
		p := *t.Protocols
		srv.Protocols = &p
	}
	return srv
}
