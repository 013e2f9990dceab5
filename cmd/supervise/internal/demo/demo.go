package demo

import (
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/arborgo/arbor/cmd/supervise/internal/cli"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/cmd/supervise/internal/daemon"
	"github.com/arborgo/arbor/cmd/supervise/internal/logging"
)

//go:embed demo.yaml
var demoYAML string

const demoUsage = `Usage: supervise demo [--print] [--socket PATH] [--http ADDR] [--log-format auto|text|json]

Runs an embedded demo tree whose children are this binary in a toy mode:
a "db" that is ready after 500ms, a "jobs" subtree whose worker fails now
and then, and a "cron" that crashes every 3 seconds with a growing backoff.
Watch the restarts, run 'supervise status' in another terminal, and press
Ctrl-C to see the tree stop in reverse start order.

Examples:
  supervise demo
  supervise demo --print > tree.yaml   # the demo's file, to edit and run
  supervise status                     # from another terminal
  supervise restart demo/cron          # restart one child; not a failure
  supervise stop demo/jobs             # stop a group, LIFO; start it again with start
  supervise signal SIGUSR1 db          # signal one child's process group
  supervise reload --dry-run           # under supervise run tree.yaml, after editing it

Flags:
`

// Main is the `supervise demo` command.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	var f daemon.Flags
	f.Register(fs, logging.Info)
	print := fs.Bool("print", false, "print the demo's file and exit")
	rest, code := cli.Parse(fs, demoUsage, args, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "supervise demo: unexpected argument %q\n", rest[0])
		return daemon.ExitInvalid
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "supervise demo: cannot find my own binary: %v\n", err)
		return 1
	}
	data := File(self)
	if *print {
		fmt.Fprint(stdout, data)
		return 0
	}
	file, err := config.Parse("supervise demo", []byte(data)) // as supervise exec names its tree: there is no file
	if err != nil {
		fmt.Fprintf(stderr, "supervise demo: %v\n", err)
		return 1
	}
	return daemon.RunFile(file, f, stderr)
}

// File returns the demo's file with self as the path of the binary.
func File(self string) string {
	return strings.ReplaceAll(demoYAML, "@SELF@", strconv.Quote(self))
}
