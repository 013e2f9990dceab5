//go:build !linux

package process

import (
	"context"
	"errors"
)

// startReaper is unsupported: reaping orphans matters for a Linux
// container's PID 1.
func startReaper(context.Context) (*reaper, error) {
	return nil, errors.ErrUnsupported
}
