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

// The values of --log-format.
const (
	Auto = "auto" // Text on a terminal, JSON otherwise
	Text = "text" // human lines, coloured on a terminal
	JSON = "json" // one JSON object per line
)

// New returns a logger that writes to w in format (Auto, Text or JSON).
// Colour is used only when w is a terminal and $NO_COLOR is unset.
func New(w io.Writer, format string) (*slog.Logger, error) {
	tty := IsTerminal(w)
	switch format {
	case Auto, "":
		if !tty {
			return slog.New(slog.NewJSONHandler(w, nil)), nil
		}
	case JSON:
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	case Text:
	default:
		return nil, fmt.Errorf("unknown log format %q, expected auto, text or json", format)
	}
	opts := &tint.Options{TimeFormat: time.TimeOnly + ".000", NoColor: !tty || os.Getenv("NO_COLOR") != ""}
	// A panic's stack goes beneath its record as indented lines; JSON
	// keeps it as one field.
	return slog.New(newStackHandler(w, func(w io.Writer) slog.Handler { return tint.NewHandler(w, opts) })), nil
}

// IsTerminal reports whether w is a file that is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(int(f.Fd()))
}
