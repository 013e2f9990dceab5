package simulate

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/arborgo/arbor/supervisor/sim"
)

// The timeline's geometry, in pixels.
const (
	svgWidth    = 1200
	labelWidth  = 250
	rightMargin = 24
	plotWidth   = svgWidth - labelWidth - rightMargin // one column per pixel
	headerH     = 64                                  // title and legend
	sectionH    = 34                                  // a variant's heading and axis labels
)

// class is what a pixel column of a lane shows: the lane's state (as
// sim.Span names it) it spent the most time in, or flapping.
type class uint8

const (
	stopped class = iota
	starting
	running
	stopping
	backingOff
	gaveUp
	done
	// flapping marks a pixel column with so many failures that its
	// states cannot be told apart at this scale.
	flapping
	numStates = flapping
)

// classNames are the states' names in sim.Span, and flapping.
var classNames = [...]string{"stopped", "starting", "running", "stopping", "backing_off", "gave_up", "done", "flapping"}

// classOf maps a sim.Span state; an unknown one reads as stopped.
func classOf(state string) class {
	for i, n := range classNames[:numStates] {
		if n == state {
			return class(i)
		}
	}
	return stopped
}

const flapFailures = 3

var stateColors = map[class]string{
	stopped:    "#dedede",
	starting:   "#f6c85f",
	running:    "#59a14f",
	stopping:   "#a58bd0",
	backingOff: "#f28e2b",
	gaveUp:     "#3b3b3b",
	done:       "#a8d5a0",
	flapping:   "url(#flap)",
}

var legendOrder = []class{running, done, starting, backingOff, stopping, stopped, gaveUp, flapping}

func stateName(s class) string { return strings.ReplaceAll(classNames[s], "_", " ") }

// writeTimeline draws the results to path: SVG, or an HTML page holding
// the SVG when path ends in .html or .htm.
func writeTimeline(path string, outs []*outcome, opts *options) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	asHTML := strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".htm")
	if asHTML {
		fmt.Fprintf(w, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>supervise simulate: %s</title></head>\n<body style=\"margin:0;background:#fff\">\n", html.EscapeString(title(outs)))
	}
	drawTimeline(w, outs, opts)
	if asHTML {
		fmt.Fprintln(w, "</body></html>")
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func title(outs []*outcome) string {
	var names []string
	for _, o := range outs {
		names = append(names, o.variant.name)
	}
	return strings.Join(names, " vs ")
}

func laneHeight(lanes int) int {
	switch {
	case lanes <= 30:
		return 16
	case lanes <= 80:
		return 12
	}
	return 9
}

// drawTimeline writes the SVG: one section per variant, one lane per node
// of the tree, coloured by state, with failures, restarts and give-ups
// marked.
func drawTimeline(w io.Writer, outs []*outcome, opts *options) {
	maxLanes, total := 0, 0
	for _, o := range outs {
		maxLanes = max(maxLanes, len(o.res.Lanes))
		total += len(o.res.Lanes)
	}
	lh := laneHeight(maxLanes)
	height := headerH + len(outs)*(sectionH+8) + total*lh + 4
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">`+"\n",
		svgWidth, height, svgWidth, height)
	fmt.Fprintln(w, `<defs><pattern id="flap" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="#f28e2b"/><rect width="2" height="4" fill="#d62728"/></pattern></defs>`)
	fmt.Fprintln(w, `<rect width="100%" height="100%" fill="#fff"/>`)
	fmt.Fprintf(w, `<text x="8" y="18" font-size="14" font-weight="bold">supervise simulate: %s</text>`+"\n", esc(title(outs)))
	fmt.Fprintf(w, `<text x="8" y="34" fill="#555">%s of virtual time, seed %d; one pixel is %s</text>`+"\n",
		fmtDur(opts.duration), opts.seed, fmtDur(opts.duration/plotWidth))
	drawLegend(w, 8, 50)
	y := headerH
	for _, o := range outs {
		y = drawSection(w, o, y, lh)
	}
	fmt.Fprintln(w, "</svg>")
}

func drawLegend(w io.Writer, x, y int) {
	for _, s := range legendOrder {
		fmt.Fprintf(w, `<rect x="%d" y="%d" width="12" height="10" fill="%s" stroke="#999" stroke-width="0.5"/><text x="%d" y="%d">%s</text>`+"\n",
			x, y-9, stateColors[s], x+16, y, stateName(s))
		x += 22 + 7*len(stateName(s))
	}
	fmt.Fprintf(w, `<path d="M%d %dv10" stroke="#d62728" stroke-width="1.5"/><text x="%d" y="%d">failure</text>`+"\n", x+4, y-9, x+10, y)
	x += 66
	fmt.Fprintf(w, `<path d="M%d %dv5" stroke="#1f3b73" stroke-width="1.5"/><text x="%d" y="%d">restart</text>`+"\n", x+4, y-9, x+10, y)
	x += 66
	fmt.Fprintf(w, `<path d="M%d %dl4 7l4 -7z" fill="#000"/><text x="%d" y="%d">supervisor gave up</text>`+"\n", x, y-9, x+12, y)
}

// drawSection draws one variant from y down and returns where it ends.
func drawSection(w io.Writer, o *outcome, y, lh int) int {
	res := o.res
	fmt.Fprintf(w, `<text x="8" y="%d" font-size="13" font-weight="bold">%s</text>`+"\n", y+14, esc(o.variant.name))
	fmt.Fprintf(w, `<text x="%d" y="%d" fill="#555" text-anchor="end">%s</text>`+"\n", svgWidth-rightMargin, y+14, esc(treeLine(res)))
	y += sectionH
	top, bottom := y, y+len(res.Lanes)*lh
	drawAxis(w, res.Duration, top, bottom)
	var cols columns
	for i := range res.Lanes {
		l := &res.Lanes[i]
		ly := top + i*lh
		if i%2 == 1 {
			fmt.Fprintf(w, `<rect x="0" y="%d" width="%d" height="%d" fill="#f6f6f6"/>`+"\n", ly, labelWidth, lh)
		}
		label := l.Path
		if i > 0 {
			label = label[strings.LastIndexByte(label, '/')+1:]
		}
		weight := ""
		if l.Group {
			weight = ` font-weight="bold"`
			label += "/"
		}
		fmt.Fprintf(w, `<text x="%d" y="%d"%s font-size="%d"><title>%s</title>%s</text>`+"\n",
			8+10*l.Depth, ly+lh-2-max(0, (lh-10)/2), weight, min(11, lh), esc(laneTitle(o, l)), esc(clip(label, (labelWidth-12-10*l.Depth)/6)))
		cols.fill(l, res.Duration)
		drawLane(w, &cols, l, laneTitle(o, l), ly, lh)
		drawGiveUps(w, o, l, ly, res.Duration)
	}
	fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#888" stroke-width="0.5"/>`+"\n", labelWidth, top, plotWidth, bottom-top)
	return bottom + 8
}

func laneTitle(o *outcome, l *sim.Lane) string {
	st := l.Stats
	return fmt.Sprintf("%s: %s available, %d starts, %d failures, longest outage %s, gave up: %s",
		l.Path, pct(st.Availability), st.Starts, st.Failures, fmtDur(st.LongestOutage), o.gaveUpText(l))
}

func clip(s string, n int) string {
	if n < 4 || len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

// columns is a lane sampled into pixel columns: the time spent in each
// state, and the failures and restarts, per column.
type columns struct {
	time     [plotWidth][numStates]float64
	failures [plotWidth]int
	restarts [plotWidth]int
}

func colOf(t, d time.Duration) int {
	c := int(float64(t) / float64(d) * plotWidth)
	return min(max(c, 0), plotWidth-1)
}

func (c *columns) fill(l *sim.Lane, d time.Duration) {
	*c = columns{}
	scale := plotWidth / float64(d)
	for _, sp := range l.Spans {
		if sp.From >= d {
			break
		}
		x0, x1 := float64(sp.From)*scale, float64(min(sp.To, d))*scale
		for col := int(x0); col < plotWidth && float64(col) < x1; col++ {
			lo, hi := math.Max(x0, float64(col)), math.Min(x1, float64(col+1))
			if hi > lo {
				c.time[col][classOf(sp.State)] += hi - lo
			}
		}
	}
	for _, t := range l.Failures {
		if t < d {
			c.failures[colOf(t, d)]++
		}
	}
	for _, t := range l.Restarts {
		if t < d {
			c.restarts[colOf(t, d)]++
		}
	}
}

// class is what a column shows: flapping when it holds many failures,
// else the state it spent the most time in.
func (c *columns) class(col int) class {
	if c.failures[col] >= flapFailures {
		return flapping
	}
	best := stopped
	for s := range c.time[col] {
		if c.time[col][s] > c.time[col][best] {
			best = class(s)
		}
	}
	return best
}

// drawLane draws a lane: a background in the class it shows most, then
// the runs of every other class as one path per class, then its failures
// and restarts as one path each. A 24-hour lane of a child that fails
// every few minutes stays a few kilobytes.
func drawLane(w io.Writer, c *columns, l *sim.Lane, title string, y, lh int) {
	type run struct {
		class    class
		from, to int
	}
	var runs []run
	width := map[class]int{}
	for col := 0; col < plotWidth; col++ {
		k := c.class(col)
		if n := len(runs); n > 0 && runs[n-1].class == k {
			runs[n-1].to = col + 1
		} else {
			runs = append(runs, run{k, col, col + 1})
		}
		width[k]++
	}
	bg := runs[0].class
	for k, n := range width {
		if n > width[bg] || n == width[bg] && k < bg {
			bg = k
		}
	}
	fmt.Fprintf(w, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
		labelWidth, y+1, plotWidth, lh-2, stateColors[bg], esc(title))
	for _, k := range legendOrder {
		if k == bg || width[k] == 0 {
			continue
		}
		var d strings.Builder
		for _, r := range runs {
			if r.class == k {
				fmt.Fprintf(&d, "M%d %dh%dv%dh-%dz", labelWidth+r.from, y+1, r.to-r.from, lh-2, r.to-r.from)
			}
		}
		fmt.Fprintf(w, `<path fill="%s" d="%s"/>`+"\n", stateColors[k], d.String())
	}
	markH := max(3, (lh-2)/2)
	marks := func(counts *[plotWidth]int, top, h int, color string) {
		var d strings.Builder
		last := -1
		for col := 0; col < plotWidth; col++ {
			if counts[col] == 0 || c.failures[col] >= flapFailures {
				continue
			}
			if last < 0 {
				fmt.Fprintf(&d, "M%d.5 %dv%d", labelWidth+col, top, h)
			} else {
				fmt.Fprintf(&d, "m%d-%dv%d", col-last, h, h)
			}
			last = col
		}
		if d.Len() > 0 {
			fmt.Fprintf(w, `<path stroke="%s" d="%s"/>`+"\n", color, d.String())
		}
	}
	marks(&c.failures, y+lh-1-markH, markH, "#d62728")
	marks(&c.restarts, y+1, max(2, markH/2), "#1f3b73")
}

// drawGiveUps marks when a supervisor lane's supervisor gave up.
func drawGiveUps(w io.Writer, o *outcome, l *sim.Lane, y int, d time.Duration) {
	if !l.Group {
		return
	}
	for _, s := range supervisors(o.res) {
		if s.Path != l.Path {
			continue
		}
		for _, g := range s.GaveUp {
			if g.At <= d {
				x := labelWidth + colOf(g.At, d)
				fmt.Fprintf(w, `<path d="M%d %dl4 7l4 -7z" fill="#000"><title>%s gave up at %s (%s by %s)</title></path>`+"\n",
					x-4, y, esc(s.Path), fmtDur(g.At), g.Reason, esc(g.Child))
			}
		}
	}
}

// drawAxis draws time ticks, labels and grid lines over the lanes.
func drawAxis(w io.Writer, d time.Duration, top, bottom int) {
	step := tickStep(d)
	var grid strings.Builder
	for t := time.Duration(0); t <= d; t += step {
		x := labelWidth + int(float64(t)/float64(d)*plotWidth)
		fmt.Fprintf(&grid, "M%d %dV%d", x, top-4, bottom)
		anchor := "middle"
		if t == 0 {
			anchor = "start"
		}
		fmt.Fprintf(w, `<text x="%d" y="%d" fill="#444" text-anchor="%s" font-size="10">%s</text>`+"\n", x, top-6, anchor, tickLabel(t))
	}
	fmt.Fprintf(w, `<path d="%s" stroke="#ccc" stroke-width="0.5"/>`+"\n", grid.String())
}

// tickStep picks a round step that gives about eight to twelve ticks.
func tickStep(d time.Duration) time.Duration {
	steps := []time.Duration{time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond,
		20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond,
		time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
		time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}
	for _, s := range steps {
		if d/s <= 12 {
			return s
		}
	}
	return d / 10
}

func tickLabel(t time.Duration) string {
	switch {
	case t == 0:
		return "0"
	case t%time.Hour == 0:
		return fmt.Sprintf("%dh", t/time.Hour)
	case t%time.Minute == 0 && t > time.Hour:
		return fmt.Sprintf("%dh%dm", t/time.Hour, t%time.Hour/time.Minute)
	case t%time.Minute == 0:
		return fmt.Sprintf("%dm", t/time.Minute)
	}
	return t.String()
}

func esc(s string) string { return html.EscapeString(s) }
