package build

import (
	"context"
	"errors"
	"log/slog"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/engine"
)

// exitHandler adds the keys "code" (the exit code) or "signal" (the name of
// the signal that killed it) to the supervisor's records of a process
// exit. The supervisor logs its error as text only, so the handler looks
// the error up by path in the tree, whose Proc recorded it before the
// supervisor learned of the exit.
type exitHandler struct {
	slog.Handler
	lastExit func(path string) (error, bool)
}

func withExitCodes(h slog.Handler, lastExit func(string) (error, bool)) slog.Handler {
	return exitHandler{h, lastExit}
}

// exitEvents are the events whose record says how a run ended.
var exitEvents = map[string]bool{"exited": true, "start_failed": true, "restarting": true, "gave_up": true}

func (h exitHandler) Handle(ctx context.Context, r slog.Record) error {
	var event, path string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "event":
			event = a.Value.String()
		case "path":
			path = a.Value.String()
		}
		return true
	})
	if !exitEvents[event] {
		return h.Handler.Handle(ctx, r)
	}
	if attr, ok := exitAttr(h.lastExit(path)); ok {
		r = r.Clone()
		r.AddAttrs(attr)
	}
	return h.Handler.Handle(ctx, r)
}

// exitAttr is the code or signal of an ended run, if it ran at all.
func exitAttr(err error, ended bool) (slog.Attr, bool) {
	var ee *engine.ExitError
	switch {
	case !ended:
		return slog.Attr{}, false
	case err == nil:
		return slog.Int("code", 0), true
	case errors.As(err, &ee) && ee.Signaled:
		return slog.String("signal", signalName(ee)), true
	case errors.As(err, &ee):
		return slog.Int("code", ee.Code), true
	}
	return slog.Attr{}, false
}

func signalName(ee *engine.ExitError) string {
	if n := config.SignalName(ee.Signal); n != "" {
		return n
	}
	return ee.Signal.String()
}

func (h exitHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return exitHandler{h.Handler.WithAttrs(as), h.lastExit}
}

func (h exitHandler) WithGroup(name string) slog.Handler {
	return exitHandler{h.Handler.WithGroup(name), h.lastExit}
}
