package supervisor

import (
	"bytes"
	"runtime/pprof"
	"strings"
)

// labelKey is the runtime/pprof label that carries a child's path on
// every goroutine of the child: its worker, its stopper, and whatever its
// engine starts. CPU and goroutine profiles attribute work by it.
const labelKey = "arbor.path"

// goroutinesOf returns the goroutine-profile stacks of the goroutines
// labelled with path or a path below it, leaving out the supervisor's own
// worker and stopper unless they are inside the engine's Run or Stop.
func goroutinesOf(path string) []string {
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
		return nil
	}
	exact := `"` + labelKey + `":"` + path + `"`
	below := `"` + labelKey + `":"` + path + `/`
	var out []string
	for _, block := range strings.Split(buf.String(), "\n\n") {
		if !strings.Contains(block, exact) && !strings.Contains(block, below) {
			continue
		}
		// The supervisor's own worker and stopper are left out while they
		// are idle; inside the engine's Run or Stop they show where it
		// hangs.
		own := strings.Contains(block, "supervisor.(*child).work") || strings.Contains(block, "supervisor.(*child).stopRun") ||
			strings.Contains(block, "supervisor.(*child).awaitWorker")
		inEngine := strings.Contains(block, "supervisor.(*worker).callRun") || strings.Contains(block, "supervisor.(*child).callStop")
		if own && !inEngine {
			continue
		}
		out = append(out, block)
	}
	return out
}

// warnLeaks logs the goroutines that a child's engine left running after
// it stopped cleanly.
func (r *runState) warnLeaks(c *child) {
	stacks := goroutinesOf(c.path)
	if len(stacks) == 0 || r.cfg.Logger == nil {
		return
	}
	defer r.recoverUserPanic("logger")
	r.cfg.Logger.Warn("goroutines left running after a clean stop", "event", "leaked_goroutines",
		"path", c.path, "count", len(stacks), "stacks", strings.Join(stacks, "\n\n"))
}

// logAbandoned logs the stacks of an abandoned child's goroutines, so the
// report says where it hangs.
func (r *runState) logAbandoned(c *child) {
	if r.cfg.Logger == nil {
		return
	}
	defer r.recoverUserPanic("logger")
	r.cfg.Logger.Error("goroutines of an abandoned child", "event", "abandoned_stacks",
		"path", c.path, "stacks", strings.Join(goroutinesOf(c.path), "\n\n"))
}
