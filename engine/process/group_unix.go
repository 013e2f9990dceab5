//go:build unix

package process

import (
	"errors"
	"syscall"
)

// groupSysProcAttr puts the child in a process group of its own, whose ID is
// its PID, so that one kill(-pgid) reaches it and every descendant that did
// not leave the group on purpose.
func groupSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// signalGroup sends sig to every process in the group pgid. A group that is
// already gone is not an error: stopping something dead is done.
func signalGroup(pgid int, sig syscall.Signal) error {
	if pgid <= 0 {
		// kill(0) and kill(-1) would hit our own group or everything.
		return nil
	}
	err := syscall.Kill(-pgid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// setCredential makes the child run as c, when set.
func setCredential(attr *syscall.SysProcAttr, c *Credential) {
	if c != nil {
		attr.Credential = &syscall.Credential{Uid: c.Uid, Gid: c.Gid, Groups: c.Groups}
	}
}
