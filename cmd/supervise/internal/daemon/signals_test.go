package daemon

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/control"
)

const twoSleepers = "name: r\nchildren:\n" +
	"  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}\n" +
	"  - {name: b, command: [/bin/sh, -c, 'exec sleep 100']}\n"

// SIGTERM, SIGINT and SIGQUIT each stop the tree in reverse start order
// and exit 0.
func TestStopSignalsStopTreeInReverseOrder(t *testing.T) {
	for _, s := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT} {
		t.Run(signalName(s), func(t *testing.T) {
			sig, wait, log := runTree(t, twoSleepers)
			waitLog(t, log, `"event":"started","path":"r/b"`)
			sig(s)
			if code := wait(); code != ExitOK {
				t.Errorf("exit code %d; want 0", code)
			}
			if want := `"event":"signal","signal":"` + signalName(s) + `"`; !strings.Contains(log.String(), want) {
				t.Errorf("no %s in log:\n%s", want, log.String())
			}
			a := strings.Index(log.String(), `"event":"stopping","path":"r/a"`)
			b := strings.Index(log.String(), `"event":"stopping","path":"r/b"`)
			if a < 0 || b < 0 || b > a {
				t.Errorf("stopping r/b at %d, r/a at %d; want r/b first:\n%s", b, a, log.String())
			}
		})
	}
}

// Every other handled signal (SIGUSR1, SIGPIPE, SIGABRT, SIGSEGV sent by
// kill, ...) is logged as signal_ignored and leaves the tree running; a
// SIGPIPE is logged once however many come. SIGHUP, ignored by RunWith
// too, is a reload: logged as a signal with action reload.
func TestOtherSignalsAreLoggedAndIgnored(t *testing.T) {
	var ignored []os.Signal
	for _, s := range Signals() {
		if !stopsByDefault(s) {
			ignored = append(ignored, s)
		}
	}
	if len(ignored) < 10 || !slices.Contains(ignored, os.Signal(syscall.SIGHUP)) {
		t.Fatalf("ignored signals %v; want SIGHUP and the rest", ignored)
	}
	sig, wait, log := runTree(t, twoSleepers)
	waitLog(t, log, `"event":"started","path":"r/b"`)
	for _, s := range ignored {
		sig(s)
		if s == syscall.SIGHUP {
			waitLog(t, log, `"event":"signal","signal":"SIGHUP","action":"reload"`)
			continue
		}
		waitLog(t, log, `"event":"signal_ignored","signal":"`+signalName(s)+`"`)
	}
	// Signals are handled in order: once the second SIGHUP is logged, the
	// SIGPIPEs before it are done.
	sig(syscall.SIGPIPE, syscall.SIGPIPE, syscall.SIGHUP)
	waitCount(t, log, `"event":"signal","signal":"SIGHUP","action":"reload"`, 2)
	if n := strings.Count(log.String(), `"signal":"SIGPIPE"`); n != 1 {
		t.Errorf("%d SIGPIPE records; want 1", n)
	}
	if strings.Contains(log.String(), `"event":"stopping"`) {
		t.Fatalf("an ignored signal stopped a child:\n%s", log.String())
	}
	sig(syscall.SIGTERM)
	if code := wait(); code != ExitOK {
		t.Errorf("exit code %d; want 0", code)
	}
}

// More idle connections on the status socket than a default ulimit -n
// (1,100) do not stop the tree, and a status request is still answered.
func TestIdleStatusConnectionsDoNotStopTree(t *testing.T) {
	sig, wait, log := runTree(t, twoSleepers)
	waitLog(t, log, `"event":"started","path":"r/b"`)
	socket := socketOf(t, log)
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 1100 {
		c, err := net.Dial("unix", socket)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	st, err := control.Query(context.Background(), socket)
	if err != nil || len(st.Rows) != 2 || st.Rows[1].State != "running" {
		t.Fatalf("status with 1,100 idle connections = %+v, %v; want both children running", st, err)
	}
	sig()
	if code := wait(); code != ExitOK {
		t.Errorf("exit code %d; want 0", code)
	}
	if strings.Contains(log.String(), "control_failed") {
		t.Errorf("the status server failed:\n%s", log.String())
	}
}

// socketOf is the socket of the supervise_started record.
func socketOf(t *testing.T, log *syncBuffer) string {
	t.Helper()
	waitLog(t, log, `"event":"supervise_started"`)
	s := log.String()
	i := strings.Index(s, `"socket":"`)
	rest := s[i+len(`"socket":"`):]
	p := rest[:strings.IndexByte(rest, '"')]
	if !filepath.IsAbs(p) {
		t.Fatalf("socket %q", p)
	}
	return p
}

// waitCount waits until s is in the log n times.
func waitCount(t *testing.T, log *syncBuffer, s string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(log.String(), s) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%s not %d times in log:\n%s", s, n, log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The file's signals: key remaps: SIGTERM ignored, SIGUSR1 a stop; SIGHUP
// keeps its default, reload, logged with its action.
func TestFileSignalsRemapStopAndIgnore(t *testing.T) {
	sig, wait, log := runTree(t, "signals: {SIGTERM: ignore, usr1: stop}\n"+twoSleepers)
	waitLog(t, log, `"event":"started","path":"r/b"`)
	sig(syscall.SIGTERM, syscall.SIGHUP)
	waitLog(t, log, `"event":"signal_ignored","signal":"SIGTERM"`)
	waitLog(t, log, `"event":"signal","signal":"SIGHUP","action":"reload"`)
	if strings.Contains(log.String(), `"event":"stopping"`) {
		t.Fatalf("an ignored SIGTERM stopped a child:\n%s", log.String())
	}
	sig(syscall.SIGUSR1)
	if code := wait(); code != ExitOK {
		t.Errorf("exit code %d; want 0", code)
	}
	if want := `"event":"signal","signal":"SIGUSR1"`; !strings.Contains(log.String(), want) {
		t.Errorf("no %s in log:\n%s", want, log.String())
	}
}
