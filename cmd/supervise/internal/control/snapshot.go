package control

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/engine/process"
	"github.com/arborgo/arbor/supervisor"
)

// Rows flattens a tree snapshot, depth first in start order, into status
// rows. Process children are *assemble.Proc engines, which give their PID.
func Rows(s *supervisor.Snapshot, now time.Time) []Row {
	var rows []Row
	var walk func(*supervisor.Snapshot)
	walk = func(s *supervisor.Snapshot) {
		if s == nil {
			return
		}
		for _, c := range s.Children {
			rows = append(rows, row(c, now))
			walk(c.Sub)
		}
	}
	walk(s)
	return rows
}

func row(c supervisor.ChildStatus, now time.Time) Row {
	r := Row{Path: c.Path, Kind: "supervisor", State: c.State.String(), Restarts: c.Restarts, Since: c.Since}
	if c.State == supervisor.StateRunning && !c.Since.IsZero() {
		r.Uptime = now.Sub(c.Since).Seconds()
	}
	if c.State == supervisor.StateBackingOff {
		r.BackoffLeft = c.BackoffLeft.Seconds()
	}
	if c.Done {
		r.State = "done" // a step that finished its job: not down
	}
	if c.LastErr != nil || c.LastExit != supervisor.ExitNormal || c.Restarts > 0 {
		r.LastExit = c.LastExit.String()
	}
	if c.LastErr != nil {
		r.Error, _, _ = strings.Cut(c.LastErr.Error(), "\n")
	}
	p, ok := c.Engine.(*assemble.Proc)
	if !ok {
		return r
	}
	r.Kind = "process"
	r.PID = p.PID()
	last, ended := p.LastExit()
	if !ended && c.LastErr != nil {
		// A child replaced in its place (a reload) has a new engine that
		// has not ended yet; the last exit, the old engine's, is the
		// snapshot's.
		last, ended = assemble.Exit{Err: c.LastErr}, true
	}
	processExit(&r, last, ended)
	if c.LastExit == supervisor.ExitUnhealthy {
		// Stopped by supervise, but for failing its liveness check.
		r.LastExit = supervisor.ExitUnhealthy.String()
	}
	r.Status = p.NotifyStatus()
	return r
}

// processExit sets the last exit fields of r from how the process's last
// run ended, when ended: LastExit is "stopped" when it ended after a
// deliberate stop (a group restart, a shutdown), whatever its exit status,
// since supervise asked for it; otherwise "normal" for exit code 0,
// "signal SIGNAME" or "code N". A run that ended with another error (a
// start failure) keeps the supervisor's exit kind set by row. Code and
// Signal are set whenever the exit had them, a stopped one included.
func processExit(r *Row, last assemble.Exit, ended bool) {
	var ee *process.ExitError
	switch {
	case !ended:
		return
	case last.Err == nil:
		r.LastExit = "normal"
		zero := 0
		r.Code = &zero
	case errors.As(last.Err, &ee):
		if ee.Signaled {
			r.Signal = config.SignalName(ee.Signal)
			if r.Signal == "" {
				r.Signal = ee.Signal.String()
			}
			r.LastExit = "signal " + r.Signal
		} else {
			code := ee.Code
			r.Code = &code
			r.LastExit = "code " + strconv.Itoa(code)
		}
	default:
		return
	}
	if last.Stopped || errors.Is(last.Err, process.ErrStopped) {
		r.LastExit = "stopped"
	}
}
