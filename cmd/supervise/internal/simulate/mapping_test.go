package simulate

import (
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/cmd/supervise/internal/demo"
	"github.com/arborgo/arbor/engine/process"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/sim"
)

// notTrees are the YAML files of the repository that are not valid trees
// on purpose: files of fault models, and invalid input.
var notTrees = []string{
	"cmd/supervise/internal/config/testdata/bad.yaml",
	"cmd/supervise/internal/config/testdata/faults.yaml",
	"cmd/supervise/internal/simulate/testdata/bad.yaml",
	"cmd/supervise/internal/simulate/testdata/badfaults.yaml",
	"cmd/supervise/internal/simulate/testdata/faults.yaml",
	"cmd/supervise/internal/simulate/testdata/nofaults-faults.yaml",
}

// TestRunAndSimulateResolveAlike: for every tree file of the repository
// (the demo's with its binary's path filled in, as supervise demo does),
// the tree supervise simulate hands the simulator resolves to the same
// child specs, readiness included, as the tree supervise run starts, and
// every process counts as ready when its engine says it does.
func TestRunAndSimulateResolveAlike(t *testing.T) {
	const repo = "../../../../"
	// Every YAML file, wherever it is: one added anywhere is compared, or
	// must be listed in notTrees.
	var files []string
	err := filepath.WalkDir(repo, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && strings.HasPrefix(d.Name(), ".") && d.Name() != "." && d.Name() != "..":
			return filepath.SkipDir
		case !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")):
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	trees := 0
	for _, path := range files {
		name := strings.TrimPrefix(path, repo)
		f, err := config.Load(path)
		if name == "cmd/supervise/internal/demo/demo.yaml" {
			f, err = config.Parse(name, []byte(demo.File("/usr/bin/supervise")))
		}
		if slices.Contains(notTrees, name) {
			if err == nil {
				t.Errorf("%s loads as a tree; take it off notTrees so that it is compared", name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		trees++
		t.Run(name, func(t *testing.T) {
			// As the daemon builds it for supervise run.
			var set process.Set
			live := assemble.Build(f, assemble.Options{Logger: slog.New(slog.DiscardHandler), Set: &set, OnGroup: func(int, bool) {}})
			root, faults := simTree(f)
			got := resolved(t, root, faults)
			want := resolved(t, live.Root, nil)
			if !slices.Equal(got, want) {
				t.Errorf("simulate resolves\n\t%s\nrun resolves\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
			res, err := sim.Run(root, faults, sim.Options{Duration: time.Nanosecond})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range res.Lanes {
				if p, ok := live.Procs[l.Path]; ok && l.ReportsReady != p.ReportsReady() {
					t.Errorf("%s: simulated ReportsReady = %v; the engine of supervise run says %v", l.Path, l.ReportsReady, p.ReportsReady())
				}
			}
		})
	}
	if trees < 13 {
		t.Errorf("compared %d tree files; want every one of the repository (at least 13)", trees)
	}
}

// resolved lists the policy of every node of the tree under root as the
// simulator reads it, which is how the live supervisor resolves it.
func resolved(t *testing.T, root *supervisor.Supervisor, faults func(string) sim.Faults) []string {
	t.Helper()
	res, err := sim.Run(root, faults, sim.Options{Duration: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range res.Lanes {
		out = append(out, fmt.Sprintf("%s group=%v restart=%v significant=%v ready=%v shutdown=%v start_timeout=%v backoff=%+v",
			l.Path, l.Group, l.Restart, l.Significant, l.ReportsReady, l.Shutdown, l.StartTimeout, l.Backoff))
	}
	return out
}
