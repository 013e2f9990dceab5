//go:build !linux

package engine

import "errors"

// SetChildSubreaper returns [errors.ErrUnsupported]: child subreapers are a
// Linux feature.
func SetChildSubreaper() error { return errors.ErrUnsupported }
