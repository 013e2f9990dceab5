// Package config reads and validates the YAML file that describes a tree
// of OS processes for the supervise command, and the optional fault model
// that supervise simulate runs it under.
//
// The package parses and validates only: it starts nothing. Every value in
// the tree it returns is resolved: defaults are applied and the backoff
// and shutdown settings of enclosing supervisors are inherited, so a
// consumer never re-applies a default.
//
// A file looks like this:
//
//	name: shop                  # root name, default "root"
//	strategy: one_for_one       # one_for_one | one_for_all | rest_for_one
//	intensity: 5                # at most this many restarts ...
//	period: 10s                 # ... within any window this long
//	backoff: {initial: 100ms, max: 30s, multiplier: 2, jitter: 0.1, reset_after: 1m}
//	shutdown: 5s                # per-child shutdown timeout
//	auto_shutdown: never        # never | any_significant | all_significant
//	children:
//	  - name: db
//	    command: [postgres, -D, /var/lib/pg]   # argv, no shell
//	    restart: permanent      # permanent | transient | temporary
//	    stop_signal: SIGINT
//	    shutdown: 30s
//	    start_timeout: 30s
//	    dir: /var/lib/pg
//	    env: {PGTZ: UTC}
//	    ready: {tcp: "127.0.0.1:5432"}   # or {log: REGEXP} or {exec: [argv]}
//	  - name: jobs              # a child with children is a supervisor
//	    strategy: rest_for_one
//	    children:
//	      - {name: queue, command: [./queue]}
//	      - {name: worker, command: [./worker], restart: transient}
//
// Choices made where the format leaves room:
//
//   - Environment values and command arguments are strings. A plain
//     scalar that YAML would read as a number or a boolean (PORT: 8080,
//     DEBUG: yes) is accepted as its text exactly as written ("8080",
//     "yes"), so nothing is reformatted; null (an empty value) is an
//     error.
//   - A duration is written in Go syntax (250ms, 1m30s); a bare 0 means
//     zero, any other bare number is an error.
//   - shutdown: 0s means the child is killed at once, without a stop
//     signal first.
//   - start_timeout may also be written as ready.timeout; if both are set
//     they must agree.
//   - A significant child needs restart transient or temporary, and its
//     supervisor needs auto_shutdown any_significant or all_significant,
//     as in OTP.
//   - Anchors, aliases and merge keys (<<) work as in YAML. Keys that
//     start with x- are ignored at any level, as in Compose files, so that
//     shared settings can be given an anchor there. Only one YAML
//     document per file.
//   - A faults file (see ParseFaults) replaces, per process, the model
//     given inline under simulate.
//
// A file larger than MaxFileSize or nested deeper than MaxNesting is
// refused before it is parsed, and aliases may add at most 100,000 nodes
// once expanded.
//
// All problems found in a file are returned at once in an *Error, one
// Problem per line as FILE:LINE:COL: KEY: message.
package config
