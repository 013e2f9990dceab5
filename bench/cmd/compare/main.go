// Command compare runs the arbor-versus-suture benchmarks of package bench
// several times and prints one markdown table: per row the median and the
// min–max of each library over the runs, the ratio arbor/suture of the
// medians, and the target for that row with whether it is met.
//
//	go run ./bench/cmd/compare [-count 5] [-short] [-bench REGEXP] [-raw FILE]
//
// It builds the bench package's test binary once and runs it count times
// (`-test.bench ... -test.count 1`), so that the runs of the two libraries
// interleave. The idle-child rows run each library in a process of its
// own, one process per run: the runtime sizes new goroutines' stacks from
// the stacks it has seen, so one library would inherit the other's.
//
// It records the machine's load beside every run: the 1-minute load
// average before and after, and the CPU that other processes used while
// it ran (from /proc/stat, less the run's own CPU time). When the load at
// the start, or the others' CPU during a run, exceeds 0.3 per CPU, the
// table is marked NOT PUBLISHABLE.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// busyPerCPU is the load, per CPU, above which a table is not published.
const busyPerCPU = 0.3

// samples holds, by benchmark without /lib=X, by lib and by unit, one
// value per run, and the load measured beside each run.
type samples struct {
	m     map[string]map[string]map[string][]float64
	loads []load
}

var lineRE = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func parse(r io.Reader) samples {
	s := samples{m: map[string]map[string]map[string][]float64{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if l, ok := parseLoad(sc.Text()); ok {
			s.loads = append(s.loads, l)
			continue
		}
		m := lineRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name, lib, ok := strings.Cut(m[1], "/lib=")
		if !ok {
			continue
		}
		name = strings.TrimPrefix(name, "Benchmark")
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			if s.m[name] == nil {
				s.m[name] = map[string]map[string][]float64{}
			}
			if s.m[name][lib] == nil {
				s.m[name][lib] = map[string][]float64{}
			}
			s.m[name][lib][f[i+1]] = append(s.m[name][lib][f[i+1]], v)
		}
	}
	return s
}

type summary struct {
	med, lo, hi float64
	ok          bool
}

func (s samples) get(name, lib, unit string) summary {
	v := s.m[name][lib][unit]
	if len(v) == 0 {
		return summary{}
	}
	v = slices.Clone(v)
	slices.Sort(v)
	med := v[len(v)/2]
	if len(v)%2 == 0 {
		med = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return summary{med, v[0], v[len(v)-1], true}
}

func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func (m summary) String() string {
	if !m.ok {
		return "–"
	}
	if m.lo == m.hi {
		return num(m.med)
	}
	return fmt.Sprintf("%s (%s–%s)", num(m.med), num(m.lo), num(m.hi))
}

// A row of the table: one metric of one benchmark, and its target.
type row struct {
	label, bench, unit string
	// target checks the medians; it returns the target text and whether
	// it is met. nil: no target.
	target func(a, s summary) (string, bool)
}

func ratioAtMost(x float64) func(a, s summary) (string, bool) {
	return func(a, s summary) (string, bool) {
		return fmt.Sprintf("≤ %g× suture", x), a.med <= x*s.med
	}
}

// The targets are issue 15's; the restart rows must be no worse than the
// ratios measured when it was filed (0.73×, 0.13×, 0.04×, rounded up).
var rows = []row{
	{"restart after error: mean ns", "Restart/error", "mean-ns", ratioAtMost(0.75)},
	{"restart after error: p50 ns", "Restart/error", "p50-ns", nil},
	{"restart after error: p99 ns", "Restart/error", "p99-ns", nil},
	{"restart after error: allocs/restart", "Restart/error", "allocs/op", nil},
	{"restart after error: B/restart", "Restart/error", "B/op", nil},
	{"restart after panic: mean ns", "Restart/panic", "mean-ns", ratioAtMost(0.15)},
	{"restart after panic: p50 ns", "Restart/panic", "p50-ns", nil},
	{"restart after panic: p99 ns", "Restart/panic", "p99-ns", ratioAtMost(0.05)},
	{"restart after panic: allocs/restart", "Restart/panic", "allocs/op", nil},
	{"restart after panic: B/restart", "Restart/panic", "B/op", nil},
	{"flood, 100 restarts in window: ns/restart", "RestartFlood/restarts=100", "ns/restart", nil},
	{"flood, 100,000 restarts in window: ns/restart", "RestartFlood/restarts=100000", "ns/restart", nil},
	{"flat 1,000: start ns/child", "Tree/flat=1000", "start-ns/child", nil},
	{"flat 10,000: start ns/child (ordered vs unordered)", "Tree/flat=10000", "start-ns/child", ratioAtMost(0.8)},
	{"flat 100,000: start ns/child (ordered vs unordered)", "Tree/flat=100000", "start-ns/child", ratioAtMost(0.8)},
	{"flat 1,000: stop ns/child", "Tree/flat=1000", "stop-ns/child", nil},
	{"flat 10,000: stop ns/child (LIFO vs concurrent)", "Tree/flat=10000", "stop-ns/child", ratioAtMost(0.7)},
	{"flat 100,000: stop ns/child", "Tree/flat=100000", "stop-ns/child", nil},
	{"chain 10×10: start ns/leaf", "Tree/chain=10x10", "start-ns/child", ratioAtMost(1.0)},
	{"chain 10×10: stop ns/leaf", "Tree/chain=10x10", "stop-ns/child", ratioAtMost(0.8)},
	{"idle child, 10,000, fresh process: heap + stack B", "IdleChild/children=10000", "mem-B/child", nil},
	{"idle child, 100,000, fresh process: heap + stack B", "IdleChild/children=100000", "mem-B/child", ratioAtMost(1.0)},
	{"idle child, 100,000: heap B (after GC)", "IdleChild/children=100000", "heap-B/child", nil},
	{"idle child, 100,000: stack B", "IdleChild/children=100000", "stack-B/child", nil},
	{"idle child, 100,000: goroutines", "IdleChild/children=100000", "goroutines/child", func(a, s summary) (string, bool) {
		return "exactly 1", a.lo == 1 && a.hi == 1
	}},
}

// A scaling row compares two figures of the same library.
type scaling struct {
	label        string
	num, den     [2]string // bench, unit
	limit        float64
	targetOnlyOn string
}

var scalings = []scaling{
	{"flood: 100,000 vs 100 restarts in window", [2]string{"RestartFlood/restarts=100000", "ns/restart"}, [2]string{"RestartFlood/restarts=100", "ns/restart"}, 1.5, "arbor"},
	{"start per child: 100,000 vs 1,000", [2]string{"Tree/flat=100000", "start-ns/child"}, [2]string{"Tree/flat=1000", "start-ns/child"}, 1.3, "arbor"},
	{"stop per child: 100,000 vs 1,000", [2]string{"Tree/flat=100000", "stop-ns/child"}, [2]string{"Tree/flat=1000", "stop-ns/child"}, 1.3, "arbor"},
}

func main() {
	count := flag.Int("count", 5, "runs of every benchmark")
	short := flag.Bool("short", false, "skip the 100,000-children trees")
	bench := flag.String("bench", ".", "benchmarks to run (go test -bench)")
	benchtime := flag.String("benchtime", "", "go test -benchtime (default: go test's)")
	raw := flag.String("raw", "", "also write the raw output (benchmarks and loads) to this file")
	in := flag.String("in", "", "parse this saved raw output instead of running")
	flag.Parse()

	var out []byte
	if *in != "" {
		b, err := os.ReadFile(*in)
		if err != nil {
			fatal(err)
		}
		out = b
	} else {
		out = run(*count, *short, *bench, *benchtime)
		if *raw != "" {
			if err := os.WriteFile(*raw, out, 0o644); err != nil {
				fatal(err)
			}
		}
	}
	print(os.Stdout, parse(bytes.NewReader(out)), *count)
}

// idleBench is the benchmark that runs each library in a process of its
// own.
const idleBench = "BenchmarkIdleChild"

// run builds the test binary and runs it count times over the selected
// benchmarks but the idle ones, then once per run, size and library over
// the idle ones, each in a fresh process. The output holds one load line
// per process.
func run(count int, short bool, bench, benchtime string) []byte {
	root, err := moduleRoot()
	if err != nil {
		fatal(err)
	}
	// The load at the start is read before the build, which adds its own.
	start := load{what: "start", before: loadAvg(), after: -1}
	var buf bytes.Buffer
	fmt.Fprintln(&buf, start)
	dir, err := os.MkdirTemp("", "arbor-compare")
	if err != nil {
		fatal(err)
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "bench.test")
	build := exec.Command("go", "test", "-c", "-o", bin, "./bench/")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fatal(fmt.Errorf("go test -c: %w", err))
	}
	common := []string{"-test.run", "^$", "-test.benchmem", "-test.count", "1", "-test.timeout", "0"}
	if short {
		common = append(common, "-test.short")
	}
	if benchtime != "" {
		common = append(common, "-test.benchtime", benchtime)
	}
	top, _, _ := strings.Cut(bench, "/")
	withIdle := regexp.MustCompile(top).MatchString(idleBench)
	w := io.MultiWriter(&buf, os.Stderr)
	for i := range count {
		exec1(w, root, bin, append([]string{"-test.bench", bench, "-test.skip", "^" + idleBench + "$"}, common...), fmt.Sprintf("run %d", i+1))
		if !withIdle {
			continue
		}
		for _, n := range []string{"10000", "100000"} {
			if short && n == "100000" {
				continue
			}
			for _, lib := range []string{"arbor", "suture"} {
				sel := fmt.Sprintf("^%s$/^children=%s$/^lib=%s$", idleBench, n, lib)
				exec1(w, root, bin, append([]string{"-test.bench", sel}, common...), fmt.Sprintf("run %d idle %s %s", i+1, n, lib))
			}
		}
	}
	return buf.Bytes()
}

// exec1 runs the test binary once and writes its output and a load line.
func exec1(w io.Writer, dir, bin string, args []string, what string) {
	fmt.Fprintf(os.Stderr, "compare: %s: %s %s\n", what, filepath.Base(bin), strings.Join(args, " "))
	l := load{what: what, before: loadAvg()}
	busy0, _ := cpuBusy()
	t0 := time.Now()
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, w, os.Stderr
	if err := cmd.Run(); err != nil {
		fatal(fmt.Errorf("%s: %w", what, err))
	}
	wall := time.Since(t0)
	busy1, ok := cpuBusy()
	l.after = loadAvg()
	if own := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(); ok && wall > 0 {
		l.others = max(0, float64(busy1-busy0-own)/float64(wall))
	}
	fmt.Fprintln(w, l)
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("compare: run it inside the arbor module")
	}
	return filepath.Dir(gomod), nil
}

func print(w io.Writer, s samples, count int) {
	busy := verdictOnLoad(s.loads, runtime.NumCPU())
	if busy != "" {
		fmt.Fprintf(os.Stderr, "\ncompare: WARNING: NOT PUBLISHABLE: %s\n\n", busy)
		fmt.Fprintf(w, "**NOT PUBLISHABLE, measured on a busy machine: %s.**\n\n", busy)
	}
	fmt.Fprintf(w, "Measured %s on %s (%s/%s, %d CPUs), %s, %d runs per benchmark: median (min–max). %s\n\n",
		time.Now().UTC().Format("2006-01-02"), cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), goVersion(), count, loadSummary(s.loads))
	if busy != "" {
		fmt.Fprintln(w, "| scenario (NOT PUBLISHABLE) | arbor | suture | arbor/suture | target | met |")
	} else {
		fmt.Fprintln(w, "| scenario | arbor | suture | arbor/suture | target | met |")
	}
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | --- | --- |")
	for _, r := range rows {
		a, su := s.get(r.bench, "arbor", r.unit), s.get(r.bench, "suture", r.unit)
		if !a.ok && !su.ok {
			continue
		}
		ratio := "–"
		if a.ok && su.ok && su.med != 0 {
			ratio = fmt.Sprintf("%.2f", a.med/su.med)
		}
		target, met := "", ""
		if r.target != nil && a.ok && su.ok {
			t, ok := r.target(a, su)
			target, met = t, verdict(ok)
		}
		fmt.Fprintf(w, "| %s | %v | %v | %s | %s | %s |\n", r.label, a, su, ratio, target, met)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| scaling (same library, ratio of medians) | arbor | suture | target (arbor) | met |")
	fmt.Fprintln(w, "| --- | ---: | ---: | --- | --- |")
	for _, sc := range scalings {
		cells := make([]string, 2)
		var arborRatio float64
		have := false
		for i, lib := range []string{"arbor", "suture"} {
			n, d := s.get(sc.num[0], lib, sc.num[1]), s.get(sc.den[0], lib, sc.den[1])
			if !n.ok || !d.ok || d.med == 0 {
				cells[i] = "–"
				continue
			}
			cells[i] = fmt.Sprintf("%.2f", n.med/d.med)
			if lib == "arbor" {
				arborRatio, have = n.med/d.med, true
			}
		}
		if cells[0] == "–" && cells[1] == "–" {
			continue
		}
		met := ""
		if have {
			met = verdict(arborRatio <= sc.limit)
		}
		fmt.Fprintf(w, "| %s | %s | %s | ≤ %g× | %s |\n", sc.label, cells[0], cells[1], sc.limit, met)
	}
}

func verdict(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
