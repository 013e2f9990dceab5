//go:build !linux

package process

import "errors"

func setChildSubreaper() error { return errors.ErrUnsupported }
