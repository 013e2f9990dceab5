package engine

import "context"

// WithPath returns a copy of ctx whose Path is path, as a supervisor's run
// context answers it.
func WithPath(ctx context.Context, path string) context.Context {
	return context.WithValue(ctx, pathKey{}, path)
}

// Frames returns the program counters Stack formats, so that a test can
// check the two describe the same stack.
func (p *PanicError) Frames() []uintptr { return p.panicking() }
