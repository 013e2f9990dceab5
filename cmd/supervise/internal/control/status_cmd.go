package control

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/cli"
)

const statusUsage = `Usage: supervise status [--socket PATH] [--json]

Prints the live tree of a running 'supervise run': every child's path,
state, PID, uptime, restart count and last exit.

Without --socket, status asks every live socket named supervise-*.sock in
$XDG_RUNTIME_DIR (or, when it is unset, in the directory supervise-UID of
the temporary directory), which is where 'supervise run' puts its socket by
default, and prints all the trees it finds in one table; each path starts
with its tree's name. A socket there that is owned by another user (other
than root) is skipped, and said so on stderr. Whatever a socket answers is
printed with control characters escaped.

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
	rest, code := cli.Parse(fs, statusUsage, args, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "supervise status: unexpected argument %q\n", rest[0])
		return cli.ExitUsage
	}
	sockets := []string{*socket}
	if *socket == "" {
		var skip []skipped
		sockets, skip = DefaultSockets()
		for _, s := range skip {
			fmt.Fprintf(stderr, "supervise status: skipping %s: %s\n", escape(s.path), s.why)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var sts []*Status
	for _, s := range sockets {
		st, err := Query(ctx, s)
		if err != nil {
			if *socket != "" {
				fmt.Fprintf(stderr, "supervise status: %s: %s\n", escape(s), escape(err.Error()))
				return 1
			}
			continue // a stale socket of a supervise that died
		}
		sts = append(sts, st)
	}
	if len(sts) == 0 {
		fmt.Fprintf(stderr, "supervise status: no running supervise found in %s; pass --socket PATH\n", escape(Dir()))
		return 1
	}
	if *asJSON {
		return printJSON(stdout, sts)
	}
	if err := Render(stdout, sts); err != nil {
		return 1
	}
	return 0
}

// printJSON prints each status as one JSON line, escaped.
func printJSON(w io.Writer, sts []*Status) int {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, st := range sts {
		if err := enc.Encode(st); err != nil {
			return 1
		}
	}
	if _, err := w.Write(escapeJSON(b.Bytes())); err != nil {
		return 1
	}
	return 0
}
