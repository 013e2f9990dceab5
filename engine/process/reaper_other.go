//go:build !linux

package process

import (
	"context"
	"errors"
)

// StartReaper returns [errors.ErrUnsupported]: reaping orphans matters for
// a Linux container's PID 1, and elsewhere processes are waited for with
// os/exec.
func StartReaper(context.Context) (*Reaper, error) {
	return nil, errors.ErrUnsupported
}
