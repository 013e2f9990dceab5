//go:build !linux

package daemon

import "log/slog"

// parentGuarded is never set where there is no child subreaper for a
// parent guard to be.
var parentGuarded bool

// enterGuard returns false: without a child subreaper, orphans fall to
// init whatever their ancestor is, so supervise relies on its group guard.
func enterGuard(*slog.Logger, func()) (int, bool) { return 0, false }
