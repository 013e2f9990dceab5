//go:build !linux

package daemon

// killOrphans finds no orphans where there is no /proc to find them in.
func killOrphans(except int) int { return 0 }
