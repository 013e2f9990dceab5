// stackHandler prints the stack of a log record as indented lines
// beneath the record, for handlers that write a record as one line for
// people (tint, slog.TextHandler). Such a handler quotes a multi-line value,
// so a panic's stack becomes one long line with its newlines escaped as
// \n\t, unreadable on a terminal. JSON output needs none of this: there the
// stack stays one field.

package logging

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// stackKey is the attribute that carries a stack: the supervisor's key for the
// stack of a panic, also used by the examples for a recovered handler panic.
const stackKey = "stack"

// maxKept bounds the buffer a stackHandler keeps between records, so that one
// huge record does not pin its memory for the rest of the program.
const maxKept = 64 << 10

// stackHandler wraps a line-per-record handler. A record with a multi-line
// string attribute named [stackKey] is handled without it, and the stack's lines
// follow the record's line, indented, in the same write: no other record of
// the same logger can come between them. Every other record passes through
// unchanged.
type stackHandler struct {
	inner slog.Handler
	out   *sink
}

// sink is the writer of the wrapped handler: it collects one record's
// output, under mu, which the stackHandler holds for the whole record.
type sink struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

func (s *sink) Write(p []byte) (int, error) {
	s.buf = append(s.buf, p...)
	return len(p), nil
}

// newStackHandler returns a stackHandler that writes to w through the handler that
// newHandler builds on the writer it is given (for example
// func(w io.Writer) slog.Handler { return tint.NewHandler(w, opts) }).
func newStackHandler(w io.Writer, newHandler func(io.Writer) slog.Handler) *stackHandler {
	s := &sink{w: w}
	return &stackHandler{inner: newHandler(s), out: s}
}

// Enabled reports what the wrapped handler reports.
func (h *stackHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

// WithAttrs returns a stackHandler around the wrapped handler's WithAttrs,
// sharing this one's writer and lock.
func (h *stackHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &stackHandler{inner: h.inner.WithAttrs(as), out: h.out}
}

// WithGroup returns a stackHandler around the wrapped handler's WithGroup,
// sharing this one's writer and lock.
func (h *stackHandler) WithGroup(name string) slog.Handler {
	return &stackHandler{inner: h.inner.WithGroup(name), out: h.out}
}

// Handle writes the record, then its stack, if any, as indented lines.
func (h *stackHandler) Handle(ctx context.Context, r slog.Record) error {
	stack, rest := split(r)
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	h.out.buf = h.out.buf[:0]
	err := h.inner.Handle(ctx, rest)
	if stack != "" {
		h.out.buf = appendIndented(h.out.buf, stack)
	}
	var werr error
	if len(h.out.buf) > 0 {
		_, werr = h.out.w.Write(h.out.buf)
	}
	if cap(h.out.buf) > maxKept {
		h.out.buf = nil
	}
	return errors.Join(err, werr)
}

// split returns the record's stack and the record without it; a record
// without a multi-line stack is returned as it is.
func split(r slog.Record) (string, slog.Record) {
	var stack string
	r.Attrs(func(a slog.Attr) bool {
		if isStack(a) {
			stack = a.Value.String()
			return false
		}
		return true
	})
	if stack == "" {
		return "", r
	}
	rest := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	taken := false
	r.Attrs(func(a slog.Attr) bool {
		if !taken && isStack(a) {
			taken = true
		} else {
			rest.AddAttrs(a)
		}
		return true
	})
	return stack, rest
}

func isStack(a slog.Attr) bool {
	return a.Key == stackKey && a.Value.Kind() == slog.KindString && strings.Contains(a.Value.String(), "\n")
}

// appendIndented appends the stack's lines, each indented by four spaces
// and its leading tabs (a traceback's file lines) by four more each, so a
// frame reads as its function with its file beneath.
func appendIndented(b []byte, stack string) []byte {
	for line := range strings.Lines(stack) {
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		b = append(b, "    "...)
		for strings.HasPrefix(line, "\t") {
			b = append(b, "    "...)
			line = line[1:]
		}
		b = append(b, line...)
		b = append(b, '\n')
	}
	return b
}
