package control

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/arborgo/arbor/cmd/supervise/internal/cli"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

// commandUsages are the help texts of the commands that change the tree.
var commandUsages = map[string]string{
	CmdRestart: `Usage: supervise restart PATH... [--socket S]

Stops each named child and starts it again in its place, and returns once
it is ready or has failed to start. A restart asked for this way is not a
failure: it does not count toward intensity, does not lengthen the
backoff and does not add to the child's restart count.
`,
	CmdStop: `Usage: supervise stop PATH... [--socket S]

Stops each named child and keeps it stopped (status: stopped) until
'supervise start'. A group stops its children in reverse start order.
`,
	CmdStart: `Usage: supervise start PATH... [--socket S]

Starts each named stopped child again, and returns once it is ready or
has failed to start.
`,
	CmdSignal: `Usage: supervise signal SIGNAL PATH... [--socket S]

Sends SIGNAL (such as SIGUSR1, USR1 or 10) to the process group of each
named process; for a group, to every process below it.
`,
	CmdReload: `Usage: supervise reload [--dry-run] [--socket S]

Re-reads the file of the running tree and applies only what changed: a
child whose spec changed is restarted, an added one started at its place,
a removed one stopped and deleted, a supervisor's own keys changed in
place; an unchanged child is left alone. An invalid file is reported with
its errors, and nothing is applied. --dry-run prints the plan instead.
`,
}

const commandTail = `
A PATH is as 'supervise status' prints it, such as shop/jobs/worker; the
root's name may be left out. Without --socket, the one running supervise
found as by 'supervise status' is asked.

Only supervise's own user or root may change the tree.

Exit codes: 0 done, 1 it could not be done (the message says why),
2 bad usage` + " or, for reload, an invalid file (nothing applied).\n\nFlags:\n"

// CommandMain returns the `supervise NAME` command for one of restart,
// stop, start, signal and reload.
func CommandMain(name string) func(args []string, stdout, stderr io.Writer) int {
	return func(args []string, stdout, stderr io.Writer) int {
		return commandMain(name, args, stdout, stderr)
	}
}

func commandMain(name string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	socket := fs.String("socket", "", "the `PATH` of the socket of the supervise to ask")
	var dry *bool
	if name == CmdReload {
		dry = fs.Bool("dry-run", false, "print the plan; apply nothing")
	}
	rest, code := cli.Parse(fs, commandUsages[name]+commandTail, args, stdout, stderr)
	if code >= 0 {
		return code
	}
	req := Request{Cmd: name}
	switch {
	case name == CmdReload && len(rest) > 0:
		return usageError(stderr, name, fmt.Sprintf("unexpected argument %q", rest[0]))
	case name == CmdReload:
		req.DryRun = *dry
	case name == CmdSignal && len(rest) < 2:
		return usageError(stderr, name, "expected SIGNAL and at least one PATH")
	case name == CmdSignal:
		if _, err := config.ParseSignal(rest[0]); err != nil {
			return usageError(stderr, name, err.Error())
		}
		req.Signal, req.Paths = rest[0], rest[1:]
	case len(rest) == 0:
		return usageError(stderr, name, "expected at least one PATH")
	default:
		req.Paths = rest
	}
	sock, ok := pickSocket(*socket, name, stderr)
	if !ok {
		return 1
	}
	rep, err := Command(context.Background(), sock, req)
	if err != nil {
		fmt.Fprintf(stderr, "supervise %s: %s: %s\n", name, escape(sock), escape(notAnswering(err)))
		return 1
	}
	for _, l := range rep.Lines {
		fmt.Fprintln(stdout, escape(l))
	}
	switch {
	case rep.Invalid:
		fmt.Fprintln(stderr, escape(rep.Error))
		return cli.ExitUsage
	case rep.Error != "":
		fmt.Fprintf(stderr, "supervise %s: %s\n", name, escape(rep.Error))
		return 1
	}
	return 0
}

func usageError(stderr io.Writer, name, msg string) int {
	fmt.Fprintf(stderr, "supervise %s: %s; see supervise %s --help\n", name, msg, name)
	return cli.ExitUsage
}

// pickSocket is the socket given, or the one default socket that a
// supervise answers on.
func pickSocket(given, name string, stderr io.Writer) (string, bool) {
	if given != "" {
		return given, true
	}
	socks := discover(name, stderr)
	switch len(socks) {
	case 1:
		return socks[0], true
	case 0:
		fmt.Fprintln(stderr, noneFound(name))
	default:
		fmt.Fprintf(stderr, "supervise %s: several supervise sockets in %s (%s); pass --socket PATH\n", name, escape(Dir()), escape(strings.Join(socks, ", ")))
	}
	return "", false
}
