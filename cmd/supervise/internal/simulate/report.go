package simulate

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/arborgo/arbor/supervisor/sim"
)

// outcome is one simulated variant.
type outcome struct {
	variant *variant
	res     *sim.Result
}

// gaveUp says when a lane's supervisor gave up on it, for the table: for
// a supervisor lane, its own giving up; for a process, the first time it
// was left stopped by its supervisor giving up.
func (o *outcome) gaveUp(l *sim.Lane) (n int, first time.Duration, cause string) {
	if l.Group {
		for _, s := range o.res.Supervisors {
			if s.Path == l.Path && len(s.GaveUp) > 0 {
				return len(s.GaveUp), s.GaveUp[0].At, s.GaveUp[0].Child
			}
		}
		return 0, 0, ""
	}
	for _, sp := range l.Spans {
		if sp.State == sim.GaveUp && sp.From <= o.res.Duration {
			return 1, sp.From, ""
		}
	}
	return 0, 0, ""
}

func (o *outcome) gaveUpText(l *sim.Lane) string {
	n, at, _ := o.gaveUp(l)
	switch {
	case n == 0:
		return "-"
	case n == 1:
		return "at " + fmtDur(at)
	}
	return fmt.Sprintf("%d×, first at %s", n, fmtDur(at))
}

func writeTable(w io.Writer, o *outcome, opts *options) error {
	res := o.res
	fmt.Fprintf(w, "%s: %s of virtual time, seed %d\n\n", o.variant.name, fmtDur(res.Duration), opts.seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHILD\tSTARTS\tRESTARTS\tFAILURES\tUP\tDOWN\tAVAIL\tLONGEST OUTAGE\tGAVE UP")
	for i := range res.Lanes {
		l := &res.Lanes[i]
		st := l.Stats
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\n", laneName(l), st.Starts, st.Restarts, st.Failures,
			fmtDur(st.Up), fmtDur(st.Down), pct(st.Availability), fmtDur(st.LongestOutage), o.gaveUpText(l))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, s := range res.Supervisors {
		switch n := len(s.GaveUp); n {
		case 0:
			fmt.Fprintf(w, "supervisor %s: never gave up\n", s.Path)
		default:
			g := s.GaveUp[0]
			times := "gave up"
			if n > 1 {
				times = fmt.Sprintf("gave up %d times, first", n)
			}
			fmt.Fprintf(w, "supervisor %s: %s at %s (%s by %s)\n", s.Path, times, fmtDur(g.At), g.Reason, g.Child)
		}
	}
	fmt.Fprintln(w, treeLine(res))
	return nil
}

// treeLine says how the tree ended.
func treeLine(res *sim.Result) string {
	out := res.Outcome
	if out == nil || out.At > res.Duration {
		return fmt.Sprintf("the tree was running at the end, %s", fmtDur(res.Duration))
	}
	return fmt.Sprintf("the tree gave up at %s (%s by %s): nothing runs from then on", fmtDur(out.At), out.Reason, out.Child)
}

// writeComparison prints the variants side by side: availability and
// giving up per child, then totals.
func writeComparison(w io.Writer, outs []*outcome, opts *options) error {
	fmt.Fprintf(w, "%d variants, the same faults, seed %d, %s of virtual time:\n", len(outs), opts.seed, fmtDur(opts.duration))
	for i, o := range outs {
		fmt.Fprintf(w, "  %s  %s\n", letter(i), o.variant.name)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := []string{"CHILD"}
	for i := range outs {
		header = append(header, letter(i)+" AVAIL", letter(i)+" GAVE UP")
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, path := range lanePaths(outs) {
		row := []string{path}
		for _, o := range outs {
			if l, ok := o.res.Lane(path); ok {
				row[0] = laneName(l)
			}
		}
		for _, o := range outs {
			l, ok := o.res.Lane(path)
			if !ok {
				row = append(row, "n/a", "n/a")
				continue
			}
			row = append(row, pct(l.Stats.Availability), o.gaveUpText(l))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	totals := []struct {
		name string
		f    func(*outcome) string
	}{
		{"mean process availability", func(o *outcome) string { return pct(summarize(o).meanAvail) }},
		{"worst process availability", func(o *outcome) string { return pct(summarize(o).minAvail) }},
		{"failures", func(o *outcome) string { return fmt.Sprint(summarize(o).failures) }},
		{"restarts", func(o *outcome) string { return fmt.Sprint(summarize(o).restarts) }},
		{"tree gave up", func(o *outcome) string {
			if out := o.res.Outcome; out != nil && out.At <= o.res.Duration {
				return "at " + fmtDur(out.At)
			}
			return "never"
		}},
	}
	for _, t := range totals {
		row := []string{t.name}
		for i, o := range outs {
			row = append(row, t.f(o))
			if i < len(outs)-1 {
				row = append(row, "")
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	best := -1
	for i, o := range outs {
		if out := o.res.Outcome; out != nil && out.At <= o.res.Duration {
			continue
		}
		if best < 0 || summarize(o).meanAvail > summarize(outs[best]).meanAvail {
			best = i
		}
	}
	fmt.Fprintln(w)
	if best < 0 {
		fmt.Fprintln(w, "every variant gave up")
	} else {
		fmt.Fprintf(w, "most available without giving up: %s (%s), %s mean\n", letter(best), outs[best].variant.name, pct(summarize(outs[best]).meanAvail))
	}
	return nil
}

// summary sums up the processes of a variant.
type summary struct {
	meanAvail, minAvail float64
	failures, restarts  int
}

func summarize(o *outcome) summary {
	s := summary{minAvail: 1}
	n := 0
	for i := range o.res.Lanes {
		l := &o.res.Lanes[i]
		if l.Group {
			continue
		}
		n++
		s.meanAvail += l.Stats.Availability
		s.minAvail = min(s.minAvail, l.Stats.Availability)
		s.failures += l.Stats.Failures
		s.restarts += l.Stats.Restarts
	}
	if n > 0 {
		s.meanAvail /= float64(n)
	}
	return s
}

// laneName is how the tables name a lane: its path, with a trailing "/"
// for a supervisor.
func laneName(l *sim.Lane) string {
	if l.Group {
		return l.Path + "/"
	}
	return l.Path
}

// lanePaths is the union of the variants' lane paths, in the order they
// first appear.
func lanePaths(outs []*outcome) []string {
	seen := map[string]bool{}
	var paths []string
	for _, o := range outs {
		for _, l := range o.res.Lanes {
			if !seen[l.Path] {
				seen[l.Path] = true
				paths = append(paths, l.Path)
			}
		}
	}
	return paths
}

func letter(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return fmt.Sprintf("V%d", i+1)
}

func pct(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) }

// fmtDur rounds a duration for reading: to the millisecond below a
// second, the tenth of a second below a minute, the second above.
func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// The JSON output.
type (
	jsonOutput struct {
		Variants []jsonResult `json:"variants"`
	}
	jsonResult struct {
		Name            string           `json:"name"`
		File            string           `json:"file"`
		Seed            uint64           `json:"seed"`
		DurationSeconds float64          `json:"duration_seconds"`
		Children        []jsonChild      `json:"children"`
		Supervisors     []jsonSupervisor `json:"supervisors"`
		// GaveUp is how the whole tree ended: null while it ran to the
		// end.
		GaveUp *jsonGiveUp `json:"gave_up"`
	}
	jsonChild struct {
		Path                 string   `json:"path"`
		Kind                 string   `json:"kind"` // "process" or "supervisor"
		Starts               int      `json:"starts"`
		Restarts             int      `json:"restarts"`
		Failures             int      `json:"failures"`
		StopTimeouts         int      `json:"stop_timeouts"`
		UpSeconds            float64  `json:"up_seconds"`
		DownSeconds          float64  `json:"down_seconds"`
		Availability         float64  `json:"availability"`
		LongestOutageSeconds float64  `json:"longest_outage_seconds"`
		GaveUpAtSeconds      *float64 `json:"gave_up_at_seconds"`
	}
	jsonSupervisor struct {
		Path   string       `json:"path"`
		GaveUp []jsonGiveUp `json:"gave_up"`
	}
	jsonGiveUp struct {
		AtSeconds float64 `json:"at_seconds"`
		Reason    string  `json:"reason"`
		Child     string  `json:"child"`
	}
)

func jsonOf(o *outcome, opts *options) jsonResult {
	res := o.res
	r := jsonResult{Name: o.variant.name, File: o.variant.path, Seed: opts.seed, DurationSeconds: res.Duration.Seconds(),
		Children: []jsonChild{}, Supervisors: []jsonSupervisor{}}
	for i := range res.Lanes {
		l := &res.Lanes[i]
		st := l.Stats
		c := jsonChild{Path: l.Path, Kind: "process", Starts: st.Starts, Restarts: st.Restarts, Failures: st.Failures,
			StopTimeouts: st.StopTimeouts, UpSeconds: st.Up.Seconds(), DownSeconds: st.Down.Seconds(),
			Availability: st.Availability, LongestOutageSeconds: st.LongestOutage.Seconds()}
		if l.Group {
			c.Kind = "supervisor"
		}
		if n, at, _ := o.gaveUp(l); n > 0 {
			s := at.Seconds()
			c.GaveUpAtSeconds = &s
		}
		r.Children = append(r.Children, c)
	}
	for _, s := range res.Supervisors {
		js := jsonSupervisor{Path: s.Path, GaveUp: []jsonGiveUp{}}
		for _, g := range s.GaveUp {
			js.GaveUp = append(js.GaveUp, jsonGiveUp{AtSeconds: g.At.Seconds(), Reason: g.Reason.String(), Child: g.Child})
		}
		r.Supervisors = append(r.Supervisors, js)
	}
	if out := res.Outcome; out != nil && out.At <= res.Duration {
		r.GaveUp = &jsonGiveUp{AtSeconds: out.At.Seconds(), Reason: out.Reason.String(), Child: out.Child}
	}
	return r
}

// writeJSON prints {"variants": [...]}, one result per variant, a single
// run included, so that a consumer reads one shape.
func writeJSON(w io.Writer, outs []*outcome, opts *options) error {
	var out jsonOutput
	for _, o := range outs {
		out.Variants = append(out.Variants, jsonOf(o, opts))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
