package supervisor

import (
	"strings"

	"github.com/arborgo/arbor/supervisor/internal/goroutines"
)

// warnLeaks logs the goroutines that a child's engine left running after
// it stopped cleanly.
func (r *runState) warnLeaks(c *child) {
	stacks := goroutines.Of(c.path)
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
		"path", c.path, "stacks", strings.Join(goroutines.Of(c.path), "\n\n"))
}
