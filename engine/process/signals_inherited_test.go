//go:build unix

package process_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/arborgo/arbor/engine/process"
)

// TestStopSignalIgnoredAtStart: a supervisor started with its stop signal
// ignored (nohup ignores SIGHUP) must not pass that on: the child's trap
// still runs. The test binary re-runs itself with SIGHUP ignored.
func TestStopSignalIgnoredAtStart(t *testing.T) {
	if os.Getenv("ARBOR_SIGHUP_IGNORED") == "" {
		cmd := exec.Command("/bin/sh", "-c", `trap "" HUP; exec "$0" -test.run='^TestStopSignalIgnoredAtStart$' -test.v`, os.Args[0])
		cmd.Env = append(os.Environ(), "ARBOR_SIGHUP_IGNORED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("with SIGHUP ignored: %v\n%s", err, out)
		}
		return
	}
	dir := t.TempDir()
	trapped, armed := filepath.Join(dir, "trapped"), filepath.Join(dir, "armed")
	p := process.New(process.Config{
		Argv:       []string{"/bin/sh", "-c", `trap 'touch ` + trapped + `; exit 0' HUP; touch ` + armed + `; while :; do sleep 0.05; done`},
		StopSignal: syscall.SIGHUP,
	})
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background()) }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(armed); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the child did not install its trap")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.Stop(ctx); err != nil {
		t.Fatalf("Stop = %v; want the trap to end the process", err)
	}
	<-done
	if _, err := os.Stat(trapped); err != nil {
		t.Errorf("the child's HUP trap did not run: %v", err)
	}
}
