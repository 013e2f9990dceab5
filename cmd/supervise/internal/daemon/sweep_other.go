//go:build !linux

package daemon

import (
	"log/slog"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
)

// sweeper finds no orphans where there is no /proc to find them in, and
// no child subreaper to make them supervise's.
type sweeper struct{}

func newSweeper() *sweeper { return &sweeper{} }

func (s *sweeper) nudge() {}

func (s *sweeper) start(*slog.Logger, func(string) *assemble.Proc, int) (stop func()) {
	return func() {}
}
