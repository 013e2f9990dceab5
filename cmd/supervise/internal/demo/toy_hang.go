package demo

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/sdnotify"
)

// The toys that hang: they stay up after --hang-after but stop doing their
// job, for the liveness tests.

// hangServe accepts connections on l until hangAfter (0: never), then
// closes l and stays up.
func hangServe(l net.Listener, hangAfter time.Duration, stdout io.Writer) {
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	if hangAfter > 0 {
		time.AfterFunc(hangAfter, func() {
			fmt.Fprintln(stdout, "no longer accepting")
			l.Close()
		})
	}
}

// httpToy serves GET /healthz with 200 until hangAfter (0: never), then
// with 500, on addr.
func httpToy(addr string, hangAfter time.Duration, stdout io.Writer) (func(), error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	var broken atomic.Bool
	if hangAfter > 0 {
		time.AfterFunc(hangAfter, func() { fmt.Fprintln(stdout, "answering 500"); broken.Store(true) })
	}
	srv := &http.Server{ReadHeaderTimeout: time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if broken.Load() {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})}
	go func() { _ = srv.Serve(l) }()
	fmt.Fprintln(stdout, "listening on", l.Addr())
	return func() { srv.Close() }, nil
}

// notifyToy sends READY=1 and a STATUS= now (after --delay), and returns
// a function for every tick that sends WATCHDOG=1 until hangAfter (0:
// never).
func notifyToy(hangAfter time.Duration, stderr io.Writer) func() {
	n, err := sdnotify.FromEnv(os.Getpid())
	if err != nil {
		fmt.Fprintln(stderr, "NOTIFY_SOCKET:", err)
	}
	if err := n.Notify("READY=1\nSTATUS=serving"); err != nil {
		fmt.Fprintln(stderr, "notify:", err)
	}
	start := time.Now()
	return func() {
		if hangAfter == 0 || time.Since(start) < hangAfter {
			_ = n.Notify("WATCHDOG=1")
		}
	}
}
