package daemon

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/cli"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

const checkUsage = `Usage: supervise check FILE

Validates FILE and starts nothing. Every problem is reported at once, one
per line, as FILE:LINE:COL: KEY: message. A dir that does not exist is a
warning on stderr, not an error: an earlier child may create it.

Exit codes: 0 valid, 2 invalid.

Examples:
  supervise check shop.yaml
  supervise check shop.yaml && supervise run shop.yaml
`

// CheckMain is the `supervise check` command.
func CheckMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	rest, code := cli.Parse(fs, checkUsage, args, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "supervise check: expected one FILE argument; see supervise check --help")
		return ExitInvalid
	}
	file, err := config.Load(rest[0])
	if err != nil {
		PrintLoadError(stderr, err)
		if ce := (*config.Error)(nil); errors.As(err, &ce) && ce.Partial != nil {
			warnMissingDirs(stderr, ce.Partial) // all at once, the warnings too
		}
		return ExitInvalid
	}
	tree := assemble.Build(file, assemble.Options{})
	if err := tree.Root.Validate(); err != nil {
		fmt.Fprintf(stderr, "supervise: %s: %v\n", file.Name, err)
		return ExitInvalid
	}
	warnMissingDirs(stderr, file)
	groups := count(file.Root)
	fmt.Fprintf(stdout, "%s: ok: tree %q, %s in %s\n", file.Name, file.Root.Name, plural(len(tree.Procs), "process", "processes"), plural(groups, "supervisor", "supervisors"))
	return 0
}

func count(g *config.Group) int {
	n := 1
	for _, c := range g.Children {
		if g, ok := c.(*config.Group); ok {
			n += count(g)
		}
	}
	return n
}

// PrintLoadError prints an error of config.Load: the problems of a file
// one per line as FILE:LINE:COL: KEY: message, anything else after
// "supervise: ".
func PrintLoadError(w io.Writer, err error) {
	var ce *config.Error
	if errors.As(err, &ce) {
		fmt.Fprintln(w, ce.Error())
		return
	}
	fmt.Fprintf(w, "supervise: %v\n", err)
}

// plural is n with the noun that fits it: "1 process", "2 processes".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
