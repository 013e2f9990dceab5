//go:build linux

package process_test

import (
	"bufio"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"syscall"
	"testing"

	"github.com/arborgo/arbor/engine/process"
)

// TestProcessDiesWithSupervisor kills a supervisor (this test binary, run
// again as a helper) with SIGKILL, which leaves it no chance to stop
// anything: the parent-death signal must take its child down.
func TestProcessDiesWithSupervisor(t *testing.T) {
	if os.Getenv("ARBOR_TEST_SUPERVISOR") == "1" {
		cfg := process.Config{
			Argv:   []string{"/bin/sh", "-c", "echo $$; exec sleep 1000"},
			Logger: slog.New(slog.NewTextHandler(os.Stdout, nil)),
		}
		_ = process.New(cfg).Run(context.Background())
		return
	}
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestProcessDiesWithSupervisor$")
	cmd.Env = append(os.Environ(), "ARBOR_TEST_SUPERVISOR=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pidLine := regexp.MustCompile(`msg=(\d+) .*stream=stdout`)
	pid := 0
	for sc := bufio.NewScanner(out); pid == 0 && sc.Scan(); {
		if m := pidLine.FindStringSubmatch(sc.Text()); m != nil {
			pid, _ = strconv.Atoi(m[1])
		}
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if pid == 0 {
		t.Fatal("the helper supervisor did not report its child")
	}
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	waitGone(t, pid)
}
