// Package stacklog prints the stack of a log record as indented lines
// beneath the record, for handlers that write a record as one line for
// people (tint, slog.TextHandler). Such a handler quotes a multi-line value,
// so a panic's stack becomes one long line with its newlines escaped as
// \n\t, unreadable on a terminal. JSON output needs none of this: there the
// stack stays one field.
package stacklog

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// Key is the attribute that carries a stack: the supervisor's key for the
// stack of a panic, also used by the examples for a recovered handler panic.
const Key = "stack"

// maxKept bounds the buffer a Handler keeps between records, so that one
// huge record does not pin its memory for the rest of the program.
const maxKept = 64 << 10

// Handler wraps a line-per-record handler. A record with a multi-line
// string attribute named [Key] is handled without it, and the stack's lines
// follow the record's line, indented, in the same write: no other record of
// the same logger can come between them. Every other record passes through
// unchanged.
type Handler struct {
	inner slog.Handler
	out   *sink
}

// sink is the writer of the wrapped handler: it collects one record's
// output, under mu, which the Handler holds for the whole record.
type sink struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

func (s *sink) Write(p []byte) (int, error) {
	s.buf = append(s.buf, p...)
	return len(p), nil
}

// New returns a Handler that writes to w through the handler that
// newHandler builds on the writer it is given (for example
// func(w io.Writer) slog.Handler { return tint.NewHandler(w, opts) }).
func New(w io.Writer, newHandler func(io.Writer) slog.Handler) *Handler {
	s := &sink{w: w}
	return &Handler{inner: newHandler(s), out: s}
}

// Enabled reports what the wrapped handler reports.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.inner.Enabled(ctx, l) }

// WithAttrs returns a Handler around the wrapped handler's WithAttrs,
// sharing this one's writer and lock.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	return &Handler{inner: h.inner.WithAttrs(as), out: h.out}
}

// WithGroup returns a Handler around the wrapped handler's WithGroup,
// sharing this one's writer and lock.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{inner: h.inner.WithGroup(name), out: h.out}
}

// Handle writes the record, then its stack, if any, as indented lines.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
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
	return a.Key == Key && a.Value.Kind() == slog.KindString && strings.Contains(a.Value.String(), "\n")
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
