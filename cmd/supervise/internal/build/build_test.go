package build

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

func TestMain(m *testing.M) {
	// The engine starts every process from one goroutine that never ends.
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/arborgo/arbor/engine.spawnLoop"))
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
	if err, ended := p.LastExit(); !ended || !errors.Is(err, engine.ErrStopped) {
		t.Errorf("LastExit = %v, %v", err, ended)
	}
}
