//go:build !linux

package process

import "errors"

// SetChildSubreaper returns [errors.ErrUnsupported]: child subreapers are a
// Linux feature.
func SetChildSubreaper() error { return errors.ErrUnsupported }
