// Package simulate is the supervise simulate subcommand: it runs the tree
// of a supervise file through the live supervisor's decision core in
// virtual time, under a fault model, and reports how available each child
// was, whether the tree gave up, and a timeline.
package simulate

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/cli"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/supervisor/sim"
)

// Exit codes of Main.
const (
	exitOK       = 0
	exitFailure  = 1
	exitBadInput = 2
)

const usage = `Usage: supervise simulate [--duration D] [--seed N] [--faults FILE | --faults-from LOG]
                         [--vary KEY=V1,V2,...] [--json] [--svg FILE] FILE...

Runs the tree of FILE, the same file supervise run takes, through the
supervisor's restart logic in virtual time, under the fault model given
in the file's simulate: keys, in --faults, or replayed from a log with
--faults-from, and prints per child: starts, restart decisions, failures, time up
and down, availability, longest outage, and whether and when its
supervisor gave up. Several FILEs, or --vary, compare policies side by
side under the same faults and seed.

Flags:
`

// options are the parsed flags.
type options struct {
	files      []string
	duration   time.Duration
	durationOK bool // --duration was given
	seed       uint64
	faults     string
	faultsFrom string
	json       bool
	svg        string
	vary       *vary
}

// Main runs supervise simulate with args (without the subcommand name)
// and returns the exit code: 0 when the simulation ran, 2 for bad input
// (flags, files, fault models), 1 for any other failure.
func Main(args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		cli.PrintUsage(stdout, newFlagSet(&options{}), usage)
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "supervise simulate:", cli.Dashes(err.Error()))
		return exitBadInput
	}
	variants, err := load(opts, stderr)
	if err != nil {
		printError(stderr, err)
		return exitBadInput
	}
	if !anyFailure(variants) {
		fmt.Fprintln(stderr, noFaultsWarning)
	}
	results := make([]*outcome, len(variants))
	for i, v := range variants {
		root, faults := simTree(v.file)
		res, err := sim.Run(root, faults, sim.Options{Duration: opts.duration, Seed: opts.seed})
		if err != nil {
			fmt.Fprintf(stderr, "supervise simulate: %s: %v\n", v.name, err)
			return exitFailure
		}
		results[i] = &outcome{variant: v, res: res}
	}
	if opts.svg != "" {
		if err := writeTimeline(opts.svg, results, opts); err != nil {
			fmt.Fprintln(stderr, "supervise simulate:", err)
			return exitFailure
		}
	}
	if opts.json {
		err = writeJSON(stdout, results, opts)
	} else if len(results) == 1 {
		err = writeTable(stdout, results[0], opts)
	} else {
		err = writeComparison(stdout, results, opts)
	}
	if err != nil {
		fmt.Fprintln(stderr, "supervise simulate:", err)
		return exitFailure
	}
	return exitOK
}

// noFaultsWarning is printed when no process of any file can fail, so
// that a table of 100 % uptime is not mistaken for a result.
const noFaultsWarning = "supervise simulate: warning: no process can fail, so every child will be up 100% of the time: " +
	"give processes simulate: keys that fail them (fail_at, mtbf, crash_on_start, outages), or use --faults or --faults-from"

// anyFailure reports whether the fault model of some process of some
// variant makes it fail.
func anyFailure(vs []*variant) bool {
	for _, v := range vs {
		found := false
		walk(v.file.Root, func(c config.Child) {
			if p, ok := c.(*config.Process); ok && p.Faults != nil {
				m := p.Faults
				found = found || len(m.FailAt) > 0 || m.MTBF > 0 || m.CrashOnStart > 0 || len(m.Outages) > 0 || m.HangMTBF > 0
			}
		})
		if found {
			return true
		}
	}
	return false
}

func printError(w io.Writer, err error) {
	if ce, ok := err.(*config.Error); ok {
		fmt.Fprintln(w, ce.Error())
		return
	}
	fmt.Fprintln(w, "supervise simulate:", err)
}

// parseFlags parses flags and files in any order.
func parseFlags(args []string) (*options, error) {
	o := &options{duration: time.Hour, seed: 1}
	fs := newFlagSet(o)
	for {
		if err := cli.ParseQuietly(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		o.files = append(o.files, args[0])
		args = args[1:]
	}
	return o, o.check()
}

// newFlagSet defines simulate's flags over o.
func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.Func("duration", "virtual time `D` to simulate, such as 1h or 24h (default 1h, or the span of the --faults-from log)", func(s string) error {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return fmt.Errorf("found %q, expected a positive duration such as 1h", s)
		}
		o.duration, o.durationOK = d, true
		return nil
	})
	fs.Uint64Var(&o.seed, "seed", 1, "`N`, the seed of the random draws (crashes, mtbf failures, jitter); the same seed gives the same run")
	fs.StringVar(&o.faults, "faults", "", "a faults `FILE` whose models replace the file's simulate: keys, per process path")
	fs.StringVar(&o.faultsFrom, "faults-from", "", "replay the failures recorded in the JSON `LOG` of a supervise run")
	fs.BoolVar(&o.json, "json", false, "print the results as JSON")
	fs.StringVar(&o.svg, "svg", "", "draw a timeline to `FILE` (SVG; HTML if it ends in .html)")
	fs.Func("vary", "compare values of one setting of the root, `KEY=V1,V2,...`, such as backoff.max=10s,1m,5m (keys: "+strings.Join(varyKeys, ", ")+")", func(s string) error {
		if o.vary != nil {
			return errors.New("give --vary once")
		}
		v, err := parseVary(s)
		o.vary = v
		return err
	})
	return fs
}

// check reports command lines that parse but make no sense.
func (o *options) check() error {
	switch {
	case len(o.files) == 0:
		return errors.New("no FILE given; see supervise simulate --help")
	case o.vary != nil && len(o.files) > 1:
		return errors.New("--vary compares values on one FILE; give one FILE, or several FILEs without --vary")
	}
	return nil
}

// variant is one tree to simulate: a file, perhaps with one setting
// varied.
type variant struct {
	name string
	path string
	file *config.File
}

// load reads the files and fault models and builds the variants. Warnings
// about the --faults-from log go to warn, once.
func load(o *options, warn io.Writer) ([]*variant, error) {
	var faults []byte
	if o.faults != "" {
		data, err := config.ReadFile(o.faults)
		if err != nil {
			return nil, err
		}
		faults = data
	}
	var out []*variant
	var first *config.File
	for _, path := range o.files {
		data, err := config.ReadFile(path)
		if err != nil {
			return nil, err
		}
		values := []string{""}
		if o.vary != nil {
			values = o.vary.values
		}
		for _, val := range values {
			f, err := config.Parse(path, data)
			if err != nil {
				return nil, err
			}
			if faults != nil {
				if err := config.ParseFaults(o.faults, faults, f); err != nil {
					return nil, err
				}
			}
			if o.faultsFrom != "" {
				models, span, err := loadReplay(o.faultsFrom, f, warn)
				warn = io.Discard // the same log again, for the next variant
				if err != nil {
					return nil, err
				}
				for p, m := range models {
					p.Faults = m
				}
				if !o.durationOK && span > 0 {
					o.duration = span.Truncate(time.Second) + time.Second
				}
			}
			if first == nil {
				first = f
			} else {
				shareFaults(first, f)
			}
			v := &variant{name: filepath.Base(path), path: path, file: f}
			if o.vary != nil {
				v.name = o.vary.key + "=" + val
				if err := apply(f, o.vary.key, val); err != nil {
					return nil, fmt.Errorf("--vary %s: the file does not take it:\n%w", v.name, err)
				}
			}
			out = append(out, v)
		}
	}
	uniqueNames(out)
	return out, nil
}

// shareFaults gives each process of f that has no fault model the model
// of the process with the same path in first, so that several files are
// compared under the same faults.
func shareFaults(first, f *config.File) {
	models := map[string]*config.FaultModel{}
	walk(first.Root, func(c config.Child) {
		if p, ok := c.(*config.Process); ok && p.Faults != nil {
			models[p.Path] = p.Faults
		}
	})
	walk(f.Root, func(c config.Child) {
		if p, ok := c.(*config.Process); ok && p.Faults == nil {
			p.Faults = models[p.Path]
		}
	})
}

// uniqueNames names variants of files with the same base name by path.
func uniqueNames(vs []*variant) {
	seen := map[string]int{}
	for _, v := range vs {
		seen[v.name]++
	}
	for _, v := range vs {
		if seen[v.name] > 1 {
			v.name = v.path
		}
	}
}
