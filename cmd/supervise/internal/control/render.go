package control

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"
)

// Render writes the statuses as one aligned table: a line per child with
// its path, state, PID, uptime, restart count and last exit. Paths start
// with each tree's root name, so several trees share one table. Every
// string from the socket is printed escaped (a tab too, which would break
// the columns).
func Render(w io.Writer, sts []*Status) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	// STATUS, the processes' own sd_notify STATUS=, only when one sent it.
	statuses := false
	for _, st := range sts {
		for _, r := range st.Rows {
			statuses = statuses || r.Status != ""
		}
	}
	status := func(s string) string {
		switch {
		case !statuses:
			return ""
		case s == "":
			return "\t-"
		}
		return "\t" + escape(s)
	}
	fmt.Fprintln(tw, "PATH\tSTATE\tPID\tUPTIME\tRESTARTS\tLAST EXIT"+map[bool]string{true: "\tSTATUS"}[statuses])
	for _, st := range sts {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s%s\n", escape(st.Name), escape(rootState(st)), st.PID,
			duration(st.Time.Sub(st.Started)), "-", "-", status(""))
		for _, r := range st.Rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s%s\n", escape(r.Path), escape(state(r)), pid(r.PID),
				duration(time.Duration(r.Uptime*float64(time.Second))), r.Restarts, escape(lastExit(r)), status(r.Status))
		}
	}
	return tw.Flush()
}

// rootState is the root's own state, as readiness reports it: starting
// until its ordered start is done, stopping from the stop signal on (the
// drain included), else running.
func rootState(st *Status) string {
	if st.Ready != nil {
		for _, c := range st.Ready.NotReady {
			if c.Path == st.Name {
				return c.State
			}
		}
	}
	return "running"
}

func state(r Row) string {
	if r.State == "backing_off" && r.BackoffLeft > 0 {
		return fmt.Sprintf("backing_off (%s)", duration(time.Duration(r.BackoffLeft*float64(time.Second))))
	}
	return r.State
}

func pid(p int) string {
	if p == 0 {
		return "-"
	}
	return strconv.Itoa(p)
}

// lastExit renders how the last run ended: LastExit ("code 3",
// "signal SIGKILL", "stopped", "normal", ...), followed by the error when
// the run ended without an exit code or signal ("start_failed: ..."), or
// "-".
func lastExit(r Row) string {
	switch {
	case r.LastExit == "":
		return "-"
	case r.Error != "" && r.Code == nil && r.Signal == "":
		return r.LastExit + ": " + r.Error
	}
	return r.LastExit
}

// duration rounds d for people: 850ms, 12s, 3m04s, 2h05m, 3d04h.
func duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
}
