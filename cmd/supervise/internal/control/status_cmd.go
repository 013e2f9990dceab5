package control

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/arborgo/arbor/cmd/supervise/internal/cli"
	"io"
	"time"
)

const statusUsage = `Usage: supervise status [--socket PATH] [--json]

Prints the live tree of a running 'supervise run': every child's path,
state, PID, uptime, restart count and last exit.

Without --socket, status asks every live socket named supervise-*.sock in
$XDG_RUNTIME_DIR (or the temporary directory when it is unset), which is
where 'supervise run' puts its socket by default, and prints all the trees
it finds in one table; each path starts with its tree's name.

Exit codes: 0 printed, 1 no running supervise answered, 2 bad usage.

Examples:
  supervise status
  supervise status --socket /run/shop.sock
  supervise status --json | jq '.children[] | select(.state != "running")'

Flags:
`

// StatusMain is the `supervise status` command.
func StatusMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	socket := fs.String("socket", "", "the `PATH` of the socket of the supervise to ask")
	asJSON := fs.Bool("json", false, "print each tree as one JSON object per line")
	if code := cli.Parse(fs, statusUsage, args, stdout, stderr); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "supervise status: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	sockets := []string{*socket}
	if *socket == "" {
		sockets = DefaultSockets()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var sts []*Status
	for _, s := range sockets {
		st, err := Query(ctx, s)
		if err != nil {
			if *socket != "" {
				fmt.Fprintf(stderr, "supervise status: %s: %v\n", s, err)
				return 1
			}
			continue // a stale socket of a supervise that died
		}
		sts = append(sts, st)
	}
	if len(sts) == 0 {
		fmt.Fprintf(stderr, "supervise status: no running supervise found in %s; pass --socket PATH\n", Dir())
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, st := range sts {
			if err := enc.Encode(st); err != nil {
				return 1
			}
		}
		return 0
	}
	if err := Render(stdout, sts); err != nil {
		return 1
	}
	return 0
}
