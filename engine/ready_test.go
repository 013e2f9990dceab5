package engine_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/arborgo/arbor/engine"
)

type countingSignaler struct{ n atomic.Int32 }

func (c *countingSignaler) SignalReady() { c.n.Add(1) }

// withSignaler is how a test hands readiness to a countingSignaler.
func withSignaler(ctx context.Context, s *countingSignaler) context.Context {
	return engine.WithReady(ctx, s.SignalReady)
}

func TestReady(t *testing.T) {
	tests := []struct {
		name string
		ctx  func(*countingSignaler) context.Context
		want int32
	}{
		{
			name: "signaler",
			ctx: func(s *countingSignaler) context.Context {
				return withSignaler(context.Background(), s)
			},
			want: 1,
		},
		{
			name: "derived from signaler",
			ctx: func(s *countingSignaler) context.Context {
				ctx := withSignaler(context.Background(), s)
				ctx = engine.WithPath(ctx, "root/x")
				ctx, cancel := context.WithCancel(ctx)
				cancel() // a cancelled run may still say it was ready
				return ctx
			},
			want: 1,
		},
		{
			name: "plain",
			ctx:  func(*countingSignaler) context.Context { return context.Background() },
			want: 0,
		},
		{
			name: "own context type",
			ctx: func(s *countingSignaler) context.Context {
				return keyedContext{Context: context.Background(), marker: readyMarker, val: s}
			},
			want: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s countingSignaler
			engine.Ready(tt.ctx(&s))
			if got := s.n.Load(); got != tt.want {
				t.Errorf("SignalReady calls = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestPath(t *testing.T) {
	tests := []struct {
		name string
		ctx  context.Context
		want string
	}{
		{name: "plain", ctx: context.Background(), want: ""},
		{name: "with path", ctx: engine.WithPath(context.Background(), "root/jobs/consumer"), want: "root/jobs/consumer"},
		{name: "innermost wins", ctx: engine.WithPath(engine.WithPath(context.Background(), "root"), "root/web"), want: "root/web"},
		{name: "own context type", ctx: keyedContext{Context: context.Background(), marker: pathMarker, val: "root/own"}, want: "root/own"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := engine.Path(tt.ctx); got != tt.want {
				t.Errorf("Path = %q; want %q", got, tt.want)
			}
		})
	}
}

type readier struct {
	engine.Engine
	reports bool
}

func (r *readier) ReportsReady() bool { return r.reports }

// reportsReady is how a supervisor reads an engine's promise: only a
// Readier that answers true promises to call Ready.
func reportsReady(e engine.Engine) bool {
	r, ok := e.(engine.Readier)
	return ok && r.ReportsReady()
}

func TestReportsReady(t *testing.T) {
	tests := []struct {
		name string
		e    engine.Engine
		want bool
	}{
		{name: "plain engine", e: engine.FromFunc(nil), want: false},
		{name: "readier true", e: &readier{Engine: engine.FromFunc(nil), reports: true}, want: true},
		{name: "readier false", e: &readier{Engine: engine.FromFunc(nil), reports: false}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reportsReady(tt.e); got != tt.want {
				t.Errorf("ReportsReady = %v; want %v", got, tt.want)
			}
		})
	}
}

// The markers by which a runner's own context type recognises the keys of
// engine.Ready and engine.Path, as the supervisor's run context does.
const (
	readyMarker = iota
	pathMarker
)

// keyedContext answers one key itself, as a runner's own context type does:
// the key it answers is the one with the marker method.
type keyedContext struct {
	context.Context
	marker int
	val    any
}

func (c keyedContext) Value(key any) any {
	switch key.(type) {
	case interface{ EngineReadyKey() }:
		if c.marker == readyMarker {
			return c.val
		}
	case interface{ EnginePathKey() }:
		if c.marker == pathMarker {
			return c.val
		}
	}
	return c.Context.Value(key)
}

// TestWithReadySeesRepeats: unlike a supervisor, which heeds only the
// first, WithReady's function runs on every call, so a test can tell an
// engine that reports once from one that reports twice.
func TestWithReadySeesRepeats(t *testing.T) {
	var s countingSignaler
	ctx := withSignaler(context.Background(), &s)
	engine.Ready(ctx)
	engine.Ready(ctx)
	if got, want := s.n.Load(), int32(2); got != want {
		t.Errorf("calls = %v; want %v", got, want)
	}
}
