package sdnotify

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// listen binds a test socket: a file path, or an abstract name.
func listen(t *testing.T, abstract bool) *Conn {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	if abstract {
		path = "@arbor-sdnotify-test-" + t.Name()
	}
	c, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// notifier sends to c as FromEnv would after systemd set NOTIFY_SOCKET.
func notifier(t *testing.T, c *Conn) *Notifier {
	t.Helper()
	t.Setenv(envSocket, c.LocalAddr())
	n, err := FromEnv(os.Getpid())
	if err != nil || n == nil {
		t.Fatalf("FromEnv() = %v, %v", n, err)
	}
	return n
}

func read(t *testing.T, c *Conn) (Cred, Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cred, m, err := c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return cred, m
}

// A message sent by Notify arrives whole, with this process's credentials,
// on a path socket and on an abstract one.
func TestNotifyReceived(t *testing.T) {
	for _, abstract := range []bool{false, true} {
		t.Run(map[bool]string{false: "path", true: "abstract"}[abstract], func(t *testing.T) {
			c := listen(t, abstract)
			if abstract != strings.HasPrefix(c.LocalAddr(), "@") {
				t.Fatalf("LocalAddr() = %q", c.LocalAddr())
			}
			n := notifier(t, c)
			if err := n.Notify("READY=1\nSTATUS=2 running"); err != nil {
				t.Fatal(err)
			}
			cred, m := read(t, c)
			if want := (Message{Ready: true, Status: "2 running", HasStatus: true}); m != want {
				t.Errorf("message = %+v; want %+v", m, want)
			}
			if want := (Cred{PID: os.Getpid(), UID: os.Getuid(), GID: os.Getgid()}); cred != want {
				t.Errorf("cred = %+v; want %+v", cred, want)
			}
		})
	}
}

// An oversize datagram is dropped and counted, and the next one is read.
func TestOversizeDropped(t *testing.T) {
	c := listen(t, false)
	n := notifier(t, c)
	if err := n.Notify("STATUS=" + strings.Repeat("x", MaxDatagram)); err != nil {
		t.Fatal(err)
	}
	if err := n.Notify("STOPPING=1"); err != nil {
		t.Fatal(err)
	}
	if _, m := read(t, c); m != (Message{Stopping: true}) {
		t.Errorf("message = %+v; want STOPPING=1 only", m)
	}
	if got, want := c.Dropped(), (Dropped{Oversize: 1}); got != want {
		t.Errorf("Dropped() = %+v; want %+v", got, want)
	}
}

// A message of exactly MaxDatagram bytes is not oversize.
func TestMaxDatagramKept(t *testing.T) {
	c := listen(t, false)
	n := notifier(t, c)
	msg := "WATCHDOG=1\nX=" + strings.Repeat("x", MaxDatagram-len("WATCHDOG=1\nX="))
	if err := n.Notify(msg); err != nil {
		t.Fatal(err)
	}
	if _, m := read(t, c); !m.Watchdog {
		t.Errorf("message = %+v; want WATCHDOG=1", m)
	}
}

// Descriptors passed with a message are closed, not left open in supervise.
func TestPassedFDsClosed(t *testing.T) {
	c := listen(t, false)
	before := openFDs(t)
	s, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(s)
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fds := make([]int, 40) // more than fit: the kernel drops the rest
	for i := range fds {
		fds[i] = int(f.Fd())
	}
	if err := unix.Sendmsg(s, []byte("READY=1"), unix.UnixRights(fds...), &unix.SockaddrUnix{Name: c.LocalAddr()}, 0); err != nil {
		t.Fatal(err)
	}
	if _, m := read(t, c); !m.Ready {
		t.Errorf("message = %+v; want READY=1", m)
	}
	if got := openFDs(t); got != before+2 { // the sender's socket and the file
		t.Errorf("%d descriptors open after the read; want %d", got, before+2)
	}
}

func openFDs(t *testing.T) int {
	t.Helper()
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip(err)
	}
	return len(es) - 1 // ReadDir's own
}

// Read returns ctx.Err() when ctx ends first, and the next Read works.
func TestReadCancel(t *testing.T) {
	c := listen(t, false)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, _, err := c.Read(ctx)
		errc <- err
	}()
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Read() = %v; want context.Canceled", err)
	}
	dctx, dcancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer dcancel()
	if _, _, err := c.Read(dctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Read() = %v; want context.DeadlineExceeded", err)
	}
	if err := notifier(t, c).Notify("READY=1"); err != nil {
		t.Fatal(err)
	}
	if _, m := read(t, c); !m.Ready {
		t.Errorf("message = %+v; want READY=1", m)
	}
}

// Close ends a Read with net.ErrClosed and removes the socket file.
func TestCloseRemoves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.sock")
	c, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, _, err := c.Read(context.Background())
		errc <- err
	}()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Errorf("Read() = %v; want net.ErrClosed", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket file still there: %v", err)
	}
}
