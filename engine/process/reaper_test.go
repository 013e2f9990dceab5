//go:build linux

package process_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/arborgo/arbor/engine/process"
)

// TestReaper must not run in parallel with tests that wait with os/exec:
// while it runs, its reaper waits for every child of the test binary.
func TestReaper(t *testing.T) {
	if err := process.SetChildSubreaper(); err != nil {
		t.Fatalf("SetChildSubreaper = %v", err)
	}
	t.Cleanup(func() { _ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := process.StartReaper(ctx)
	if err != nil {
		t.Fatalf("StartReaper = %v", err)
	}
	if _, err := process.StartReaper(ctx); err == nil {
		t.Fatal("a second reaper started")
	}

	// Many children that exit at once race their own registration.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			err := process.New(sh(&captureLog{}, "exit "+strconv.Itoa(i%2))).Run(context.Background())
			if (err == nil) != (i%2 == 0) {
				t.Errorf("child %d: Run = %v", i, err)
			}
		})
	}
	wg.Wait()

	// An exit code and a stop, through the reaper.
	if ee := exitError(t, process.New(sh(&captureLog{}, "exit 3")).Run(context.Background())); ee.Code != 3 {
		t.Fatalf("Run = %v, want exit 3", ee)
	}
	log := &captureLog{}
	p := process.New(sh(log, `trap 'exit 0' TERM; echo up; while :; do sleep 0.05; done`))
	done, _ := start(t, context.Background(), p)
	log.waitLine(t, "stdout", "up")
	stopAndWait(t, p, done)

	// A grandchild orphaned by its parent comes to us, the subreaper, and
	// the reaper reaps it.
	before := r.Orphans()
	dir := t.TempDir()
	orphanLog := &captureLog{}
	cfg := sh(orphanLog, `(sh -c 'echo orphan $$; touch up; sleep 1000' &); until [ -e up ]; do sleep 0.01; done`)
	cfg.Dir = dir
	if err := process.New(cfg).Run(context.Background()); err != nil {
		t.Fatalf("Run = %v", err)
	}
	orphan := orphanLog.waitPid(t, "orphan")
	poll(t, "the orphan to be reaped", func() bool { return r.Orphans() > before })
	poll(t, "no zombie children", func() bool { return len(zombieChildren(t)) == 0 })
	waitGone(t, orphan)

	cancel()
	select {
	case <-r.Done():
	case <-stopCtx(t, procDeadline).Done():
		t.Fatal("the reaper did not stop")
	}
	// Waiting is back with os/exec.
	if err := process.New(sh(&captureLog{}, "exit 0")).Run(context.Background()); err != nil {
		t.Fatalf("Run after the reaper = %v", err)
	}
}

// zombieChildren lists the zombies whose parent is this test binary.
func zombieChildren(t *testing.T) []int {
	t.Helper()
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	self := strconv.Itoa(os.Getpid())
	var zombies []int
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 1 && fields[0] == "Z" && fields[1] == self {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(path)))
			zombies = append(zombies, pid)
		}
	}
	return zombies
}
