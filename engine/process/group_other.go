//go:build !unix

package process

import (
	"errors"
	"os"
	"syscall"
)

// groupSysProcAttr returns nil: process groups are a Unix notion, so
// elsewhere only the main process is stopped and descendants may survive.
func groupSysProcAttr() *syscall.SysProcAttr { return nil }

// signalGroup kills the process pgid outright, whatever sig is, because
// there is no way to deliver a Unix signal, let alone to a group.
func signalGroup(pgid int, _ syscall.Signal) error {
	if pgid <= 0 {
		return nil
	}
	p, err := os.FindProcess(pgid)
	if err != nil {
		return nil
	}
	defer p.Release()
	if err := p.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}

// setCredential does nothing: there are no Unix users to switch to.
func setCredential(*syscall.SysProcAttr, *Credential) {}
