//go:build !unix

package process

import "errors"

// ExecHelper fails: umasks and resource limits are Unix notions.
func ExecHelper([]string) error { return errors.New("helper: not supported on this system") }
