package daemon

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/arborgo/arbor/cmd/supervise/internal/cli"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/cmd/supervise/internal/logging"
)

const runUsage = `Usage: supervise run [--socket PATH] [--http ADDR] [--log-format auto|text|json] [--log-level LEVEL] FILE

Runs the tree described in FILE in the foreground: starts its children in
order, each after the previous one is ready, restarts them by their policy,
and on SIGTERM, SIGINT or SIGQUIT stops them in reverse start order and
exits; with drain: in FILE, it first answers 503 on /readyz for that long.
A second one during the shutdown SIGKILLs every remaining process group at
once. SIGHUP re-reads FILE and applies only what changed (see supervise
reload). Every other signal (SIGUSR1, ...) is logged and ignored, unless
the file's signals: key forwards it to children or makes it a stop. Flags
may also follow FILE. For one program without a file, as tini, see
supervise exec.

With --http ADDR (or http: ADDR in FILE; the flag wins), it serves, read
only, GET /livez, /readyz, /metrics (Prometheus) and /status (the JSON of
status --json) on ADDR, such as 127.0.0.1:9090 or :9090.

Every event of the tree and every line a child writes is one log record on
standard error: coloured text on a terminal, JSON lines otherwise.

Exit codes: 0 after a shutdown asked for by a signal; when the tree ended
because a significant child ended (auto_shutdown), that child's exit code,
or 128+N when signal N killed it, mapped by the file's exit_codes; 1 when
the root supervisor gave up or a child failed to start, 2 when the command
line or FILE is invalid or the socket is taken (nothing was started), 130
after a second signal.

Examples:
  supervise run shop.yaml
  supervise run --log-format json shop.yaml 2>>/var/log/shop.jsonl
  supervise run --socket /run/shop.sock shop.yaml
  supervise run --http :9090 shop.yaml

Flags:
`

// Flags are the flags that `run` and `demo` share.
type Flags struct {
	Socket    string // --socket: the status socket's path; "" means the default
	LogFormat string // --log-format: logging.Auto, logging.Text or logging.JSON
	LogLevel  string // --log-level: debug, info, warn or error
	HTTP      string // --http: the HTTP server's address; "" means the file's
}

// Register adds the shared flags to fs, with logLevel the default of
// --log-level.
func (f *Flags) Register(fs *flag.FlagSet, logLevel string) {
	fs.StringVar(&f.Socket, "socket", "", "the `PATH` of the status socket (default $XDG_RUNTIME_DIR/supervise-NAME.sock, or supervise-UID/supervise-NAME.sock in the temporary directory)")
	fs.StringVar(&f.HTTP, "http", "", "serve GET /livez, /readyz, /metrics and /status on `ADDR` (host:port); with run, in place of the file's http: key")
	fs.StringVar(&f.LogFormat, "log-format", logging.Auto, "`auto`, text or json: auto is coloured text on a terminal, JSON lines otherwise")
	fs.StringVar(&f.LogLevel, "log-level", logLevel, "the least `LEVEL` of supervise's own records that is logged: debug, info, warn or error; the children's output lines are logged whatever it is")
}

// RunMain is the `supervise run` command.
func RunMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var f Flags
	f.Register(fs, logging.Info)
	rest, code := cli.Parse(fs, runUsage, args, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "supervise run: expected one FILE argument; see supervise run --help")
		return ExitInvalid
	}
	if f.HTTP != "" {
		if msg := config.CheckHTTPAddr(f.HTTP); msg != "" {
			fmt.Fprintf(stderr, "supervise run: --http: %s\n", msg)
			return ExitInvalid
		}
	}
	file, err := config.Load(rest[0])
	if err != nil {
		PrintLoadError(stderr, err)
		return ExitInvalid
	}
	return RunFile(file, f, stderr)
}

// RunFile runs a loaded file as `supervise run` does, with real signals,
// reaping, and logs on stderr.
func RunFile(file *config.File, f Flags, stderr io.Writer) int {
	log, err := logging.New(stderr, f.LogFormat, f.LogLevel)
	if err != nil {
		fmt.Fprintf(stderr, "supervise: %v\n", err)
		return ExitInvalid
	}
	if code, done := enterGuard(log, func() { file = nil }); done {
		return code // this was the guard; supervise ran as its child
	}
	return Run(context.Background(), Options{File: file, Socket: f.Socket, HTTP: f.HTTP, Logger: log, Stderr: stderr, Reap: true,
		Systemd: systemdNotifier(log)})
}
