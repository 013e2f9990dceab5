//go:build linux

package process_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/engine/process"
)

func TestProcessReadyTCP(t *testing.T) {
	t.Parallel()
	// Reserve a port, free it, and listen on it again only later, so that
	// the first dials are refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	cfg := sh(&captureLog{}, `trap 'exit 0' TERM; while :; do sleep 0.05; done`)
	cfg.Ready = process.ReadyCheck{TCP: addr, Interval: 20 * time.Millisecond}
	p := process.New(cfg)
	if !p.ReportsReady() {
		t.Fatal("ReportsReady = false with a check configured")
	}
	done, ready := start(t, context.Background(), p)
	opened := make(chan net.Listener, 1)
	timer := time.AfterFunc(200*time.Millisecond, func() {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Error(err)
			close(opened)
			return
		}
		opened <- l
	})
	defer timer.Stop()
	waitReady(t, ready)
	select {
	case l, ok := <-opened:
		if ok {
			l.Close()
		}
	default:
		t.Fatal("ready before the listener was opened")
	}
	stopAndWait(t, p, done)
}

func TestProcessReadyLog(t *testing.T) {
	t.Parallel()
	log := &captureLog{}
	cfg := sh(log, `trap 'exit 0' TERM; echo starting; echo "listening on 8080" >&2; while :; do sleep 0.05; done`)
	cfg.Ready = process.ReadyCheck{Log: regexp.MustCompile(`listening on \d+`)}
	p := process.New(cfg)
	done, ready := start(t, context.Background(), p)
	waitReady(t, ready)
	if len(log.stream("stderr")) == 0 {
		t.Fatal("ready before the matching line was logged")
	}
	stopAndWait(t, p, done)
}

func TestProcessReadyExec(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "up")
	cfg := sh(&captureLog{}, `trap 'exit 0' TERM; sleep 0.2; touch `+file+`; while :; do sleep 0.05; done`)
	cfg.Ready = process.ReadyCheck{Exec: []string{"/bin/sh", "-c", "test -e " + file}, Interval: 20 * time.Millisecond}
	p := process.New(cfg)
	done, ready := start(t, context.Background(), p)
	waitReady(t, ready)
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("ready before the probe could pass: %v", err)
	}
	stopAndWait(t, p, done)
}

func TestProcessNotReadyWhenExited(t *testing.T) {
	t.Parallel()
	for name, check := range map[string]process.ReadyCheck{
		"log":  {Log: regexp.MustCompile(`never`)},
		"exec": {Exec: []string{"/bin/false"}, Interval: 10 * time.Millisecond},
	} {
		cfg := sh(&captureLog{}, `echo not yet; sleep 0.1; exit 0`)
		cfg.Ready = check
		done, ready := start(t, context.Background(), process.New(cfg))
		if err := result(t, done); err != nil {
			t.Fatalf("%s: Run = %v", name, err)
		}
		select {
		case <-ready.C:
			t.Fatalf("%s: ready although the check never passed", name)
		default:
		}
	}
}

func TestProcessReadyConfigErrors(t *testing.T) {
	t.Parallel()
	cfg := process.Config{Argv: []string{"/bin/true"}, Ready: process.ReadyCheck{TCP: "x:1", Exec: []string{"true"}}}
	if cfg.Validate() == nil || process.New(cfg).Run(context.Background()) == nil {
		t.Fatal("two checks at once were accepted")
	}
}

// TestProcessReadyOnExec: without a check, a process is ready once its exec
// succeeded, and a missing binary never becomes ready.
func TestProcessReadyOnExec(t *testing.T) {
	t.Parallel()
	var started, exited atomic.Int64
	p := process.New(process.Config{Argv: []string{"/bin/sh", "-c", "exec sleep 30"},
		OnStart: func(pid int) { started.Store(int64(pid)) },
		OnExit:  func(pid int, err error) { exited.Store(int64(pid)) }})
	if !p.ReportsReady() {
		t.Fatal("ReportsReady = false; want true")
	}
	ready := make(chan struct{})
	ctx := engine.WithReady(context.Background(), func() { close(ready) })
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Run = %v before ready", err)
	}
	if got, want := started.Load(), int64(p.PID()); got != want || got == 0 {
		t.Errorf("OnStart pid = %d; want %d", got, want)
	}
	if err := p.Stop(stopCtx(t, procDeadline)); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	if err := <-done; !errors.Is(err, process.ErrStopped) {
		t.Fatalf("Run = %v; want ErrStopped", err)
	}
	if got, want := exited.Load(), started.Load(); got != want {
		t.Errorf("OnExit pid = %d; want %d", got, want)
	}

	missing := process.New(process.Config{Argv: []string{"/nonexistent/binary"}})
	var readied atomic.Bool
	mctx := engine.WithReady(context.Background(), func() { readied.Store(true) })
	if err := missing.Run(mctx); err == nil || readied.Load() {
		t.Errorf("missing binary: Run = %v, ready = %v; want an error and no ready", err, readied.Load())
	}
}

func stopAndWait(t *testing.T, p *process.Process, done <-chan error) {
	t.Helper()
	if err := p.Stop(stopCtx(t, procDeadline)); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	if err := result(t, done); err != nil {
		t.Fatalf("Run = %v", err)
	}
}

// With Expand, the ready check's address and command are expanded at
// every start as Argv is, from the env files and the environment; so is a
// ProbeExec probe's command.
func TestProcessReadyChecksExpand(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	dir := t.TempDir()
	envFile := filepath.Join(dir, "app.env")
	os.WriteFile(envFile, []byte("ARBOR_T_PORT="+port+"\nARBOR_T_DIR="+dir+"\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "up"), nil, 0o600)

	for _, tt := range []struct {
		name  string
		ready process.ReadyCheck
	}{
		{"tcp", process.ReadyCheck{TCP: "127.0.0.1:${ARBOR_T_PORT}", Interval: 20 * time.Millisecond}},
		{"exec", process.ReadyCheck{Exec: []string{"/bin/sh", "-c", "test -e ${ARBOR_T_DIR}/up"}, Interval: 20 * time.Millisecond}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			log := &captureLog{}
			// "up" once the trap is set: a stop before it would kill the
			// shell, not end it with 0.
			cfg := sh(log, `trap 'exit 0' TERM; echo up; while :; do sleep 0.05; done`)
			cfg.Ready, cfg.EnvFiles, cfg.Expand = tt.ready, []string{envFile}, true
			p := process.New(cfg)
			done, ready := start(t, context.Background(), p)
			waitReady(t, ready)
			log.waitLine(t, "stdout", "up")
			probe := p.ProbeExec([]string{"/bin/sh", "-c", "test -e ${ARBOR_T_DIR}/up"})
			if err := probe(context.Background()); err != nil {
				t.Errorf("probe with ${ARBOR_T_DIR} = %v; want it to pass", err)
			}
			if err := p.ProbeExec([]string{"/bin/sh", "-c", "${ARBOR_T_UNSET}"})(context.Background()); err == nil || !strings.Contains(err.Error(), "ARBOR_T_UNSET") {
				t.Errorf("probe with an unset variable = %v; want an error naming it", err)
			}
			stopAndWait(t, p, done)
		})
	}
}

// A ready check that never passed says, once it gives up, what it last
// saw: the supervisor's "not ready within its start timeout" cannot.
func TestProcessReadyCheckNeverPassedIsLogged(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // refused from now on
	log := &captureLog{}
	cfg := sh(log, `sleep 0.2; exit 0`)
	cfg.Ready = process.ReadyCheck{TCP: addr, Interval: 20 * time.Millisecond}
	done, _ := start(t, context.Background(), process.New(cfg))
	if err := result(t, done); err != nil {
		t.Fatalf("Run = %v", err)
	}
	for _, r := range log.all() {
		if r.msg == "ready check never passed" {
			if r.attrs["check"] != "tcp "+addr || !strings.Contains(r.attrs["error"], "connection refused") {
				t.Errorf("logged check %q, error %q; want tcp %s and connection refused", r.attrs["check"], r.attrs["error"], addr)
			}
			return
		}
	}
	t.Errorf("no record says the ready check never passed; records %v", log.all())
}
