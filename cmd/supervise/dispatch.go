package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/arborgo/arbor/cmd/supervise/internal/control"
	"github.com/arborgo/arbor/cmd/supervise/internal/daemon"
	"github.com/arborgo/arbor/cmd/supervise/internal/demo"
	"github.com/arborgo/arbor/cmd/supervise/internal/simulate"
	"github.com/arborgo/arbor/engine/process"
)

const usage = `supervise runs a tree of OS processes with Erlang/OTP supervision semantics.

Usage:
  supervise run [--socket PATH] [--http ADDR] [--log-format auto|text|json] [--log-level LEVEL] FILE
  supervise exec [-e CODE]... [--output inherit|log] [--http ADDR] [--] CMD [ARG...]
  supervise check FILE
  supervise status [--socket PATH] [--json | --check]
  supervise restart|stop|start PATH... [--socket PATH]
  supervise signal SIGNAL PATH... [--socket PATH]
  supervise reload [--dry-run] [--socket PATH]
  supervise demo [--print]
  supervise simulate [--duration D] [--faults FILE | --faults-from LOG] [flags] FILE...
  supervise --version

Commands:
  run       run the tree in FILE in the foreground until SIGTERM, SIGINT or SIGQUIT
  exec      run CMD as the one child, as tini does: signals forwarded, its exit code propagated
  check     validate FILE; start nothing
  status    print the live tree of a running 'supervise run'
  restart   restart children of a running tree in their place (not counted as failures)
  stop      stop children of a running tree and keep them stopped
  start     start stopped children again
  signal    send a signal to the process groups of children
  reload    re-read the file and apply only what changed
  demo      run an embedded demo tree: restarts, backoff, Ctrl-C for a LIFO stop
  simulate  run the tree in FILE in virtual time under a fault model

Run 'supervise COMMAND --help' for a command's flags and examples.
The file format: docs/supervise.md.
`

// commands are the subcommands, by name.
var commands = map[string]func(args []string, stdout, stderr io.Writer) int{
	"run":      daemon.RunMain,
	"exec":     daemon.ExecMain,
	"check":    daemon.CheckMain,
	"status":   control.StatusMain,
	"demo":     demo.Main,
	"toy":      demo.ToyMain,     // hidden: the demo's children
	"guard":    daemon.GuardMain, // hidden: kills the groups when supervise dies
	"spawn":    spawnMain,        // hidden: sets a child's limits and user, then execs it
	"simulate": simulate.Main,
	"restart":  control.CommandMain(control.CmdRestart),
	"stop":     control.CommandMain(control.CmdStop),
	"start":    control.CommandMain(control.CmdStart),
	"signal":   control.CommandMain(control.CmdSignal),
	"reload":   control.CommandMain(control.CmdReload),
}

// spawnMain is the helper of process.Identity: it returns only on failure.
func spawnMain(args []string, _, stderr io.Writer) int {
	err := process.ExecHelper(args)
	fmt.Fprintf(stderr, "supervise: %v\n", err)
	return 127
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, "supervise", version())
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "supervise: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	return cmd(args[1:], stdout, stderr)
}

// version is the module version and VCS revision the binary was built from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += " (modified)"
			}
		}
	}
	return v + " " + bi.GoVersion
}
