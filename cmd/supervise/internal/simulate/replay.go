package simulate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

// record is one line of a supervise run JSON log; only the keys the
// replay needs.
type record struct {
	Time  time.Time `json:"time"`
	Event string    `json:"event"`
	Path  string    `json:"path"`
	Exit  string    `json:"exit"`
}

// replay is what a log says of one process.
type replay struct {
	failAt   []time.Duration
	outages  []config.Outage
	ready    []time.Duration // start to ready, per start that became ready
	stops    []time.Duration // stopping to stopped, per clean stop
	timeouts int

	launch    time.Duration // of the current run
	inOutage  bool
	outFrom   time.Duration
	stopFrom  time.Duration
	stopping  bool
	timedOut  bool
	hasLaunch bool
}

// loadReplay reads a supervise run JSON log and returns, for every
// process of f, the fault model that replays it, and the span of the log.
// Lines that are not JSON are skipped, with a warning on warn.
func loadReplay(name string, f *config.File, warn io.Writer) (map[*config.Process]*config.FaultModel, time.Duration, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, 0, err
	}
	return parseReplay(name, data, f, warn)
}

// maxWarnings is how many skipped lines parseReplay names one by one.
const maxWarnings = 5

// parseReplay turns a log into fault models:
//
//   - each abnormal exit ("exited" with exit error or panic) becomes a
//     scripted failure at its time, relative to the first record;
//   - start failures in a row become an outage, from the launch of the
//     first one to the launch of the next start that became ready (or the
//     end of the log);
//   - the median time from "started" to "ready" becomes the ready delay
//     of a process with a ready check, the start delay of one without;
//   - the median time from "stopping" to "stopped" becomes the stop
//     delay, and a process whose every stop timed out never stops.
//
// Every process of f gets a model, empty when the log has nothing on it.
// Lines that are not arbor events (no "event" key) are skipped, and so are
// lines that are not JSON objects (a stray line that reached the log, such
// as a panic of supervise itself), with a warning on warn; a log with no
// JSON line at all, or a record that names a path that is not in f, is an
// error.
func parseReplay(name string, data []byte, f *config.File, warn io.Writer) (map[*config.Process]*config.FaultModel, time.Duration, error) {
	procs := map[string]*config.Process{}
	groups := map[string]bool{}
	walk(f.Root, func(c config.Child) {
		switch c := c.(type) {
		case *config.Process:
			procs[c.Path] = c
		case *config.Group:
			groups[c.Path] = true
		}
	})
	byPath := map[string]*replay{}
	var t0, last time.Time
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	lineNo, jsonLines, skipped, firstBad := 0, 0, 0, 0
	var firstLine []byte
	var warnings []string // told only of a JSON log, with stray lines in it
	for sc.Scan() {
		lineNo++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var r record
		if err := json.Unmarshal(line, &r); err != nil {
			if firstBad == 0 {
				firstBad, firstLine = lineNo, bytes.Clone(line)
			}
			if skipped++; skipped <= maxWarnings {
				warnings = append(warnings, fmt.Sprintf("supervise simulate: warning: %s:%d: skipped, not a JSON object as supervise run logs with --log-format json: %.60q\n", name, lineNo, line))
			}
			continue
		}
		jsonLines++
		if r.Event == "" {
			continue
		}
		if r.Time.IsZero() {
			return nil, 0, fmt.Errorf("%s:%d: the %s record has no time", name, lineNo, r.Event)
		}
		if t0.IsZero() {
			t0 = r.Time
		}
		last = r.Time
		if groups[r.Path] || r.Path == "" {
			continue
		}
		if procs[r.Path] == nil {
			return nil, 0, fmt.Errorf("%s:%d: the path %q is not a process of %s%s", name, lineNo, r.Path, f.Name, config.DidYouMean(r.Path, keys(procs)))
		}
		rp := byPath[r.Path]
		if rp == nil {
			rp = &replay{}
			byPath[r.Path] = rp
		}
		rp.add(r.Time.Sub(t0), r)
	}
	if err := sc.Err(); err != nil {
		return nil, 0, fmt.Errorf("%s: %v", name, err)
	}
	if skipped > 0 && jsonLines == 0 {
		return nil, 0, fmt.Errorf("%s:%d: expected one JSON object per line, as supervise run logs with --log-format json, found %.60q (a text log cannot be replayed)", name, firstBad, firstLine)
	}
	for _, w := range warnings {
		fmt.Fprint(warn, w)
	}
	if skipped > maxWarnings {
		fmt.Fprintf(warn, "supervise simulate: warning: %s: skipped %d more lines that are not JSON\n", name, skipped-maxWarnings)
	}
	span := last.Sub(t0)
	models := map[*config.Process]*config.FaultModel{}
	for path, p := range procs {
		m := &config.FaultModel{}
		if rp := byPath[path]; rp != nil {
			m = rp.model(span, p.Ready != nil)
		}
		models[p] = m
	}
	return models, span, nil
}

func (rp *replay) add(t time.Duration, r record) {
	switch r.Event {
	case "started":
		rp.launch, rp.hasLaunch = t, true
	case "ready":
		if rp.hasLaunch {
			rp.ready = append(rp.ready, t-rp.launch)
		}
		if rp.inOutage {
			rp.inOutage = false
			rp.outages = append(rp.outages, config.Outage{From: rp.outFrom, To: max(rp.launch, rp.outFrom+1)})
		}
	case "exited":
		if r.Exit != "normal" && r.Exit != "" {
			rp.failAt = append(rp.failAt, t)
		}
	case "start_failed":
		if !rp.inOutage {
			rp.inOutage = true
			rp.outFrom = t
			if rp.hasLaunch {
				rp.outFrom = rp.launch
			}
		}
	case "stopping":
		rp.stopFrom, rp.stopping, rp.timedOut = t, true, false
	case "stop_timed_out":
		rp.timedOut = true
		rp.timeouts++
	case "stopped":
		if rp.stopping && !rp.timedOut {
			rp.stops = append(rp.stops, t-rp.stopFrom)
		}
		rp.stopping = false
	}
}

func (rp *replay) model(span time.Duration, hasReady bool) *config.FaultModel {
	m := &config.FaultModel{FailAt: rp.failAt, Outages: rp.outages}
	if rp.inOutage {
		m.Outages = append(m.Outages, config.Outage{From: rp.outFrom, To: max(span, rp.outFrom) + time.Millisecond})
	}
	if hasReady {
		m.Ready = median(rp.ready)
	} else {
		m.Start = median(rp.ready)
	}
	m.Stop = median(rp.stops)
	m.NeverStops = rp.timeouts > 0 && len(rp.stops) == 0
	return m
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
