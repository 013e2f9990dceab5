package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

func TestMain(m *testing.M) {
	// The engine starts every process from one goroutine that never ends.
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/arborgo/arbor/engine/process.spawnLoop"))
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runTree runs yaml with a fake signal seam: sig sends its signals in
// order, SIGTERM when given none.
func runTree(t *testing.T, yaml string) (sig func(...os.Signal), wait func() int, log *syncBuffer) {
	t.Helper()
	file, err := config.Parse("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "dmn")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	log = &syncBuffer{}
	var stderr syncBuffer
	// The Notify seam: the test feeds signals by hand.
	var sigc chan<- os.Signal
	ready := make(chan struct{})
	notify := func(c chan<- os.Signal, _ ...os.Signal) func() { sigc = c; close(ready); return func() {} }
	codec := make(chan int, 1)
	go func() {
		codec <- Run(context.Background(), Options{File: file, Socket: filepath.Join(dir, "s.sock"),
			Logger: slog.New(slog.NewJSONHandler(log, nil)), Stderr: &stderr, Notify: notify})
	}()
	<-ready
	sig = func(sigs ...os.Signal) {
		if len(sigs) == 0 {
			sigs = []os.Signal{syscall.SIGTERM}
		}
		for _, s := range sigs {
			sigc <- s
		}
	}
	wait = func() int {
		select {
		case code := <-codec:
			return code
		case <-time.After(10 * time.Second):
			t.Fatalf("Run did not return; log:\n%s", log.String())
			return -1
		}
	}
	return sig, wait, log
}

func waitLog(t *testing.T, log *syncBuffer, s string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(log.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s in log:\n%s", s, log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSignalStopsTreeExitZero(t *testing.T) {
	sig, wait, log := runTree(t, "name: r\nchildren:\n  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}\n")
	waitLog(t, log, `"event":"started","path":"r/a"`)
	sig()
	if code := wait(); code != ExitOK {
		t.Errorf("exit code %d, want 0", code)
	}
}

func TestSecondSignalExits130(t *testing.T) {
	sig, wait, log := runTree(t, "name: r\nchildren:\n  - {name: a, shutdown: 30s, command: [/bin/sh, -c, \"trap '' TERM; echo up; exec sleep 100\"], ready: {log: up}}\n")
	waitLog(t, log, `"event":"ready","path":"r/a"`)
	sig()
	waitLog(t, log, `"event":"stopping","path":"r/a"`)
	time.Sleep(sameStopWithin) // a stop signal within it is the first one again
	sig()
	if code := wait(); code != ExitInterrupted {
		t.Errorf("exit code %d, want %d", code, ExitInterrupted)
	}
	waitLog(t, log, `"event":"kill_all"`)
}

func TestGiveUpExitsOne(t *testing.T) {
	_, wait, _ := runTree(t, "name: r\nintensity: 1\nbackoff: {initial: 0s, max: 0s}\nchildren:\n  - {name: a, command: [/bin/sh, -c, 'exit 1']}\n")
	if code := wait(); code != ExitGaveUp {
		t.Errorf("exit code %d, want 1", code)
	}
}

func TestTreeEndingOnItsOwnExitsZero(t *testing.T) {
	_, wait, _ := runTree(t, "name: r\nauto_shutdown: any_significant\nchildren:\n  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}\n  - {name: job, restart: transient, significant: true, command: [/bin/sh, -c, 'exit 0']}\n")
	if code := wait(); code != ExitOK {
		t.Errorf("exit code %d, want 0", code)
	}
}

// When the tree gives up, a JSON log gets the reason as the "error" of its
// last record and stderr gets nothing else; a text log gets a human line.
func TestGiveUpReason(t *testing.T) {
	const yaml = "name: r\nintensity: 1\nbackoff: {initial: 0s, max: 0s}\nchildren:\n  - {name: a, command: [/bin/sh, -c, 'exit 1']}\n"
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			file, err := config.Parse("t.yaml", []byte(yaml))
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer // the logger and Stderr share it, as on a real stderr
			h := slog.Handler(slog.NewJSONHandler(&out, nil))
			if format == "text" {
				h = slog.NewTextHandler(&out, nil)
			}
			code := Run(context.Background(), Options{File: file, Socket: filepath.Join(t.TempDir(), "s.sock"),
				Logger: slog.New(h), Stderr: &out, Notify: func(chan<- os.Signal, ...os.Signal) func() { return func() {} }})
			if code != ExitGaveUp {
				t.Fatalf("exit code %d, want %d", code, ExitGaveUp)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			last := lines[len(lines)-1]
			if format == "json" {
				for _, l := range lines {
					if !json.Valid([]byte(l)) {
						t.Errorf("not JSON: %q", l)
					}
				}
				var m map[string]any
				_ = json.Unmarshal([]byte(last), &m)
				if e, _ := m["error"].(string); m["event"] != "supervise_exiting" || !strings.Contains(e, "intensity") {
					t.Errorf("last record %s, want supervise_exiting with the error", last)
				}
				return
			}
			if !strings.Contains(out.String(), "\nsupervise: ") || !strings.Contains(last, "event=supervise_exiting") {
				t.Errorf("text output lacks the human line or the exiting record:\n%s", out.String())
			}
		})
	}
}

// A stop signal that comes again within sameStopWithin is the same
// request delivered twice: it is logged as such, and the stop goes on.
func TestSameStopSignalTwiceIsOneStop(t *testing.T) {
	sig, wait, log := runTree(t, "name: r\nchildren:\n  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}\n")
	waitLog(t, log, `"event":"started","path":"r/a"`)
	sig(syscall.SIGTERM, syscall.SIGTERM)
	if code := wait(); code != ExitOK {
		t.Errorf("exit code %d, want 0", code)
	}
	if n := strings.Count(log.String(), `"msg":"signal received; stopping the tree in reverse start order"`); n != 1 {
		t.Errorf("%d records of the stop; want 1", n)
	}
	waitLog(t, log, `"msg":"signal received again; the stop is under way"`)
}
