package logging

import (
	"context"
	"fmt"
	"log/slog"
)

func parseLevel(s string) (slog.Level, error) {
	switch s {
	case Debug:
		return slog.LevelDebug, nil
	case Info, "":
		return slog.LevelInfo, nil
	case Warn:
		return slog.LevelWarn, nil
	case Error:
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("--log-level: unknown level %q, expected debug, info, warn or error", s)
}

// levelFilter drops supervise's own records below min. A child's output
// line (a record with a "stream" attribute) passes whatever its level:
// child output is never dropped, and a quiet supervise must not silence
// its children. So Enabled cannot decide by level alone; Handle does.
type levelFilter struct {
	next slog.Handler
	min  slog.Level
}

// Enabled lets Info through below min, as a child's output lines are
// Info; every other level below min is not even built.
func (h *levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return (l >= h.min || l == slog.LevelInfo) && h.next.Enabled(ctx, l)
}

func (h *levelFilter) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= h.min || isOutput(r) {
		return h.next.Handle(ctx, r)
	}
	return nil
}

func (h *levelFilter) WithAttrs(as []slog.Attr) slog.Handler {
	return &levelFilter{next: h.next.WithAttrs(as), min: h.min}
}

func (h *levelFilter) WithGroup(name string) slog.Handler {
	return &levelFilter{next: h.next.WithGroup(name), min: h.min}
}

// isOutput reports whether r is a line of a child's output.
func isOutput(r slog.Record) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		found = a.Key == "stream"
		return !found
	})
	return found
}
