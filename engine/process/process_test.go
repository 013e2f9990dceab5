//go:build linux

package process_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/arborgo/arbor/engine/process"
)

func TestProcessExitStatus(t *testing.T) {
	t.Parallel()
	t.Run("clean exit", func(t *testing.T) {
		t.Parallel()
		p := process.New(sh(&captureLog{}, "exit 0"))
		if err := p.Run(context.Background()); err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
	})
	t.Run("exit 3", func(t *testing.T) {
		t.Parallel()
		err := process.New(sh(&captureLog{}, "exit 3")).Run(context.Background())
		ee := exitError(t, err)
		if ee.Code != 3 || ee.Signaled || ee.Stopped || errors.Is(err, process.ErrStopped) {
			t.Fatalf("ExitError = %+v, want code 3, not signaled, not stopped", ee)
		}
	})
	t.Run("killed by signal", func(t *testing.T) {
		t.Parallel()
		err := process.New(sh(&captureLog{}, "kill -KILL $$")).Run(context.Background())
		ee := exitError(t, err)
		if !ee.Signaled || ee.Signal != syscall.SIGKILL || ee.Code != -1 || ee.Stopped {
			t.Fatalf("ExitError = %+v, want killed by SIGKILL", ee)
		}
	})
}

func TestProcessStartErrors(t *testing.T) {
	t.Parallel()
	noexec := filepath.Join(t.TempDir(), "noexec")
	if err := os.WriteFile(noexec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		argv0 string
		want  []error
	}{
		{"/nonexistent/arbor-test", []error{fs.ErrNotExist}},
		{"arbor-test-no-such-binary", []error{fs.ErrNotExist, exec.ErrNotFound}},
		{noexec, []error{fs.ErrPermission}},
	} {
		err := process.New(process.Config{Argv: []string{tc.argv0}}).Run(context.Background())
		for _, want := range tc.want {
			if !errors.Is(err, want) {
				t.Errorf("Run(%s) = %v, want errors.Is %v", tc.argv0, err, want)
			}
		}
	}
	if err := process.New(process.Config{}).Run(context.Background()); err == nil {
		t.Error("Run with empty Argv = nil, want an error")
	}
}

// A missing or non-directory working directory fails the start with an
// error that names the directory, not the binary, which exists.
func TestProcessStartErrorNamesMissingDir(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "no", "such", "dir")
	for _, tc := range []struct {
		dir  string
		want error
	}{
		{missing, fs.ErrNotExist},
		{file, syscall.ENOTDIR},
	} {
		cfg := process.Config{Argv: []string{"/bin/sh", "-c", "exit 0"}, Dir: tc.dir}
		err := process.New(cfg).Run(context.Background())
		if !errors.Is(err, tc.want) {
			t.Errorf("Run in %s = %v; want errors.Is %v", tc.dir, err, tc.want)
		}
		if got := fmt.Sprint(err); !strings.Contains(got, "working directory") || !strings.Contains(got, tc.dir) {
			t.Errorf("Run in %s = %q; want it to name the working directory %s", tc.dir, got, tc.dir)
		}
	}
}

func TestProcessStopSignal(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{0, syscall.SIGHUP} {
		name := "default"
		if sig != 0 {
			name = sig.String()
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := sig
			if want == 0 {
				want = syscall.SIGTERM
			}
			file := filepath.Join(t.TempDir(), "trapped")
			log := &captureLog{}
			cfg := sh(log, `trap 'echo trapped > `+file+`; exit 0' `+sigName(want)+`; echo up; while :; do sleep 0.05; done`)
			cfg.StopSignal = sig
			p := process.New(cfg)
			done, _ := start(t, context.Background(), p)
			log.waitLine(t, "stdout", "up")
			if err := p.Stop(stopCtx(t, procDeadline)); err != nil {
				t.Fatalf("Stop = %v", err)
			}
			if err := result(t, done); err != nil {
				t.Fatalf("Run = %v, want nil (the trap exits 0)", err)
			}
			if b, err := os.ReadFile(file); err != nil || string(b) != "trapped\n" {
				t.Fatalf("trap file = %q, %v", b, err)
			}
		})
	}
}

func sigName(s syscall.Signal) string {
	return map[syscall.Signal]string{syscall.SIGTERM: "TERM", syscall.SIGHUP: "HUP"}[s]
}

func TestProcessStopKillsWhenIgnored(t *testing.T) {
	t.Parallel()
	log := &captureLog{}
	p := process.New(sh(log, `trap '' TERM; echo up; while :; do sleep 0.05; done`))
	done, _ := start(t, context.Background(), p)
	log.waitLine(t, "stdout", "up")
	err := p.Stop(stopCtx(t, 200*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop = %v, want a DeadlineExceeded", err)
	}
	runErr := result(t, done)
	ee := exitError(t, runErr)
	if !ee.Signaled || ee.Signal != syscall.SIGKILL || !ee.Stopped || !errors.Is(runErr, process.ErrStopped) {
		t.Fatalf("Run = %+v, want SIGKILLed after stop", ee)
	}
	if err := p.Stop(context.Background()); err != nil {
		t.Fatalf("Stop after Run = %v", err)
	}
}

func TestProcessNoGrandchildSurvives(t *testing.T) {
	t.Parallel()
	t.Run("stop", func(t *testing.T) {
		t.Parallel()
		log := &captureLog{}
		p := process.New(sh(log, `sleep 1000 & echo grandchild $!; wait`))
		done, _ := start(t, context.Background(), p)
		pid := log.waitPid(t, "grandchild")
		if err := p.Stop(stopCtx(t, procDeadline)); err != nil {
			t.Fatalf("Stop = %v", err)
		}
		if err := result(t, done); !errors.Is(err, process.ErrStopped) {
			t.Fatalf("Run = %v, want a stopped ExitError", err)
		}
		waitGone(t, pid)
	})
	t.Run("exit", func(t *testing.T) {
		t.Parallel()
		log := &captureLog{}
		p := process.New(sh(log, `sleep 1000 & echo grandchild $!; exit 0`))
		if err := p.Run(context.Background()); err != nil {
			t.Fatalf("Run = %v", err)
		}
		waitGone(t, log.waitPid(t, "grandchild"))
	})
}

func TestProcessCancel(t *testing.T) {
	t.Parallel()
	t.Run("stop signal", func(t *testing.T) {
		t.Parallel()
		file := filepath.Join(t.TempDir(), "trapped")
		log := &captureLog{}
		p := process.New(sh(log, `trap 'echo trapped > `+file+`; exit 0' TERM; echo up; while :; do sleep 0.05; done`))
		ctx, cancel := context.WithCancel(context.Background())
		done, _ := start(t, ctx, p)
		log.waitLine(t, "stdout", "up")
		cancel()
		if err := result(t, done); err != nil {
			t.Fatalf("Run = %v, want nil", err)
		}
		if _, err := os.Stat(file); err != nil {
			t.Fatalf("trap did not run: %v", err)
		}
	})
	t.Run("grace ends", func(t *testing.T) {
		t.Parallel()
		log := &captureLog{}
		cfg := sh(log, `trap '' TERM; echo up; while :; do sleep 0.05; done`)
		cfg.CancelGrace = 100 * time.Millisecond
		p := process.New(cfg)
		ctx, cancel := context.WithCancel(context.Background())
		done, _ := start(t, ctx, p)
		log.waitLine(t, "stdout", "up")
		cancel()
		if ee := exitError(t, result(t, done)); ee.Signal != syscall.SIGKILL || !ee.Stopped {
			t.Fatalf("Run = %+v, want SIGKILLed after stop", ee)
		}
	})
}

func TestProcessStopAnytime(t *testing.T) {
	t.Parallel()
	log := &captureLog{}
	p := process.New(sh(log, `trap 'exit 0' TERM; echo up; while :; do sleep 0.05; done`))
	if err := p.Stop(context.Background()); err != nil {
		t.Fatalf("Stop before Run = %v", err)
	}
	done, _ := start(t, context.Background(), p)
	log.waitLine(t, "stdout", "up")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = p.Stop(stopCtx(t, procDeadline)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent Stop %d = %v", i, err)
		}
	}
	if err := result(t, done); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if err := p.Stop(context.Background()); err != nil {
		t.Fatalf("Stop after Run = %v", err)
	}
}

func TestProcessRestart(t *testing.T) {
	t.Parallel()
	log := &captureLog{}
	p := process.New(sh(log, `trap 'exit 0' TERM; echo pid $$; while :; do sleep 0.05; done`))
	for run := range 3 {
		done, _ := start(t, context.Background(), p)
		poll(t, "the start of the new run", func() bool { return len(log.stream("stdout")) == run+1 })
		if err := p.Stop(stopCtx(t, procDeadline)); err != nil {
			t.Fatalf("Stop %d = %v", run, err)
		}
		if err := result(t, done); err != nil {
			t.Fatalf("Run %d = %v", run, err)
		}
		if err := p.Stop(context.Background()); err != nil {
			t.Fatalf("Stop after Run %d = %v", run, err)
		}
	}
	lines := log.stream("stdout")
	if len(lines) != 3 || lines[0] == lines[1] || lines[1] == lines[2] {
		t.Fatalf("runs printed %q, want three different PIDs", lines)
	}
}

func TestProcessDirAndEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	log := &captureLog{}
	cfg := sh(log, `echo "$ARBOR_A $ARBOR_B $PWD"; test -n "$PATH"`)
	cfg.Dir = dir
	cfg.Env = []string{"ARBOR_A=1", "ARBOR_B=2", "ARBOR_A=3"}
	if err := process.New(cfg).Run(context.Background()); err != nil {
		t.Fatalf("Run = %v (is the parent env kept?)", err)
	}
	if got, want := log.stream("stdout"), []string{"3 2 " + dir}; len(got) != 1 || got[0] != want[0] {
		t.Fatalf("output %q, want %q", got, want)
	}
}

func TestProcessPID(t *testing.T) {
	p := process.New(process.Config{Argv: []string{"/bin/sh", "-c", "echo started; exec sleep 30"}})
	if got := p.PID(); got != 0 {
		t.Fatalf("PID before Run = %d; want 0", got)
	}
	errc := make(chan error, 1)
	go func() { errc <- p.Run(context.Background()) }()
	deadline := time.Now().Add(5 * time.Second)
	for p.PID() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	pid := p.PID()
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		t.Fatalf("PID while running = %d; want a live process", pid)
	}
	if err := p.Stop(context.Background()); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	<-errc
	if got := p.PID(); got != 0 {
		t.Errorf("PID after exit = %d; want 0", got)
	}
}
