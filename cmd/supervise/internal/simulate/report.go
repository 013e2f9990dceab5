package simulate

import (
	"bytes"
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

// giveUp is when giving up reached a lane, for the tables and JSON.
type giveUp struct {
	// n is how many times it happened: for a supervisor that gave up
	// itself, how many times it did (its parent may have restarted it);
	// otherwise 1, or 0 when it never happened.
	n int
	// at is when the supervisor that gave up decided to: the lane's own
	// first decision for a supervisor that gave up itself, else the
	// decision of the nearest supervisor above it that gave up.
	at time.Duration
	// stopped is when that supervisor had stopped everything under it and
	// ended, leaving the lane given up; stopping children takes time, so
	// it can be later than at. Valid when hasStop.
	stopped time.Duration
	hasStop bool
}

// gaveUp says when giving up reached lane l: for a supervisor, its own
// giving up, or an ancestor's that left it stopped; for a process, the
// first time its supervisor's (or an ancestor's) giving up left it
// stopped.
func (o *outcome) gaveUp(l *sim.Lane) giveUp {
	var g giveUp
	for _, sp := range l.Spans {
		if sp.State == "gave_up" && sp.From <= o.res.Duration {
			g.stopped, g.hasStop = sp.From, true
			break
		}
	}
	if l.Group {
		for _, s := range supervisors(o.res) {
			if s.Path == l.Path && len(s.GaveUp) > 0 && s.GaveUp[0].At <= o.res.Duration {
				// Its own lane may have been left stopped later, by an
				// ancestor; its children were left stopped when it had
				// stopped them.
				g.n, g.at = len(s.GaveUp), s.GaveUp[0].At
				g.stopped, g.hasStop = o.childrenStopped(l.Path, g.at)
				return g
			}
		}
	}
	if !g.hasStop {
		return g
	}
	// The decision was taken by the nearest supervisor above that gave up
	// before the lane was left stopped.
	g.n, g.at = 1, g.stopped
	best := -1
	for _, s := range supervisors(o.res) {
		if s.Path == l.Path || !strings.HasPrefix(l.Path, s.Path+"/") || len(s.Path) <= best {
			continue
		}
		for _, gu := range s.GaveUp {
			if gu.At <= g.stopped {
				g.at, best = gu.At, len(s.Path)
			}
		}
	}
	return g
}

// childrenStopped is when the lanes under the supervisor at path were
// first left stopped by giving up, at or after at: when that supervisor,
// having given up at at, had stopped them all.
func (o *outcome) childrenStopped(path string, at time.Duration) (time.Duration, bool) {
	var first time.Duration
	found := false
	for i := range o.res.Lanes {
		l := &o.res.Lanes[i]
		if !strings.HasPrefix(l.Path, path+"/") {
			continue
		}
		for _, sp := range l.Spans {
			if sp.State == "gave_up" && sp.From >= at && sp.From <= o.res.Duration {
				if !found || sp.From < first {
					first, found = sp.From, true
				}
				break
			}
		}
	}
	return first, found
}

// gaveUpText is the GAVE UP cell of lane l: "-", "at 26.8s" when
// everything had stopped at once, "at 26.8s (stopped by 28.8s)" when
// stopping the children took time, or "2×, first at 3m2s".
func (o *outcome) gaveUpText(l *sim.Lane) string {
	g := o.gaveUp(l)
	switch {
	case g.n == 0:
		return "-"
	case g.n > 1:
		return fmt.Sprintf("%d×, first at %s", g.n, fmtDur(g.at))
	}
	return atStopped(g.at, g.stopped, g.hasStop)
}

// atStopped says "at AT", and "(stopped by STOPPED)" when later.
func atStopped(at, stopped time.Duration, hasStop bool) string {
	if hasStop && stopped > at {
		return fmt.Sprintf("at %s (stopped by %s)", fmtDur(at), fmtDur(stopped))
	}
	return "at " + fmtDur(at)
}

// treeGaveUp says when the root decided to give up, and when the tree
// had stopped (res.Outcome.At); ok is false while the tree ran to the end.
func treeGaveUp(res *sim.Result) (at, stopped time.Duration, ok bool) {
	out := res.Outcome
	if out == nil || out.At > res.Duration {
		return 0, 0, false
	}
	at = out.At
	if len(res.Lanes) > 0 {
		if gs := res.Lanes[0].GaveUp; len(gs) > 0 && gs[len(gs)-1].At <= out.At {
			at = gs[len(gs)-1].At
		}
	}
	return at, out.At, true
}

// supervisors returns the lanes of the root and every nested supervisor,
// in lane order.
func supervisors(res *sim.Result) []*sim.Lane {
	var out []*sim.Lane
	for i := range res.Lanes {
		if res.Lanes[i].Group {
			out = append(out, &res.Lanes[i])
		}
	}
	return out
}

// laneAt returns the lane of res with the given path.
func laneAt(res *sim.Result, path string) (*sim.Lane, bool) {
	for i := range res.Lanes {
		if res.Lanes[i].Path == path {
			return &res.Lanes[i], true
		}
	}
	return nil, false
}

func writeTable(w io.Writer, o *outcome, opts *options) error {
	res := o.res
	fmt.Fprintf(w, "%s: %s of virtual time, seed %d\n\n", o.variant.name, fmtDur(res.Duration), opts.seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHILD\tSTARTS\tRESTARTING\tFAILURES\tUP\tDOWN\tAVAIL\tLONGEST OUTAGE\tGAVE UP")
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
	for _, s := range supervisors(res) {
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
	at, stopped, ok := treeGaveUp(res)
	if !ok {
		return fmt.Sprintf("the tree was running at the end, %s", fmtDur(res.Duration))
	}
	out := res.Outcome
	if stopped > at {
		return fmt.Sprintf("the tree gave up at %s (%s by %s) and had stopped every child by %s: nothing runs from then on",
			fmtDur(at), out.Reason, out.Child, fmtDur(stopped))
	}
	return fmt.Sprintf("the tree gave up at %s (%s by %s): nothing runs from then on", fmtDur(at), out.Reason, out.Child)
}

// writeComparison prints the variants side by side: availability and
// giving up per child, then totals.
func writeComparison(w io.Writer, outs []*outcome, opts *options) error {
	fmt.Fprintf(w, "%d variants, the same faults, seed %d, %s of virtual time:\n", len(outs), opts.seed, fmtDur(opts.duration))
	for i, o := range outs {
		fmt.Fprintf(w, "  %s  %s\n", letter(i), o.variant.name)
	}
	fmt.Fprintln(w)
	// Every row has every cell, each ended by a tab, so that the totals
	// do not split the columns into blocks; trimRight drops the padding
	// this leaves at the ends of the lines.
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	header := []string{"CHILD"}
	for i := range outs {
		header = append(header, letter(i)+" AVAIL", letter(i)+" GAVE UP")
	}
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	for _, path := range lanePaths(outs) {
		row := []string{path}
		for _, o := range outs {
			if l, ok := laneAt(o.res, path); ok {
				row[0] = laneName(l)
			}
		}
		for _, o := range outs {
			l, ok := laneAt(o.res, path)
			if !ok {
				row = append(row, "n/a", "n/a")
				continue
			}
			row = append(row, pct(l.Stats.Availability), o.gaveUpText(l))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	// The totals go under the AVAIL columns, but "tree gave up" under
	// GAVE UP.
	totals := []struct {
		name   string
		f      func(*outcome) string
		gaveUp bool
	}{
		{"mean process availability", func(o *outcome) string { return pct(summarize(o).meanAvail) }, false},
		{"worst process availability", func(o *outcome) string { return pct(summarize(o).minAvail) }, false},
		{"failures", func(o *outcome) string { return fmt.Sprint(summarize(o).failures) }, false},
		{"restarting", func(o *outcome) string { return fmt.Sprint(summarize(o).restarts) }, false},
		{"tree gave up", func(o *outcome) string {
			if at, stopped, ok := treeGaveUp(o.res); ok {
				return atStopped(at, stopped, true)
			}
			return "never"
		}, true},
	}
	for _, t := range totals {
		row := []string{t.name}
		for _, o := range outs {
			if t.gaveUp {
				row = append(row, "", t.f(o))
			} else {
				row = append(row, t.f(o), "")
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := trimRight(w, table.Bytes()); err != nil {
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

// trimRight writes text to w without the spaces at the ends of its lines.
func trimRight(w io.Writer, text []byte) error {
	var b bytes.Buffer
	for line := range bytes.Lines(text) {
		b.Write(bytes.TrimRight(line, " \n"))
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
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
// second, the tenth of a second below a minute; above, it drops the part
// below the tenth, so that an up time of 9m59.96s never reads as the
// whole 10m0s run, and up and down add up to the run within 0.2 s.
func fmtDur(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Truncate(100 * time.Millisecond).String()
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
		Path                 string  `json:"path"`
		Kind                 string  `json:"kind"` // "process" or "supervisor"
		Starts               int     `json:"starts"`
		Restarts             int     `json:"restarts"` // RESTARTING: kept as it was named, for the readers of --json
		Failures             int     `json:"failures"`
		StopTimeouts         int     `json:"stop_timeouts"`
		UpSeconds            float64 `json:"up_seconds"`
		DownSeconds          float64 `json:"down_seconds"`
		Availability         float64 `json:"availability"`
		LongestOutageSeconds float64 `json:"longest_outage_seconds"`
		// GaveUpAtSeconds is when the supervisor that gave up on this
		// node decided to: the node's own first giving up for a
		// supervisor that gave up, else that of the nearest supervisor
		// above it; StoppedAtSeconds is when that supervisor had
		// stopped everything under it, which takes the children's stop
		// time. Both are null when it never happened.
		GaveUpAtSeconds  *float64 `json:"gave_up_at_seconds"`
		StoppedAtSeconds *float64 `json:"stopped_at_seconds"`
	}
	jsonSupervisor struct {
		Path   string       `json:"path"`
		GaveUp []jsonGiveUp `json:"gave_up"`
	}
	jsonGiveUp struct {
		// AtSeconds is when the supervisor decided to give up.
		AtSeconds float64 `json:"at_seconds"`
		// StoppedAtSeconds, for the whole tree, is when it had stopped
		// every child.
		StoppedAtSeconds *float64 `json:"stopped_at_seconds,omitempty"`
		Reason           string   `json:"reason"`
		Child            string   `json:"child"`
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
		if g := o.gaveUp(l); g.n > 0 {
			at := g.at.Seconds()
			c.GaveUpAtSeconds = &at
			if g.hasStop {
				stopped := g.stopped.Seconds()
				c.StoppedAtSeconds = &stopped
			}
		}
		r.Children = append(r.Children, c)
	}
	for _, s := range supervisors(res) {
		js := jsonSupervisor{Path: s.Path, GaveUp: []jsonGiveUp{}}
		for _, g := range s.GaveUp {
			js.GaveUp = append(js.GaveUp, jsonGiveUp{AtSeconds: g.At.Seconds(), Reason: g.Reason, Child: g.Child})
		}
		r.Supervisors = append(r.Supervisors, js)
	}
	if at, stopped, ok := treeGaveUp(res); ok {
		out, s := res.Outcome, stopped.Seconds()
		r.GaveUp = &jsonGiveUp{AtSeconds: at.Seconds(), StoppedAtSeconds: &s, Reason: out.Reason, Child: out.Child}
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
