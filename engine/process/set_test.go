//go:build linux

package process_test

import (
	"context"
	"syscall"
	"testing"

	"github.com/arborgo/arbor/engine/process"
)

func TestProcessSetKillsEveryGroup(t *testing.T) {
	t.Parallel()
	var set process.Set
	var runs []<-chan error
	var logs []*captureLog
	for range 3 {
		log := &captureLog{}
		cfg := sh(log, `trap '' TERM; sleep 1000 & echo grandchild $!; wait`)
		cfg.Set = &set
		done, _ := start(t, context.Background(), process.New(cfg))
		runs = append(runs, done)
		logs = append(logs, log)
	}
	var grandchildren []int
	for _, log := range logs {
		grandchildren = append(grandchildren, log.waitPid(t, "grandchild"))
	}
	if n := set.Len(); n != 3 {
		t.Fatalf("Len = %d, want 3", n)
	}
	if err := set.Kill(); err != nil {
		t.Fatalf("Kill = %v", err)
	}
	for _, done := range runs {
		if ee := exitError(t, result(t, done)); ee.Signal != syscall.SIGKILL {
			t.Fatalf("Run = %v, want killed", ee)
		}
	}
	for _, pid := range grandchildren {
		waitGone(t, pid)
	}
	if n := set.Len(); n != 0 {
		t.Fatalf("Len after the exits = %d, want 0", n)
	}
	var none *process.Set
	if none.Kill() != nil || none.Len() != 0 {
		t.Fatal("a nil Set is not an empty one")
	}
}
