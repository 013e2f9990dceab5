package engine

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
)

// maxPanicFrames bounds the stack a [PanicError] keeps. Deeper stacks are
// cut at the bottom, where the frames are the runtime's and the
// supervisor's, not the code that panicked.
const maxPanicFrames = 48

// PanicError is a recovered panic, turned into an error value: the value
// passed to panic and the stack of the goroutine that panicked.
//
// Capturing it costs one small allocation and a walk of program counters;
// the stack is symbolised and formatted only when [PanicError.Stack] or
// [PanicError.Error] is called, so a crash loop does not pay for text that
// nobody reads. Reach it with errors.As.
type PanicError struct {
	// Value is the value that was passed to panic.
	Value any
	n     int
	pcs   [maxPanicFrames]uintptr
	trim  sync.Once
	first int // index of the panicking frame, found on first read
}

// NewPanicError captures the stack of the current goroutine as the stack of
// a panic with value v. Call it from the deferred function that recovered
// the panic, so that the frames of the panicking code are still on the
// stack; skip counts further frames to leave out above the caller. It
// records program counters only: symbols are looked up when read.
func NewPanicError(v any, skip int) *PanicError {
	p := &PanicError{Value: v}
	p.n = runtime.Callers(skip+2, p.pcs[:])
	return p
}

// panicking returns the program counters from the frame that panicked on,
// leaving out the recovering defer and the runtime's panic machinery
// (runtime.gopanic, and runtime.sigpanic or runtime.panicmem for faults),
// as Go's own tracebacks do.
func (p *PanicError) panicking() []uintptr {
	p.trim.Do(func() {
		frames := runtime.CallersFrames(p.pcs[:p.n])
		seenPanic := false
		for i := 0; ; i++ {
			f, more := frames.Next()
			if f.Function == "runtime.gopanic" {
				seenPanic = true
				p.first = i + 1
			} else if seenPanic && strings.HasPrefix(f.Function, "runtime.") {
				p.first = i + 1
			} else if seenPanic {
				return
			}
			if !more {
				return
			}
		}
	})
	return p.pcs[p.first:p.n:p.n]
}

// Error returns "panic: VALUE" followed by the formatted stack.
func (p *PanicError) Error() string {
	return fmt.Sprintf("panic: %v\n\n%s", p.Value, p.Stack())
}

// Unwrap returns the panic value when it is an error, so that errors.Is and
// errors.As see through a panic(err).
func (p *PanicError) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// Stack formats the stack in the style of a Go traceback: a function name,
// then its file and line, per frame.
func (p *PanicError) Stack() string {
	var b strings.Builder
	frames := runtime.CallersFrames(p.panicking())
	for {
		f, more := frames.Next()
		if f.Function != "" {
			fmt.Fprintf(&b, "%s\n\t%s:%d\n", f.Function, f.File, f.Line)
		}
		if !more {
			break
		}
	}
	return b.String()
}

// Call runs f and returns its error, or a [*PanicError] when f panics.
// Runners of user code use it for every call they make into an engine.
func Call(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = NewPanicError(v, 1)
		}
	}()
	return f()
}
