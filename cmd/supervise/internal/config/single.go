package config

import "syscall"

// The names of the tree of Single.
const (
	SingleRoot  = "exec" // the root supervisor
	SingleChild = "main" // its one process
)

// Single returns the tree that `supervise exec` runs: a root whose one
// child runs argv as written (no ${VAR} expansion, as an exec does),
// temporary and significant under auto_shutdown any_significant, so that
// its end, however it ends, ends the tree with its code, mapped by
// exitCodes. Each signal of forward is forwarded to its process group.
// With inherit the child writes to supervise's own stdout and stderr, as
// under tini, instead of having its lines logged. The settings not named
// are a file's defaults.
func Single(argv []string, forward []syscall.Signal, exitCodes map[int]int, inherit bool) (*File, error) {
	root := &Group{Name: SingleRoot, Path: SingleRoot, Strategy: OneForOne, Intensity: libDefaults.Intensity,
		Period: libDefaults.Period, Backoff: defaultBackoff, Shutdown: libDefaults.Shutdown,
		AutoShutdown: AnySignificant, Restart: Permanent}
	p := &Process{Name: SingleChild, Path: SingleRoot + "/" + SingleChild, Command: argv, Verbatim: true, InheritOutput: inherit,
		StopSignal: syscall.SIGTERM, ReloadSignal: syscall.SIGHUP, Restart: Temporary, Significant: true,
		Shutdown: root.Shutdown, StartTimeout: libDefaults.StartTimeout, Backoff: root.Backoff}
	root.Children = []Child{p}
	f := &File{Name: "supervise exec", Root: root, ExitCodes: exitCodes}
	if len(forward) > 0 {
		f.Signals = make(map[syscall.Signal]SignalAction, len(forward))
		for _, sig := range forward {
			f.Signals[sig] = SignalAction{Do: SignalForward, Targets: []SignalTarget{{Path: p.Path, Signal: sig}}}
		}
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return f, nil
}
