// Package arbor runs a supervision tree as a program's runtime: Erlang/OTP
// supervision for Go engines, with backoff and bounded, ordered shutdown.
//
// A program builds its tree with package [github.com/arborgo/arbor/supervisor]
// out of engines ([github.com/arborgo/arbor/engine]) and hands the root to
// [Main] from its func main, or to [Run] when it wants the error:
//
//	func main() {
//		root := supervisor.New("app", supervisor.Config{Logger: slog.Default()},
//			supervisor.Child{Name: "db", Engine: db},
//			supervisor.Child{Name: "http", Engine: httpengine.New(srv)},
//		)
//		arbor.Main(root)
//	}
//
// On SIGTERM or SIGINT the tree stops in reverse start order, depth first,
// each child bounded by its own shutdown timeout. A second signal while it
// stops means "now": Run returns at once, abandoning what has not stopped.
//
// # What it refuses to do
//
// Run does not call os.Exit and installs no handler for signals other than
// SIGTERM and SIGINT (SIGQUIT keeps Go's goroutine dump); RunWith catches
// the signals its Options list, to stop on SIGQUIT too or to log and
// ignore others, as cmd/supervise does. Main exits, and only after the
// tree has stopped. Run never kills goroutines: an engine that ignores its context and its Stop
// is reported by its supervisor and left behind.
package arbor
