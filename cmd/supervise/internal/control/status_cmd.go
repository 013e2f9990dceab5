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

const statusUsage = `Usage: supervise status [--socket PATH] [--json | --check]

Prints the live tree of a running 'supervise run': every child's path,
state, PID, uptime, restart count and last exit.

Without --socket, status asks every live socket named supervise-*.sock in
$XDG_RUNTIME_DIR (or, when it is unset, in the directory supervise-UID of
the temporary directory), which is where 'supervise run' puts its socket by
default, and prints all the trees it finds in one table; each path starts
with its tree's name. A socket there that is owned by another user (other
than root) is skipped, and said so on stderr. Whatever a socket answers is
printed with control characters escaped.

With --check, status prints nothing when the tree is ready (in the sense
of GET /readyz: the ordered start completed, every child that is not
temporary is running or done (a transient child that exited 0), and no shutdown has
begun) and exits 0; when it is not, it prints each child that is not
ready and exits 3: an exec probe for images without curl.

Exit codes: 0 printed (--check: ready), 1 no running supervise answered,
2 bad usage, 3 (--check) the tree runs but is not ready.

Examples:
  supervise status
  supervise status --socket /run/shop.sock
  supervise status --json | jq '.children[] | select(.state != "running")'
  supervise status --check --socket /run/shop.sock

Flags:
`

// StatusMain is the `supervise status` command.
func StatusMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	socket := fs.String("socket", "", "the `PATH` of the socket of the supervise to ask")
	asJSON := fs.Bool("json", false, "print each tree as one JSON object per line")
	check := fs.Bool("check", false, "exit 0 when the tree is ready, 3 (printing what is not) when not")
	rest, code := cli.Parse(fs, statusUsage, args, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "supervise status: unexpected argument %q\n", rest[0])
		return cli.ExitUsage
	}
	if *asJSON && *check {
		fmt.Fprintln(stderr, "supervise status: --json and --check exclude each other")
		return cli.ExitUsage
	}
	sockets := []string{*socket}
	if *socket == "" {
		sockets = discover("status", stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var sts []*Status
	for _, s := range sockets {
		st, err := Query(ctx, s)
		if err != nil {
			if *socket != "" {
				fmt.Fprintf(stderr, "supervise status: %s: %s\n", escape(s), escape(notAnswering(err)))
				return 1
			}
			continue // a stale socket of a supervise that died
		}
		sts = append(sts, st)
	}
	if len(sts) == 0 {
		fmt.Fprintln(stderr, noneFound("status"))
		return 1
	}
	if *check {
		return printCheck(stdout, stderr, sts)
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
