package demo

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const toyUsage = `Usage: supervise toy tick|crash|flaky|serve|http|notify [flags]

Hidden toy programs for the demo and the tests:
  tick   prints "tick N" every --every; exits 0 on SIGTERM or SIGINT
  crash  prints a few ticks, then exits with --code after --after
  flaky  ticks, and at each tick exits 1 with probability --p
  serve  listens on --addr after --delay, prints "ready", then ticks;
         with --hang-after, stops accepting then but stays up
  http   serves GET / on --addr with 200, with 500 after --hang-after
  notify sends READY=1 and STATUS= over $NOTIFY_SOCKET after --delay,
         then WATCHDOG=1 at every tick, none after --hang-after

Every toy prints "ready" once it has started (after --delay), for
ready: {log: "^ready$"}, and exits with code --term-code on SIGTERM.

Flags:
`

// ToyMain is the hidden `supervise toy` command.
func ToyMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, toyUsage)
		return 2
	}
	kind := args[0]
	fs := flag.NewFlagSet("toy "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	every := fs.Duration("every", 500*time.Millisecond, "tick interval")
	after := fs.Duration("after", 2*time.Second, "crash: how long to live")
	code := fs.Int("code", 1, "crash: exit code")
	p := fs.Float64("p", 0.2, "flaky: probability of failing at each tick")
	delay := fs.Duration("delay", 0, "how long to wait before printing \"ready\"")
	addr := fs.String("addr", "127.0.0.1:0", "serve: address to listen on")
	termCode := fs.Int("term-code", 0, "exit code on SIGTERM or SIGINT")
	hangAfter := fs.Duration("hang-after", 0, "serve, http, notify: hang after this long (0: never)")
	fs.Usage = func() { fmt.Fprint(fs.Output(), toyUsage); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	time.Sleep(*delay)
	var deadline <-chan time.Time
	onTick := func() {}
	switch kind {
	case "tick", "flaky":
	case "crash":
		deadline = time.After(*after)
	case "serve":
		l, err := net.Listen("tcp", *addr)
		if err != nil {
			fmt.Fprintln(stderr, "listen:", err)
			return 1
		}
		defer l.Close()
		hangServe(l, *hangAfter, stdout)
		fmt.Fprintln(stdout, "listening on", l.Addr())
	case "http":
		stop, err := httpToy(*addr, *hangAfter, stdout)
		if err != nil {
			fmt.Fprintln(stderr, "listen:", err)
			return 1
		}
		defer stop()
	case "notify":
		onTick = notifyToy(*hangAfter, stderr)
	default:
		fmt.Fprintf(stderr, "supervise toy: unknown toy %q\n", kind)
		fmt.Fprint(stderr, toyUsage)
		return 2
	}
	fmt.Fprintln(stdout, "ready")
	t := time.NewTicker(*every)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case sig := <-sigs:
			fmt.Fprintf(stdout, "got %v, exiting\n", sig)
			return *termCode
		case <-deadline:
			fmt.Fprintf(stderr, "crashing with exit code %d\n", *code)
			return *code
		case <-t.C:
			onTick()
			fmt.Fprintf(stdout, "tick %d\n", n)
			if kind == "flaky" && rand.Float64() < *p {
				fmt.Fprintln(stderr, "flaked out")
				return 1
			}
		}
	}
}
