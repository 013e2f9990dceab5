//go:build linux

package process_test

import (
	"context"
	"syscall"
	"testing"

	"github.com/arborgo/arbor/engine/process"
)

// Signal reaches the main process and a descendant in its group while a
// run is under way, and reports false once the process was reaped.
func TestProcessSignalReachesGroup(t *testing.T) {
	t.Parallel()
	log := &captureLog{}
	p := process.New(sh(log, `trap 'echo main-hup' HUP
(trap 'echo kid-hup; exit 0' HUP; echo kid-up; while :; do sleep 0.05; done) &
echo main-up
while :; do sleep 0.05; done`))
	if sent, err := p.Signal(syscall.SIGHUP); sent || err != nil {
		t.Fatalf("Signal before Run = %v, %v; want false, nil", sent, err)
	}
	done, _ := start(t, context.Background(), p)
	log.waitLine(t, "stdout", "main-up")
	log.waitLine(t, "stdout", "kid-up")
	if sent, err := p.Signal(syscall.SIGHUP); !sent || err != nil {
		t.Fatalf("Signal while running = %v, %v; want true, nil", sent, err)
	}
	log.waitLine(t, "stdout", "main-hup")
	log.waitLine(t, "stdout", "kid-hup")
	if err := p.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = result(t, done)
	if sent, err := p.Signal(syscall.SIGHUP); sent || err != nil {
		t.Errorf("Signal after the exit = %v, %v; want false, nil", sent, err)
	}
}
