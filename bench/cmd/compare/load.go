package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// A load is what the machine did beside one benchmark process: the
// 1-minute load average before and after it, and the CPUs' worth of time
// that other processes used while it ran.
type load struct {
	what          string
	before, after float64
	others        float64
}

const loadPrefix = "compare-load: "

func (l load) String() string {
	return fmt.Sprintf("%sbefore=%.2f after=%.2f others=%.2f %s", loadPrefix, l.before, l.after, l.others, l.what)
}

func parseLoad(line string) (load, bool) {
	rest, ok := strings.CutPrefix(line, loadPrefix)
	if !ok {
		return load{}, false
	}
	var l load
	f := strings.SplitN(rest, " ", 4)
	if len(f) < 3 {
		return load{}, false
	}
	for i, p := range []*float64{&l.before, &l.after, &l.others} {
		_, v, _ := strings.Cut(f[i], "=")
		*p, _ = strconv.ParseFloat(v, 64)
	}
	if len(f) == 4 {
		l.what = f[3]
	}
	return l, true
}

// loadAvg returns the 1-minute load average, or -1 where there is none.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// cpuBusy returns the time all CPUs spent busy since boot (/proc/stat:
// everything but idle and iowait).
func cpuBusy() (time.Duration, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, false
	}
	var busy int64
	for i, v := range f[1:] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, false
		}
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	// USER_HZ is 100 on every Linux that Go supports.
	return time.Duration(busy) * 10 * time.Millisecond, true
}

// verdictOnLoad returns why the runs are not publishable, or "".
func verdictOnLoad(loads []load, cpus int) string {
	limit := busyPerCPU * float64(cpus)
	if len(loads) == 0 {
		return "no load was recorded beside the runs"
	}
	var why []string
	if l := loads[0]; l.before > limit {
		why = append(why, fmt.Sprintf("the 1-minute load was %.2f at the start (limit %.2f for %d CPUs)", l.before, limit, cpus))
	}
	busy, runs := 0, 0
	var worst load
	for _, l := range loads {
		if l.what == "start" {
			continue
		}
		runs++
		if l.others > limit {
			busy++
			if l.others > worst.others {
				worst = l
			}
		}
	}
	if busy > 0 {
		why = append(why, fmt.Sprintf("other processes used more than %.2f CPUs during %d of %d runs, up to %.2f during %s",
			limit, busy, runs, worst.others, worst.what))
	}
	return strings.Join(why, "; ")
}

// loadSummary says in one sentence what the machine did beside the runs.
func loadSummary(loads []load) string {
	if len(loads) == 0 {
		return "Load: not recorded."
	}
	var hi, others float64
	for _, l := range loads {
		hi = max(hi, l.before, l.after)
		others = max(others, l.others)
	}
	return fmt.Sprintf("Load: 1-minute average %.2f at the start, at most %.2f; other processes used at most %.2f CPUs during a run.",
		loads[0].before, hi, others)
}
