// Package logging builds the supervise daemon's logger: human, coloured
// lines (github.com/lmittmann/tint), with a panic's stack as indented lines
// beneath its record, when standard error is a terminal, and JSON lines
// (slog.JSONHandler) otherwise, so that a log can be parsed back.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/lmittmann/tint"
)

// The values of --log-level.
const (
	Debug = "debug"
	Info  = "info"
	Warn  = "warn"
	Error = "error"
)

// The values of --log-format.
const (
	Auto = "auto" // Text on a terminal, JSON otherwise
	Text = "text" // human lines, coloured on a terminal
	JSON = "json" // one JSON object per line
)

// New returns a logger that writes to w in format (Auto, Text or JSON),
// dropping supervise's own records below level (Debug, Info, Warn or
// Error; "" is Info). Colour is used only when w is a terminal and
// $NO_COLOR is unset.
func New(w io.Writer, format, level string) (*slog.Logger, error) {
	least, err := parseLevel(level)
	if err != nil {
		return nil, err
	}
	h, err := newHandler(w, format)
	if err != nil {
		return nil, err
	}
	return slog.New(&levelFilter{next: h, min: least}), nil
}

func newHandler(w io.Writer, format string) (slog.Handler, error) {
	// Debug, so that the level filter above is the only one.
	jsonOpts := &slog.HandlerOptions{Level: slog.LevelDebug}
	tty := IsTerminal(w)
	switch format {
	case Auto, "":
		if !tty {
			return slog.NewJSONHandler(w, jsonOpts), nil
		}
	case JSON:
		return slog.NewJSONHandler(w, jsonOpts), nil
	case Text:
	default:
		return nil, fmt.Errorf("--log-format: unknown log format %q, expected auto, text or json", format)
	}
	opts := &tint.Options{Level: slog.LevelDebug, TimeFormat: time.TimeOnly + ".000", NoColor: !tty || os.Getenv("NO_COLOR") != ""}
	// A panic's stack goes beneath its record as indented lines; JSON
	// keeps it as one field.
	return newStackHandler(w, func(w io.Writer) slog.Handler { return tint.NewHandler(w, opts) }), nil
}

// IsTerminal reports whether w is a file that is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(int(f.Fd()))
}

// IsJSON reports whether log, made by New, writes JSON lines.
func IsJSON(log *slog.Logger) bool {
	h := log.Handler()
	if f, ok := h.(*levelFilter); ok {
		h = f.next
	}
	_, ok := h.(*slog.JSONHandler)
	return ok
}
