// Package cli holds what the supervise commands share on their command
// lines.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// ExitUsage is the exit code of a bad command line: 2, as for a bad file.
const ExitUsage = 2

// Parse parses args into fs, whose help text starts with usage. It returns
// -1 when the command should go on, or the exit code to return at once:
// 0 after -h/--help (the help goes to stdout, once, so that it can be
// paged), ExitUsage after a bad flag (the error and the help go to
// stderr).
func Parse(fs *flag.FlagSet, usage string, args []string, stdout, stderr io.Writer) int {
	err := ParseQuietly(fs, args)
	switch {
	case err == nil:
		return -1
	case errors.Is(err, flag.ErrHelp):
		PrintUsage(stdout, fs, usage)
		return 0
	}
	fmt.Fprintln(stderr, err)
	PrintUsage(stderr, fs, usage)
	return ExitUsage
}

// ParseQuietly parses args into fs without letting the flag package print
// anything: it would print the help on -h itself, to stderr, before the
// caller could print it where it belongs.
func ParseQuietly(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs.Parse(args)
}

// PrintUsage writes usage and fs's flags to w.
func PrintUsage(w io.Writer, fs *flag.FlagSet, usage string) {
	fmt.Fprint(w, usage)
	fs.SetOutput(w)
	fs.PrintDefaults()
}
