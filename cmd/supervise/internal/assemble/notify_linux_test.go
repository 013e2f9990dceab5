package assemble

import (
	"context"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/arborgo/arbor/cmd/supervise/internal/sdnotify"
	"github.com/arborgo/arbor/engine"
)

// Only the child's own process group is heard: READY=1 from another
// group is ignored, from the group it counts; STATUS= is kept.
func TestNotifyAcceptsOnlyTheChildsGroup(t *testing.T) {
	n, env := newNotify("t/notify-"+t.Name(), true, time.Second, slog.New(slog.DiscardHandler))
	if len(env) != 2 || env[1] != "WATCHDOG_USEC=1000000" {
		t.Errorf("env = %v; want NOTIFY_SOCKET and WATCHDOG_USEC=1000000", env)
	}
	var readies atomic.Int32
	ctx := engine.WithReady(context.Background(), func() { readies.Add(1) })
	send := func(state string) {
		t.Helper()
		t.Setenv("NOTIFY_SOCKET", n.addr)
		c, err := sdnotify.FromEnv(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Notify(state); err != nil {
			t.Fatal(err)
		}
	}
	own, err := unix.Getpgid(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pgid  int
		ready int32
	}{{own + 1, 0}, {own, 1}} {
		if err := n.open(ctx); err != nil {
			t.Fatal(err)
		}
		n.started(tc.pgid)
		send("READY=1\nSTATUS=up")
		// A message that must be ignored gives no sign of having been
		// read: it is given time to be misread.
		deadline := time.Now().Add(300 * time.Millisecond)
		if tc.ready > 0 {
			deadline = time.Now().Add(5 * time.Second)
		}
		for readies.Load() < max(tc.ready, 1) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		n.close()
		if got := readies.Load(); got != tc.ready {
			t.Errorf("group %d: readies = %d; want %d", tc.pgid, got, tc.ready)
		}
	}
	if got := n.Status(); got != "up" {
		t.Errorf("status = %q; want up", got)
	}
}
