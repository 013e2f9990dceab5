// Package leakwatch watches the goroutines of every child of a tree, by
// their arbor.path profiler labels, and logs a warning with their stacks
// when a child's count keeps growing: the goroutine-leak monitoring that
// `defer engine.Stop()` code never gets.
//
// The watch is an engine: add it to the tree as one more child.
package leakwatch

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor/internal/goroutines"
)

// Options configure the watch.
type Options struct {
	// Every is the time between samples; zero means one minute.
	Every time.Duration
	// Growths is how many samples in a row a child's count must rise
	// before the watch warns; zero means 5. After a warning the child's
	// run of growths starts again.
	Growths int
	// Logger receives the warnings; nil means slog.Default().
	Logger *slog.Logger
}

// New returns the watch as an engine. Its Run samples every Every until
// its context ends or Stop is called, then returns nil; it never returns
// an error, and it does not report readiness (it counts as ready as its
// Run is called). Each Run starts with no history, so a restart forgets
// the growths counted so far.
//
// A sample counts the goroutines of the whole program by their arbor.path
// label (every supervision tree in the program, not only the one the watch
// runs in), each path with the paths below it, leaving out the
// supervisors' own idle goroutines; goroutines without the label are not
// watched. Of the paths that grew, it warns about those below which no
// other path grew, so a leak is named by its child, not also by every
// supervisor above it. Each sample reads one goroutine profile
// (docs/performance.md has its cost); a warning reads another for the
// stacks of the goroutines labelled with the path or a path below it.
func New(opts Options) engine.Engine {
	if opts.Every <= 0 {
		opts.Every = time.Minute
	}
	if opts.Growths <= 0 {
		opts.Growths = 5
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return engine.FromFunc(func(ctx context.Context) error {
		w := watch{opts: opts, last: map[string]int{}, rises: map[string]int{}}
		t := time.NewTicker(opts.Every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
				w.sample(goroutines.ByPath())
			}
		}
	})
}

type watch struct {
	opts  Options
	last  map[string]int
	rises map[string]int
}

// sample compares counts with the previous sample's and warns about the
// paths that grew Growths times in a row, each by its deepest path only:
// a child supervisor's count includes its children's.
func (w *watch) sample(counts map[string]int) {
	for path, n := range counts {
		if prev, seen := w.last[path]; seen && n > prev {
			w.rises[path]++
		} else {
			delete(w.rises, path)
		}
	}
	w.last = counts
	var grown []string
	for path, r := range w.rises {
		if r >= w.opts.Growths {
			grown = append(grown, path)
		}
	}
	slices.Sort(grown)
	for _, path := range grown {
		if slices.ContainsFunc(grown, func(p string) bool { return strings.HasPrefix(p, path+"/") }) {
			continue
		}
		w.opts.Logger.Warn("goroutines keep growing", "event", "goroutines_growing", "path", path,
			"count", counts[path], "samples", w.opts.Growths+1, "stacks", strings.Join(goroutines.Of(path), "\n\n"))
	}
	for _, path := range grown {
		delete(w.rises, path)
	}
}
