//go:build linux

package process_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/engine/process"
)

// procDeadline bounds every wait of these tests, so that a regression
// fails instead of hanging; it never orders events.
const procDeadline = 5 * time.Second

// sh configures a Process that runs script with /bin/sh and logs to log.
func sh(log *captureLog, script string) process.Config {
	return process.Config{Argv: []string{"/bin/sh", "-c", script}, Logger: log.logger()}
}

// captureLog is a slog handler that keeps every record, for tests to look
// at from other goroutines.
type captureLog struct {
	mu      sync.Mutex
	records []capturedRecord
}

type capturedRecord struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

func (c *captureLog) logger() *slog.Logger { return slog.New(&captureHandler{log: c}) }

func (c *captureLog) stream(name string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var lines []string
	for _, r := range c.records {
		if r.attrs["stream"] == name {
			lines = append(lines, r.msg)
		}
	}
	return lines
}

func (c *captureLog) all() []capturedRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]capturedRecord(nil), c.records...)
}

// waitLine polls until a line of stream starts with prefix, and returns it.
func (c *captureLog) waitLine(t *testing.T, stream, prefix string) string {
	t.Helper()
	var got string
	poll(t, "a "+stream+" line starting with "+prefix, func() bool {
		for _, l := range c.stream(stream) {
			if strings.HasPrefix(l, prefix) {
				got = l
				return true
			}
		}
		return false
	})
	return got
}

// waitPid waits for a line "prefix PID" and returns the PID.
func (c *captureLog) waitPid(t *testing.T, prefix string) int {
	t.Helper()
	l := c.waitLine(t, "stdout", prefix+" ")
	pid, err := strconv.Atoi(strings.TrimPrefix(l, prefix+" "))
	if err != nil {
		t.Fatalf("line %q: %v", l, err)
	}
	return pid
}

type captureHandler struct {
	log   *captureLog
	attrs []slog.Attr
}

func (h *captureHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *captureHandler) Handle(_ context.Context, r slog.Record) error {
	rec := capturedRecord{level: r.Level, msg: r.Message, attrs: map[string]string{}}
	for _, a := range h.attrs {
		rec.attrs[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool {
		rec.attrs[a.Key] = a.Value.String()
		return true
	})
	h.log.mu.Lock()
	h.log.records = append(h.log.records, rec)
	h.log.mu.Unlock()
	return nil
}

func (h *captureHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &captureHandler{log: h.log, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}

func (h *captureHandler) WithGroup(string) slog.Handler { return h }

// readyChan is a ReadySignaler that closes C on the first SignalReady.
type readyChan struct {
	once sync.Once
	C    chan struct{}
}

func newReadyChan() *readyChan { return &readyChan{C: make(chan struct{})} }

func (r *readyChan) SignalReady() { r.once.Do(func() { close(r.C) }) }

// start runs p.Run on a goroutine with a context that has a path and the
// returned ReadySignaler; the channel yields Run's result.
func start(t *testing.T, ctx context.Context, p *process.Process) (<-chan error, *readyChan) {
	t.Helper()
	ready := newReadyChan()
	ctx = engine.WithReadySignaler(engine.WithPath(ctx, "root/"+t.Name()), ready)
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	return done, ready
}

// result waits for Run's result.
func result(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(procDeadline):
		t.Fatal("Run did not return")
		return nil
	}
}

func waitReady(t *testing.T, r *readyChan) {
	t.Helper()
	select {
	case <-r.C:
	case <-time.After(procDeadline):
		t.Fatal("no readiness")
	}
}

// poll checks cond until it holds, failing the test at procDeadline.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(procDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// gone reports whether pid is dead: no such process, or a zombie that
// nobody reaped yet (in a container, PID 1 may never do it).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return os.IsNotExist(err)
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && len(s) > i+2 && s[i+2] == 'Z'
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	poll(t, "process "+strconv.Itoa(pid)+" to die", func() bool { return gone(pid) })
}

func exitError(t *testing.T, err error) *process.ExitError {
	t.Helper()
	var ee *process.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("Run = %v, want an *ExitError", err)
	}
	return ee
}

func stopCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
