package daemon

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"syscall"

	"github.com/arborgo/arbor/cmd/supervise/internal/cli"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/cmd/supervise/internal/logging"
)

const execUsage = `Usage: supervise exec [-e CODE]... [--output inherit|log] [--log-level LEVEL] [--socket PATH] [--http ADDR]
                      [--log-format auto|text|json] [--] CMD [ARG...]

Runs CMD as the one child of a tree, as tini or dumb-init would: a
container's ENTRYPOINT ["supervise", "exec", "--", CMD, ...]. supervise
reaps the zombies that reach it, forwards every signal it gets to CMD's
process group (SIGTERM, SIGINT and SIGQUIT included, so CMD decides how
to stop; a second one is forwarded too), and exits when CMD exits, with
its code: 128+N when signal N killed it. CMD is never restarted. CMD
writes to supervise's own stdout and stderr, untouched, and supervise
logs only its warnings and errors (--output log and --log-level info log
as run does); CMD's arguments are passed as written, without ${VAR}
expansion. The signals not forwarded (SIGILL, SIGTRAP,
SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS, SIGPIPE, SIGTTIN, SIGTTOU, as
with tini) are logged and ignored. Flags end at CMD or at "--".

Exit codes: CMD's (mapped by -e), 1 when CMD cannot be started, 2 for a
bad command line. A second SIGTERM is forwarded too, not a kill.

Examples:
  supervise exec -- nginx -g 'daemon off;'
  supervise exec -e 143 -- java -jar app.jar

Flags:
`

// The values of exec's --output.
const (
	outputInherit = "inherit"
	outputLog     = "log"
)

// exitMap is -e CODE, repeatable: CODE exits 0.
type exitMap map[int]int

func (m exitMap) String() string { return "" }

func (m exitMap) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 255 {
		return fmt.Errorf("found %q, expected an exit code from 1 to 255", s)
	}
	m[n] = 0
	return nil
}

// ExecMain is the `supervise exec` command.
func ExecMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("exec", flag.ContinueOnError)
	var f Flags
	f.Register(fs, logging.Warn) // quiet, as tini is: CMD's output is what the container shows
	codes := exitMap{}
	output := fs.String("output", outputInherit, "where CMD's stdout and stderr go: `inherit` gives CMD supervise's own, untouched, as tini does; log makes each line a record of supervise's log, as run does")
	fs.Var(codes, "e", "exit 0 when CMD's code is `CODE` (1-255; repeatable), as tini -e does: -e 143 for a program killed by SIGTERM")
	switch err := cli.ParseQuietly(fs, args); {
	case errors.Is(err, flag.ErrHelp):
		cli.PrintUsage(stdout, fs, execUsage)
		return ExitOK
	case err != nil:
		fmt.Fprintln(stderr, cli.FlagError("exec", err))
		return ExitInvalid
	}
	argv := fs.Args()
	if len(argv) == 0 || argv[0] == "" {
		fmt.Fprintln(stderr, "supervise exec: expected a command to run; see supervise exec --help")
		return ExitInvalid
	}
	if *output != outputInherit && *output != outputLog {
		fmt.Fprintf(stderr, "supervise exec: --output: found %q, expected inherit or log\n", *output)
		return ExitInvalid
	}
	file, err := config.Single(argv, execForwarded(), codes, *output == outputInherit)
	if err != nil {
		PrintLoadError(stderr, err)
		return ExitInvalid
	}
	return RunFile(file, f, stderr)
}

// execForwarded are the signals that exec forwards: every one supervise
// handles but those a process receives from its own faults, the terminal
// reading or writing ones that concern supervise itself, and SIGPIPE,
// which a broken standard error raises in supervise at each log write.
func execForwarded() []syscall.Signal {
	var out []syscall.Signal
	for _, sig := range Signals() {
		if s, ok := sig.(syscall.Signal); ok && !slices.Contains(execKept, os.Signal(s)) {
			out = append(out, s)
		}
	}
	for _, sig := range execExtra {
		out = append(out, sig.(syscall.Signal))
	}
	slices.Sort(out)
	return out
}
