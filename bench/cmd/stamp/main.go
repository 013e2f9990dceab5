//go:build unix

// Command stamp is the child process of bench/peers.sh: it appends the
// monotonic clock, in nanoseconds, to FILE as one line and then exits 1
// (mode crash) or sleeps until it is signalled (mode idle). The
// differences between consecutive lines of a crashing child are its
// restart latencies under whichever process supervisor runs it.
//
//	stamp crash|idle FILE
package main

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "crash" && os.Args[1] != "idle") {
		fmt.Fprintln(os.Stderr, "usage: stamp crash|idle FILE")
		os.Exit(2)
	}
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	f, err := os.OpenFile(os.Args[2], os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// One write of one line: O_APPEND keeps lines of concurrent children
	// whole.
	if _, err := f.Write(append(strconv.AppendInt(nil, ts.Nano(), 10), '\n')); err != nil {
		os.Exit(2)
	}
	f.Close()
	if os.Args[1] == "crash" {
		os.Exit(1)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
}
