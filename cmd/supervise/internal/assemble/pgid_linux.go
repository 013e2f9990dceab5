package assemble

import "golang.org/x/sys/unix"

// inGroup reports whether pid is a process of the process group pgid.
func inGroup(pid, pgid int) bool {
	if pid <= 0 || pgid <= 0 {
		return false
	}
	g, err := unix.Getpgid(pid)
	return err == nil && g == pgid
}
