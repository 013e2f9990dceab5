package sdnotify

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestWatchdogInterval(t *testing.T) {
	const self = 4711
	tests := []struct {
		usec, pid string
		want      time.Duration
	}{
		{"", "", 0},
		{"30000000", "", 30 * time.Second},
		{"30000000", "4711", 30 * time.Second},
		{"30000000", "4712", 0}, // another process's watchdog
		{"30000000", "x", 0},
		{"0", "", 0},
		{"-1", "", 0},
		{"abc", "4711", 0},
	}
	for _, tt := range tests {
		if got := watchdogInterval(tt.usec, tt.pid, self); got != tt.want {
			t.Errorf("watchdogInterval(%q, %q, %d) = %v; want %v", tt.usec, tt.pid, self, got, tt.want)
		}
	}
}

func TestFromEnvUnsets(t *testing.T) {
	t.Setenv(envSocket, "@sdnotify-test")
	t.Setenv(envWatchdogUsec, "2000000")
	t.Setenv(envWatchdogPID, strconv.Itoa(os.Getpid()))
	n, err := FromEnv(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := n.WatchdogInterval(), 2*time.Second; got != want {
		t.Errorf("WatchdogInterval() = %v; want %v", got, want)
	}
	for _, k := range []string{envSocket, envWatchdogUsec, envWatchdogPID} {
		if v, ok := os.LookupEnv(k); ok {
			t.Errorf("%s=%q still set; want it unset for the children", k, v)
		}
	}
}

func TestFromEnvUnset(t *testing.T) {
	t.Setenv(envSocket, "")
	os.Unsetenv(envSocket)
	n, err := FromEnv(os.Getpid())
	if n != nil || err != nil {
		t.Fatalf("FromEnv() = %v, %v; want nil, nil", n, err)
	}
	// The nil Notifier is a no-op.
	if err := n.Notify("READY=1"); err != nil {
		t.Errorf("nil Notify() = %v; want nil", err)
	}
	if got := n.WatchdogInterval(); got != 0 {
		t.Errorf("nil WatchdogInterval() = %v; want 0", got)
	}
}

func TestFromEnvBadSocket(t *testing.T) {
	for _, s := range []string{"relative.sock", "@", "/" + strings.Repeat("x", 200)} {
		t.Setenv(envSocket, s)
		if _, err := FromEnv(os.Getpid()); !errors.Is(err, ErrBadSocket) {
			t.Errorf("FromEnv() with NOTIFY_SOCKET=%q: err = %v; want ErrBadSocket", s, err)
		}
	}
}
