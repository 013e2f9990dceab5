package process

import "golang.org/x/sys/unix"

// SetChildSubreaper marks this process as a child subreaper
// (prctl PR_SET_CHILD_SUBREAPER): descendants orphaned by the exit of their
// parent are re-parented to this process instead of to PID 1. A supervisor
// that is not PID 1 (under systemd, in a shell) calls it so that a
// daemonizing grandchild stays its descendant, visible and reapable; it
// must then also run [StartReaper], or the orphans it inherits stay zombies.
// It lasts for the life of the process and is inherited by no one.
func SetChildSubreaper() error {
	return unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
}
