package daemon

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/cmd/supervise/internal/sdnotify"
	"github.com/arborgo/arbor/supervisor"
)

func TestSummary(t *testing.T) {
	sub := &supervisor.Supervisor{}
	tests := []struct {
		name string
		snap *supervisor.Snapshot
		want string
	}{
		{"none", nil, "no processes"},
		{"empty", &supervisor.Snapshot{}, "no processes"},
		{"nested", &supervisor.Snapshot{Children: []supervisor.ChildStatus{
			{State: supervisor.StateRunning},
			{State: supervisor.StateBackingOff},
			{State: supervisor.StateRunning, Engine: sub, Sub: &supervisor.Snapshot{Children: []supervisor.ChildStatus{
				{State: supervisor.StateRunning}, {State: supervisor.StateStarting}, {State: supervisor.StateAbandoned},
			}}},
		}}, "2 running, 1 starting, 1 backing off, 1 abandoned"},
	}
	for _, tt := range tests {
		if got := summary(tt.snap); got != tt.want {
			t.Errorf("%s: summary() = %q; want %q", tt.name, got, tt.want)
		}
	}
}

// systemdSocket listens as systemd would, and sets the environment that
// systemd gives its service, with a watchdog of interval for this process.
func systemdSocket(t *testing.T, watchdog time.Duration) (*sdnotify.Conn, *sdnotify.Notifier) {
	t.Helper()
	c, err := sdnotify.Listen("@arbor-daemon-test-" + strconv.Itoa(os.Getpid()) + t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	t.Setenv("NOTIFY_SOCKET", c.LocalAddr())
	if watchdog > 0 {
		t.Setenv("WATCHDOG_USEC", strconv.FormatInt(watchdog.Microseconds(), 10))
		t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
	}
	n := systemdNotifier(slog.New(slog.DiscardHandler))
	if n == nil {
		t.Fatal("no notifier")
	}
	return c, n
}

// next reads messages until one satisfies ok, and returns it.
func next(t *testing.T, c *sdnotify.Conn, what string, ok func(sdnotify.Message) bool) (sdnotify.Cred, sdnotify.Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		cred, m, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok(m) {
			return cred, m
		}
	}
}

// pending returns the messages already waiting on c.
func pending(t *testing.T, c *sdnotify.Conn) []sdnotify.Message {
	t.Helper()
	var out []sdnotify.Message
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, m, err := c.Read(ctx)
		cancel()
		if err != nil {
			return out
		}
		out = append(out, m)
	}
}

// READY=1 comes once the ordered start has completed, not before; STATUS=
// counts the processes; STOPPING=1 comes with the stop signal; WATCHDOG=1
// keeps coming meanwhile; all of it from supervise's own PID.
func TestSystemdNotified(t *testing.T) {
	dir := t.TempDir()
	gate := filepath.Join(dir, "gate")
	c, n := systemdSocket(t, 200*time.Millisecond)
	yaml := "name: r\nchildren:\n" +
		"  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}\n" +
		"  - {name: b, command: [/bin/sh, -c, 'while [ ! -e " + gate + " ]; do sleep 0.02; done; echo up; exec sleep 100'], ready: {log: up}}\n"
	file, err := config.Parse("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	var sigc chan<- os.Signal
	subscribed := make(chan struct{})
	notify := func(c chan<- os.Signal, _ ...os.Signal) func() { sigc = c; close(subscribed); return func() {} }
	codec := make(chan int, 1)
	go func() {
		codec <- Run(context.Background(), Options{File: file, Socket: filepath.Join(dir, "s.sock"),
			Logger: slog.New(slog.NewJSONHandler(log, nil)), Stderr: log, Notify: notify, Systemd: n})
	}()
	<-subscribed
	waitLog(t, log, `"event":"started","path":"r/b"`)
	for _, m := range pending(t, c) {
		if m.Ready {
			t.Fatal("READY=1 before r/b was ready")
		}
	}
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cred, _ := next(t, c, "READY=1", func(m sdnotify.Message) bool { return m.Ready })
	if !strings.Contains(log.String(), `"event":"ready","path":"r/b"`) {
		t.Errorf("READY=1 before r/b's ready record; log:\n%s", log.String())
	}
	if cred.PID != os.Getpid() {
		t.Errorf("sender PID %d; want %d", cred.PID, os.Getpid())
	}
	next(t, c, "STATUS=2 running", func(m sdnotify.Message) bool { return m.HasStatus && m.Status == "2 running" })
	next(t, c, "WATCHDOG=1", func(m sdnotify.Message) bool { return m.Watchdog })
	sigc <- syscall.SIGTERM
	next(t, c, "STOPPING=1", func(m sdnotify.Message) bool { return m.Stopping })
	select {
	case code := <-codec:
		if code != ExitOK {
			t.Errorf("exit code %d; want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Run did not return; log:\n%s", log.String())
	}
	if _, ok := os.LookupEnv("NOTIFY_SOCKET"); ok {
		t.Error("NOTIFY_SOCKET still in supervise's environment")
	}
}

// A tree that fails to start never says READY=1, and still says
// STOPPING=1 before supervise exits.
func TestSystemdNotReadyAfterStartFailure(t *testing.T) {
	c, n := systemdSocket(t, 0)
	file, err := config.Parse("t.yaml", []byte("name: r\nintensity: 1\nbackoff: {initial: 0s, max: 0s}\nchildren:\n  - {name: a, command: [/bin/sh, -c, 'exit 1'], ready: {log: never}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	code := Run(context.Background(), Options{File: file, Socket: filepath.Join(t.TempDir(), "s.sock"),
		Logger: slog.New(slog.DiscardHandler), Stderr: &syncBuffer{}, Systemd: n,
		Notify: func(chan<- os.Signal, ...os.Signal) func() { return func() {} }})
	if code != ExitGaveUp {
		t.Fatalf("exit code %d; want %d", code, ExitGaveUp)
	}
	msgs := pending(t, c)
	if len(msgs) == 0 || !msgs[len(msgs)-1].Stopping {
		t.Errorf("messages %+v; want STOPPING=1 last", msgs)
	}
	for _, m := range msgs {
		if m.Ready {
			t.Errorf("READY=1 from a tree that failed to start")
		}
	}
}
