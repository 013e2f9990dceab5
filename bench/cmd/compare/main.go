// Command compare runs the arbor-versus-suture benchmarks of package bench
// several times and prints one markdown table: per row the median and the
// min–max of each library over the runs, the ratio arbor/suture of the
// medians, and the target for that row with whether it is met.
//
//	go run ./bench/cmd/compare [-count 5] [-short] [-bench REGEXP] [-raw FILE]
//
// It execs `go test -run '^$' -bench ... -benchmem -count N` on the bench
// package and parses its output, so it measures exactly what
// `go test -bench . ./bench/` does.
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

// samples[benchmark without /lib=X][lib][unit] = one value per run.
type samples map[string]map[string]map[string][]float64

var lineRE = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func parse(r io.Reader) samples {
	s := samples{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
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
			if s[name] == nil {
				s[name] = map[string]map[string][]float64{}
			}
			if s[name][lib] == nil {
				s[name][lib] = map[string][]float64{}
			}
			s[name][lib][f[i+1]] = append(s[name][lib][f[i+1]], v)
		}
	}
	return s
}

type summary struct {
	med, lo, hi float64
	ok          bool
}

func (s samples) get(name, lib, unit string) summary {
	v := s[name][lib][unit]
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

var rows = []row{
	{"restart after error: mean ns", "Restart/error", "mean-ns", func(a, s summary) (string, bool) {
		return "≤ 1.0× suture and < 1000 ns", a.med <= s.med && a.med < 1000
	}},
	{"restart after error: p50 ns", "Restart/error", "p50-ns", nil},
	{"restart after error: p99 ns", "Restart/error", "p99-ns", nil},
	{"restart after error: allocs/restart", "Restart/error", "allocs/op", func(a, s summary) (string, bool) {
		return "0 (engine allocates none)", a.med == 0
	}},
	{"restart after error: B/restart", "Restart/error", "B/op", nil},
	{"restart after panic: mean ns", "Restart/panic", "mean-ns", ratioAtMost(0.2)},
	{"restart after panic: p50 ns", "Restart/panic", "p50-ns", nil},
	{"restart after panic: p99 ns", "Restart/panic", "p99-ns", ratioAtMost(0.1)},
	{"restart after panic: allocs/restart", "Restart/panic", "allocs/op", nil},
	{"restart after panic: B/restart", "Restart/panic", "B/op", nil},
	{"flood, 100 restarts in window: ns/restart", "RestartFlood/restarts=100", "ns/restart", nil},
	{"flood, 100,000 restarts in window: ns/restart", "RestartFlood/restarts=100000", "ns/restart", nil},
	{"flat 1,000: start ns/child", "Tree/flat=1000", "start-ns/child", nil},
	{"flat 10,000: start ns/child", "Tree/flat=10000", "start-ns/child", ratioAtMost(1.0)},
	{"flat 100,000: start ns/child", "Tree/flat=100000", "start-ns/child", nil},
	{"flat 1,000: stop ns/child", "Tree/flat=1000", "stop-ns/child", nil},
	{"flat 10,000: stop ns/child", "Tree/flat=10000", "stop-ns/child", ratioAtMost(1.0)},
	{"flat 100,000: stop ns/child", "Tree/flat=100000", "stop-ns/child", nil},
	{"chain 10×10: start ns/leaf", "Tree/chain=10x10", "start-ns/child", nil},
	{"chain 10×10: stop ns/leaf", "Tree/chain=10x10", "stop-ns/child", nil},
	{"idle child: heap B (after GC)", "IdleChild/children=10000", "heap-B/child", ratioAtMost(1.0)},
	{"idle child: stack B", "IdleChild/children=10000", "stack-B/child", nil},
	{"idle child: goroutines", "IdleChild/children=10000", "goroutines/child", func(a, s summary) (string, bool) {
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
	raw := flag.String("raw", "", "also write go test's raw output to this file")
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

func run(count int, short bool, bench, benchtime string) []byte {
	root, err := moduleRoot()
	if err != nil {
		fatal(err)
	}
	args := []string{"test", "-run", "^$", "-bench", bench, "-benchmem", "-count", strconv.Itoa(count), "-timeout", "0"}
	if short {
		args = append(args, "-short")
	}
	if benchtime != "" {
		args = append(args, "-benchtime", benchtime)
	}
	args = append(args, "./bench/")
	fmt.Fprintf(os.Stderr, "compare: go %s\n", strings.Join(args, " "))
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var buf bytes.Buffer
	cmd.Stdout = io.MultiWriter(&buf, os.Stderr)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		fatal(fmt.Errorf("go test: %w", err))
	}
	return buf.Bytes()
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
	fmt.Fprintf(w, "Measured %s on %s (%s/%s, %d CPUs), %s, %d runs per benchmark: median (min–max).\n\n",
		time.Now().UTC().Format("2006-01-02"), cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), goVersion(), count)
	fmt.Fprintln(w, "| scenario | arbor | suture | arbor/suture | target | met |")
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
