// Package cli holds what the supervise commands share on their command
// lines.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// ExitUsage is the exit code of a bad command line: 2, as for a bad file.
const ExitUsage = 2

// Parse parses args into fs, whose help text starts with usage, flags and
// arguments in any order (`run tree.yaml --log-format text` as well as
// `run --log-format text tree.yaml`); after "--" everything is an
// argument. It returns the arguments and -1 when the command should go
// on, or the exit code to return at once: 0 after -h/--help (the help goes
// to stdout, once, so that it can be paged), ExitUsage after a bad flag
// (one line on stderr, see FlagError).
func Parse(fs *flag.FlagSet, usage string, args []string, stdout, stderr io.Writer) (rest []string, code int) {
	rest, err := ParseAnyOrder(fs, args)
	switch {
	case err == nil:
		return rest, -1
	case errors.Is(err, flag.ErrHelp):
		PrintUsage(stdout, fs, usage)
		return nil, 0
	}
	fmt.Fprintln(stderr, FlagError(fs.Name(), err))
	return nil, ExitUsage
}

// FlagError is the one line that a bad flag of command name gets, as its
// other usage errors do: "supervise status: flag provided but not defined:
// --jsn; see supervise status --help", with the flag spelt as the help
// spells it.
func FlagError(name string, err error) string {
	return fmt.Sprintf("supervise %s: %s; see supervise %s --help", name, Dashes(err.Error()), name)
}

// Dashes respells the flags that the flag package names in msg ("-jsn")
// with two dashes, as the usage lines and the documentation spell them;
// one-letter flags keep one.
func Dashes(msg string) string {
	var b strings.Builder
	for i := 0; i < len(msg); i++ {
		b.WriteByte(msg[i])
		if msg[i] != ' ' || i+2 >= len(msg) || msg[i+1] != '-' || msg[i+2] == '-' {
			continue
		}
		j := i + 2
		for j < len(msg) && (isFlagByte(msg[j])) {
			j++
		}
		if j-(i+2) > 1 {
			b.WriteByte('-')
		}
	}
	return b.String()
}

func isFlagByte(c byte) bool {
	return c == '-' || c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// ParseAnyOrder parses the flags in args into fs, wherever they are, and
// returns the other arguments in order. It prints nothing.
func ParseAnyOrder(fs *flag.FlagSet, args []string) (rest []string, err error) {
	for {
		if err := ParseQuietly(fs, args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		// fs.Parse stopped at an argument, or just after a "--" it dropped.
		if n := len(args) - len(left); n > 0 && args[n-1] == "--" {
			return append(rest, left...), nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// ParseQuietly parses args into fs without letting the flag package print
// anything: it would print the help on -h itself, to stderr, before the
// caller could print it where it belongs.
func ParseQuietly(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs.Parse(args)
}

// PrintUsage writes usage and fs's flags to w, each flag of more than one
// letter spelt with two dashes as the usage lines and the documentation
// spell them (the flag package takes both).
func PrintUsage(w io.Writer, fs *flag.FlagSet, usage string) {
	fmt.Fprint(w, usage)
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	for line := range strings.Lines(b.String()) {
		// One-letter flags keep their one dash, as -e does in tini.
		if f := strings.Fields(line); strings.HasPrefix(line, "  -") && len(f[0]) > 2 {
			line = "  --" + line[3:]
		}
		fmt.Fprint(w, line)
	}
}
