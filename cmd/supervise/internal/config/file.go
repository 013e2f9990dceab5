package config

import (
	"regexp"
	"syscall"
	"time"
)

// File is a loaded and validated supervise file.
type File struct {
	// Name is the file name given to Load or Parse, used in messages.
	Name string
	// Root is the root supervisor.
	Root *Group
	// ExitCodes maps the exit code that the significant child's end gives
	// supervise (its exit code, or 128+N after signal N) to the one it
	// exits with, as tini -e does; nil if none. Only codes from 1 to 255
	// that a child's end gave are mapped: not 0, and not supervise's own
	// (1 after giving up, 2 for bad input, 130 after a second signal).
	ExitCodes map[int]int
	// Signals are the actions of the signals: key, by signal; nil if
	// none. A signal not in it keeps supervise's default (see
	// daemon.Signals).
	Signals map[syscall.Signal]SignalAction
	// HTTP is the address (host:port) of the read-only HTTP server for
	// /livez, /readyz, /metrics and /status; "" serves none. The --http
	// flag replaces it.
	HTTP string
	// Drain is how long a shutdown waits, with /readyz answering 503,
	// before it stops the first child; 0 drains nothing.
	Drain time.Duration

	keys map[*Process]map[string]position // where each process's keys are written
}

// position is a 1-based line and column in the file.
type position struct{ line, col int }

// KeyPos returns where key is written in p's mapping (merged in with <<
// or not), or p's own Line and Column when it is not written there: a
// message about one key, such as a warning of check, points at that key.
func (f *File) KeyPos(p *Process, key string) (line, col int) {
	if at, ok := f.keys[p][key]; ok {
		return at.line, at.col
	}
	return p.Line, p.Column
}

// Child is a child of a supervisor: a *Group or a *Process.
type Child interface {
	child()
}

// Group is a supervisor: the root, or a child that has children.
type Group struct {
	Name string // its own name
	Path string // root name / group names / its name, e.g. "shop/jobs"

	Strategy     Strategy      // which children a failure restarts
	Intensity    int           // at most this many restarts ...
	Period       time.Duration // ... within any window this long
	Backoff      Backoff       // resolved: inherited where not set
	Shutdown     time.Duration // resolved: also its own timeout as a child
	AutoShutdown AutoShutdown  // whether significant children's ends end it

	// Restart and Significant apply to the group as a child of its
	// parent; for the root they are Permanent and false.
	Restart     RestartType // when its parent restarts it
	Significant bool        // whether its end counts for its parent's auto_shutdown

	Children []Child // *Group or *Process, in file order

	Line, Column int // where its mapping starts in the file
}

func (*Group) child() {}

// Process is a leaf child: an OS process started from an argv.
type Process struct {
	Name string // its own name
	Path string // root name / group names / its name, e.g. "shop/db"

	Command []string          // argv; Command[0] is the program, never ""
	Dir     string            // working directory; "" means inherited
	Env     map[string]string // added to the environment; nil if none
	// EnvFiles are read at every start, in order, between supervise's
	// environment and Env; a path starting with "-" is optional. Command,
	// Dir and Env's values keep their ${VAR}s, expanded at every start
	// from supervise's environment and these files (see process.ExpandEnv).
	EnvFiles []string
	// Verbatim: Command, Dir and Env are used as written, with no ${VAR}
	// expansion and $$ left as it is (supervise exec's child).
	Verbatim bool
	// InheritOutput: the process writes to supervise's own stdout and
	// stderr instead of having its lines logged (supervise exec's child,
	// unless --output log).
	InheritOutput bool
	Identity      Identity       // user:, group:, groups:, umask:, rlimits:
	StopSignal    syscall.Signal // sent to ask it to stop; SIGTERM by default
	// ReloadSignal is what a {reload: [PATH]} signal action sends its
	// process group; SIGHUP by default.
	ReloadSignal syscall.Signal

	Restart      RestartType   // when it is restarted: permanent, transient, temporary
	Significant  bool          // whether its end counts for its supervisor's auto_shutdown
	Shutdown     time.Duration // how long it may take to stop; 0 = kill at once
	StartTimeout time.Duration // how long it may take to become ready
	Backoff      Backoff       // resolved: inherited where not set

	Ready *Ready // nil: ready as soon as it runs
	// Live is its liveness probe; nil for none.
	Live *Live
	// Watchdog is how often it must send WATCHDOG=1 once ready; 0: no
	// watchdog.
	Watchdog time.Duration
	Faults   *FaultModel // nil: no fault model (supervise run ignores it)

	Line, Column int // where its mapping starts in the file
}

func (*Process) child() {}

// Backoff is the delay before a restart: Initial, then multiplied by
// Multiplier after each restart up to Max, each delay varied at random by
// up to ±Jitter of itself, and back to Initial after the child has run
// for ResetAfter.
type Backoff struct {
	Initial    time.Duration // the first delay
	Max        time.Duration // the cap before jitter; ≥ Initial
	Multiplier float64       // ≥ 1
	Jitter     float64       // 0 ≤ Jitter < 1
	ResetAfter time.Duration // a run this long resets the delay to Initial
}

// Ready is a readiness check. Exactly one of TCP, Log, Exec, Exit and Notify is
// set.
type Ready struct {
	TCP     string         // host:port that accepts a connection when ready
	Log     *regexp.Regexp // matches an output line when ready
	Exec    []string       // argv that exits 0 when ready
	Exit    bool           // a one-shot step (exit: 0): ready once it exited 0
	Notify  bool           // ready when it sends READY=1 over $NOTIFY_SOCKET
	Timeout time.Duration  // equal to the process's StartTimeout
}

// FaultModel is how a process behaves under supervise simulate, in
// virtual time.
type FaultModel struct {
	Start        time.Duration   // from launch until running
	Ready        time.Duration   // from running until the ready check passes
	Stop         time.Duration   // from being asked to stop until it stops
	NeverStops   bool            // it ignores requests to stop (stop: never)
	FailAt       []time.Duration // scripted failures since the start, ascending
	MTBF         time.Duration   // mean time between random failures; 0 = none
	CrashOnStart float64         // probability that a start fails, 0..1
	Outages      []Outage        // windows in which every start fails
	// HangMTBF is the mean time from ready to a hang, in which the
	// process stays up but fails its live: check and sends no WATCHDOG=1;
	// 0 = none. A hang lasts HangDuration; 0 = until the run ends.
	HangMTBF, HangDuration time.Duration
}

// Outage is a window of virtual time [From, To) in which every start of a
// process fails.
type Outage struct {
	From, To time.Duration // since the start of the simulation; From < To
}
