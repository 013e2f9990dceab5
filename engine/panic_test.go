package engine_test

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/arborgo/arbor/engine"
)

const thisPkg = "github.com/arborgo/arbor/engine_test."

//go:noinline
func panicWith(v any) error { panic(v) }

//go:noinline
func outerPanic(v any) error { return panicWith(v) }

var errBoom = errors.New("boom")

func TestCall(t *testing.T) {
	tests := []struct {
		name      string
		f         func() error
		wantErr   error // for non-panics, compared with ==
		wantPanic any   // for panics, compared with PanicError.Value
	}{
		{name: "nil", f: func() error { return nil }},
		{name: "error", f: func() error { return errBoom }, wantErr: errBoom},
		{name: "panic string", f: func() error { return panicWith("bad") }, wantPanic: "bad"},
		{name: "panic int", f: func() error { return panicWith(42) }, wantPanic: 42},
		{name: "panic error", f: func() error { return panicWith(errBoom) }, wantPanic: errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := engine.Call(tt.f)
			var pe *engine.PanicError
			isPanic := errors.As(err, &pe)
			if got, want := isPanic, tt.wantPanic != nil; got != want {
				t.Fatalf("errors.As(%v, *PanicError) = %v; want %v", err, got, want)
			}
			if !isPanic {
				if err != tt.wantErr {
					t.Errorf("got %v; want %v", err, tt.wantErr)
				}
				return
			}
			if got, want := pe.Value, tt.wantPanic; got != want {
				t.Errorf("Value = %v; want %v", got, want)
			}
			if got, want := strings.HasPrefix(pe.Error(), fmt.Sprintf("panic: %v\n", tt.wantPanic)), true; got != want {
				t.Errorf("Error() = %q starts with the value: got %v; want %v", pe.Error(), got, want)
			}
		})
	}
}

func TestPanicErrorStackStartsAtPanic(t *testing.T) {
	err := engine.Call(func() error { return outerPanic("x") })
	var pe *engine.PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("errors.As(%v, *PanicError) = false; want true", err)
	}
	stack := pe.Stack()
	funcs := stackFuncs(stack)
	if len(funcs) < 2 {
		t.Fatalf("stack has %d frames; want at least 2:\n%s", len(funcs), stack)
	}
	// The innermost frames are the code that panicked, then its caller: not
	// runtime.gopanic and not the deferred recover in Call.
	if got, want := funcs[0], thisPkg+"panicWith"; got != want {
		t.Errorf("frame 0 = %v; want %v\n%s", got, want, stack)
	}
	if got, want := funcs[1], thisPkg+"outerPanic"; got != want {
		t.Errorf("frame 1 = %v; want %v\n%s", got, want, stack)
	}
	for _, f := range funcs {
		if f == "runtime.gopanic" || strings.HasPrefix(f, "github.com/arborgo/arbor/engine.Call.func") {
			t.Errorf("stack holds frame %v; want none of the panic machinery\n%s", f, stack)
		}
	}
	if got, want := strings.Contains(pe.Error(), stack), true; got != want {
		t.Errorf("Error() contains Stack(): got %v; want %v", got, want)
	}
	// Frames and Stack describe the same stack.
	var fromFrames []string
	frames := runtime.CallersFrames(pe.Frames())
	for {
		f, more := frames.Next()
		fromFrames = append(fromFrames, f.Function)
		if !more {
			break
		}
	}
	if got, want := strings.Join(fromFrames, " "), strings.Join(funcs, " "); got != want {
		t.Errorf("Frames() = %v; want %v", got, want)
	}
}

func TestPanicErrorUnwrap(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  error
	}{
		{name: "error value", value: errBoom, want: errBoom},
		{name: "wrapped error value", value: fmt.Errorf("ctx: %w", errBoom), want: errBoom},
		{name: "string value", value: "boom", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := engine.Call(func() error { return panicWith(tt.value) })
			if got, want := errors.Is(err, errBoom), tt.want != nil; got != want {
				t.Errorf("errors.Is(err, errBoom) = %v; want %v", got, want)
			}
			if tt.want == nil {
				if got := errors.Unwrap(err); got != nil {
					t.Errorf("Unwrap() = %v; want %v", got, nil)
				}
			}
		})
	}
}

func TestNewPanicErrorFromOwnRecover(t *testing.T) {
	var pe *engine.PanicError
	func() {
		defer func() {
			pe = engine.NewPanicError(recover(), 0)
		}()
		_ = panicWith("own")
	}()
	funcs := stackFuncs(pe.Stack())
	if len(funcs) == 0 {
		t.Fatalf("empty stack")
	}
	if got, want := funcs[0], thisPkg+"panicWith"; got != want {
		t.Errorf("frame 0 = %v; want %v\n%s", got, want, pe.Stack())
	}
}

func TestCallPanicAllocs(t *testing.T) {
	if raceEnabled() {
		t.Skip("the race detector changes allocation counts")
	}
	// NewPanicError trims the stack with runtime.CallersFrames at capture
	// time, which allocates a runtime.Frames and symbolises the frames up to
	// runtime.gopanic: two allocations, and the very symbolisation the doc
	// promises to defer. Remove this skip once the trim moves to Frames and
	// Stack.
	f := func() error { panic("boom") }
	allocs := testing.AllocsPerRun(100, func() { _ = engine.Call(f) })
	if got, want := allocs, 1.0; got > want {
		t.Errorf("Call of a panicking func allocates %v times; want at most %v", got, want)
	}
}

func BenchmarkCallPanic(b *testing.B) {
	f := func() error { panic("boom") }
	b.ReportAllocs()
	for b.Loop() {
		_ = engine.Call(f)
	}
}

// raceEnabled reports whether the test binary was built with -race, which
// adds allocations of its own.
func raceEnabled() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// stackFuncs returns the function names of a Stack() text, innermost first.
func stackFuncs(stack string) []string {
	var funcs []string
	for _, line := range strings.Split(stack, "\n") {
		if line != "" && !strings.HasPrefix(line, "\t") {
			funcs = append(funcs, line)
		}
	}
	return funcs
}
