//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package logging

func isTerminal(int) bool { return false }
