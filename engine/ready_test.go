package engine_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/arborgo/arbor/engine"
)

type countingSignaler struct{ n atomic.Int32 }

func (c *countingSignaler) SignalReady() { c.n.Add(1) }

func TestReady(t *testing.T) {
	tests := []struct {
		name string
		ctx  func(*countingSignaler) context.Context
		want int32
	}{
		{
			name: "signaler",
			ctx: func(s *countingSignaler) context.Context {
				return engine.WithReadySignaler(context.Background(), s)
			},
			want: 1,
		},
		{
			name: "derived from signaler",
			ctx: func(s *countingSignaler) context.Context {
				ctx := engine.WithReadySignaler(context.Background(), s)
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
				return keyedContext{Context: context.Background(), key: engine.ReadyKey(), val: s}
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
		{name: "own context type", ctx: keyedContext{Context: context.Background(), key: engine.PathKey(), val: "root/own"}, want: "root/own"},
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
	engine.Func
	reports bool
}

func (r *readier) ReportsReady() bool { return r.reports }

func TestReportsReady(t *testing.T) {
	tests := []struct {
		name string
		e    engine.Engine
		want bool
	}{
		{name: "plain engine", e: engine.FromFunc(nil), want: false},
		{name: "readier true", e: &readier{reports: true}, want: true},
		{name: "readier false", e: &readier{reports: false}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := engine.ReportsReady(tt.e); got != tt.want {
				t.Errorf("ReportsReady = %v; want %v", got, tt.want)
			}
		})
	}
}

// keyedContext answers one key itself, as a runner's own context type does.
type keyedContext struct {
	context.Context
	key, val any
}

func (c keyedContext) Value(key any) any {
	if key == c.key {
		return c.val
	}
	return c.Context.Value(key)
}
