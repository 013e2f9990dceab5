package build

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/engine/process"
	"github.com/arborgo/arbor/supervisor"
)

func TestMain(m *testing.M) {
	// The engine starts every process from one goroutine that never ends.
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/arborgo/arbor/engine/process.spawnLoop"))
}

func TestLiteralZeros(t *testing.T) {
	b := backoff(config.Backoff{Multiplier: 2})
	want := supervisor.Backoff{Initial: supervisor.Zero, Max: supervisor.Zero, Multiplier: 2, Jitter: supervisor.Zero, ResetAfter: supervisor.Zero}
	if b != want {
		t.Errorf("backoff of zeros = %+v, want %+v", b, want)
	}
	b = backoff(config.Backoff{Initial: time.Second, Max: time.Minute, Multiplier: 3, Jitter: 0.2, ResetAfter: time.Hour})
	want = supervisor.Backoff{Initial: time.Second, Max: time.Minute, Multiplier: 3, Jitter: 0.2, ResetAfter: time.Hour}
	if b != want {
		t.Errorf("backoff = %+v, want %+v", b, want)
	}
	if literal(0) != supervisor.Zero || literal(3) != 3 {
		t.Error("literal does not map 0 alone to supervisor.Zero")
	}
}

func parse(t *testing.T, yaml string) *config.File {
	t.Helper()
	f, err := config.Parse("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// intensity: 0 means no restart at all, not the library's default of 3.
func TestIntensityZeroGivesUpAtFirstCrash(t *testing.T) {
	var buf syncBuffer
	f := parse(t, "name: r\nintensity: 0\nchildren:\n  - {name: c, command: [/bin/sh, -c, 'exit 4']}\n")
	tree := Build(f, Options{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	if len(tree.Procs) != 1 || tree.Procs["r/c"] == nil {
		t.Fatalf("Procs = %v", tree.Procs)
	}
	err := tree.Root.Run(context.Background())
	if !errors.Is(err, supervisor.ErrGaveUp) {
		t.Fatalf("Run = %v, want ErrGaveUp", err)
	}
	out := buf.String()
	if n := strings.Count(out, `"event":"started"`); n != 1 {
		t.Errorf("started %d times, want 1:\n%s", n, out)
	}
	if !strings.Contains(out, `"event":"gave_up","path":"r","cause":"r/c","exit":"error","error":"process`) || !strings.Contains(out, `"code":4`) {
		t.Errorf("no gave_up record with code 4:\n%s", out)
	}
}

// A Proc reports its PID while it runs, and is ready once its process
// started even without a readiness check.
func TestProcPIDAndReady(t *testing.T) {
	var buf syncBuffer
	var groups []int
	f := parse(t, "name: r\nchildren:\n  - {name: c, command: [/bin/sh, -c, 'exec sleep 100'], shutdown: 100ms}\n")
	tree := Build(f, Options{Logger: slog.New(slog.NewJSONHandler(&buf, nil)), OnGroup: func(pgid int, alive bool) {
		if alive {
			groups = append(groups, pgid)
		} else {
			groups = append(groups, -pgid)
		}
	}})
	p := tree.Procs["r/c"]
	if !p.ReportsReady() {
		t.Fatal("ReportsReady = false")
	}
	errc := tree.Root.ServeBackground(context.Background())
	deadline := time.Now().Add(5 * time.Second)
	for p.PID() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no PID")
		}
		time.Sleep(10 * time.Millisecond)
	}
	pid := p.PID()
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("PID %d: %v", pid, err)
	}
	if err := tree.Root.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if p.PID() != 0 {
		t.Errorf("PID %d after stop", p.PID())
	}
	if len(groups) != 2 || groups[0] != pid || groups[1] != -pid {
		t.Errorf("OnGroup calls %v, want [%d %d]", groups, pid, -pid)
	}
	if last, ended := p.LastExit(); !ended || !errors.Is(last.Err, process.ErrStopped) || !last.Stopped {
		t.Errorf("LastExit = %+v, %v", last, ended)
	}
}

// A run ended by a requested stop is Stopped even when its process exits 0
// on the stop signal; one that exits 0 on its own is not, although the
// supervisor calls Stop after it too.
func TestProcStoppedWhateverItsExit(t *testing.T) {
	for _, tt := range []struct {
		name, command string
		stop          bool
		want          Exit
	}{
		{"exits 0 on SIGTERM", `[/bin/sh, -c, "trap 'exit 0' TERM; echo up; while :; do sleep 0.05; done"], ready: {log: up}`, true, Exit{Stopped: true}},
		// No log check: a line read after the process exited does not make
		// it ready, and this one exits at once.
		{"exits 0 on its own", `[/bin/sh, -c, "exit 0"]`, false, Exit{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := parse(t, "name: r\nauto_shutdown: any_significant\nchildren:\n  - {name: c, restart: transient, significant: true, shutdown: 5s, command: "+tt.command+"}\n")
			ready := &onEvent{Handler: slog.DiscardHandler, event: "ready", seen: make(chan struct{}), once: new(sync.Once)}
			tree := Build(f, Options{Logger: slog.New(ready)})
			errc := tree.Root.ServeBackground(context.Background())
			if tt.stop {
				<-ready.seen // the trap is set
				if err := tree.Root.Stop(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
			if last, ended := tree.Procs["r/c"].LastExit(); !ended || last != tt.want {
				t.Errorf("LastExit = %+v, %v; want %+v, true", last, ended, tt.want)
			}
		})
	}
}

// onEvent closes seen at the first record of the event.
type onEvent struct {
	slog.Handler
	event string
	seen  chan struct{}
	once  *sync.Once
}

func (h *onEvent) Enabled(context.Context, slog.Level) bool { return true }

func (h *onEvent) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.Handler = h.Handler.WithAttrs(as)
	return &c
}

func (h *onEvent) WithGroup(name string) slog.Handler {
	c := *h
	c.Handler = h.Handler.WithGroup(name)
	return &c
}

func (h *onEvent) Handle(ctx context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "event" && a.Value.String() == h.event {
			h.once.Do(func() { close(h.seen) })
		}
		return true
	})
	return h.Handler.Handle(ctx, r)
}
