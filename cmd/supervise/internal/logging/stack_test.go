package logging

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/lmittmann/tint"
	"go.uber.org/goleak"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func tintOn(w io.Writer) slog.Handler {
	// No time: two handlers compared line by line may straddle a tick.
	noTime := func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		return a
	}
	return tint.NewHandler(w, &tint.Options{NoColor: true, ReplaceAttr: noTime})
}

// panicRecords runs a child that panics once under a supervisor that gives
// up at once, logging through h, and returns what was written.
func panicRecords(t *testing.T, h slog.Handler, out *bytes.Buffer) string {
	t.Helper()
	root := supervisor.New("r", supervisor.Config{Logger: slog.New(h), Intensity: supervisor.Zero},
		supervisor.Child{Name: "p", Engine: engine.FromFunc(func(context.Context) error { panic("boom") })})
	if err := root.Run(context.Background()); err == nil {
		t.Fatal("Run = nil; want the give-up")
	}
	return out.String()
}

// A panic's "exited" record is one line, without the stack, and the stack
// follows it as indented lines: a function, then its file one level deeper.
func TestPanicStackBeneathRecord(t *testing.T) {
	var out bytes.Buffer
	got := panicRecords(t, newStackHandler(&out, tintOn), &out)
	if strings.Contains(got, `\n`) || strings.Contains(got, `\t`) || strings.Contains(got, "stack=") {
		t.Fatalf("escaped stack in output:\n%s", got)
	}
	lines := strings.Split(got, "\n")
	i := 0
	for i < len(lines) && !strings.Contains(lines[i], "event=exited") {
		i++
	}
	if i+2 >= len(lines) {
		t.Fatalf("no exited record followed by a stack:\n%s", got)
	}
	if !strings.Contains(lines[i], `error="panic: boom"`) {
		t.Errorf("record %q; want its error", lines[i])
	}
	fn, file := lines[i+1], lines[i+2]
	if !strings.HasPrefix(fn, "    ") || strings.HasPrefix(fn, "     ") || !strings.Contains(fn, "logging.") {
		t.Errorf("first frame %q; want this test's function indented by 4", fn)
	}
	if !strings.HasPrefix(file, "        /") || !strings.Contains(file, "stack_test.go:") {
		t.Errorf("first file line %q; want its file indented by 8", file)
	}
	for _, l := range lines[i+1:] {
		if strings.Contains(l, "event=") {
			break
		}
		if l != "" && !strings.HasPrefix(l, "    ") {
			t.Errorf("stack line %q not indented", l)
		}
	}
}

// Records without a multi-line stack pass through as the wrapped handler
// writes them, a one-line "stack" included; WithAttrs and WithGroup keep
// the wrapper.
func TestOtherRecordsUnchanged(t *testing.T) {
	var plain, wrapped bytes.Buffer
	logs := []*slog.Logger{slog.New(tintOn(&plain)), slog.New(newStackHandler(&wrapped, tintOn))}
	for _, log := range logs {
		log.Info("hello", "stack", "one line", "n", 1)
		log.With("a", 1).WithGroup("g").Info("grouped", "stack", 7)
	}
	if plain.String() != wrapped.String() {
		t.Errorf("wrapped:\n%s\nwant:\n%s", wrapped.String(), plain.String())
	}
	wrapped.Reset()
	slog.New(newStackHandler(&wrapped, tintOn)).With("path", "r/a").Error("x", "stack", "f\n\tf.go:1\n", "after", 2)
	if got, want := wrapped.String(), "ERR x path=r/a after=2\n    f\n        f.go:1\n"; !strings.HasSuffix(got, want) {
		t.Errorf("got %q; want it to end in %q", got, want)
	}
}

// A record and its stack reach the writer in one Write, so concurrent
// records never split them.
func TestOneWritePerRecord(t *testing.T) {
	w := &countWriter{}
	log := slog.New(newStackHandler(w, tintOn))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				log.Error("x", "stack", "f\n\tf.go:1\ng\n\tg.go:2\n")
			}
		})
	}
	wg.Wait()
	if w.writes != 400 {
		t.Errorf("%d writes; want 400, one per record", w.writes)
	}
	for _, b := range w.bufs {
		if strings.Count(b, "\n") != 5 || !strings.HasSuffix(b, "    g\n        g.go:2\n") {
			t.Fatalf("write %q; want a record and its 4 stack lines", b)
		}
	}
}

type countWriter struct {
	mu     sync.Mutex
	writes int
	bufs   []string
}

func (w *countWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	w.bufs = append(w.bufs, string(p))
	return len(p), nil
}
