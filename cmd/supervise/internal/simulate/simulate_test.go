package simulate

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestTableGolden(t *testing.T) {
	code, out, errs := run(t, "testdata/shop.yaml", "--duration", "10m")
	if code != 0 {
		t.Fatalf("exit = %d; want 0 (stderr %s)", code, errs)
	}
	golden(t, "shop.golden", out)
}

func TestComparisonGolden(t *testing.T) {
	code, out, errs := run(t, "--duration=10m", "--vary", "intensity=1,3,10", "testdata/shop.yaml")
	if code != 0 {
		t.Fatalf("exit = %d; want 0 (stderr %s)", code, errs)
	}
	golden(t, "vary.golden", out)
}

func TestSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile("testdata/shop.yaml")
	other := strings.Replace(string(data), "intensity: 3\n", "intensity: 20\n", 1)
	// The second file has no simulate: keys; it takes the first file's.
	other = strings.ReplaceAll(other, ", simulate: {fail_at: [2m]}", "")
	path := filepath.Join(dir, "tolerant.yaml")
	os.WriteFile(path, []byte(other), 0o644)
	code, out, errs := run(t, "--duration", "10m", "testdata/shop.yaml", path)
	if code != 0 {
		t.Fatalf("exit = %d; want 0 (stderr %s)", code, errs)
	}
	for _, want := range []string{"A  shop.yaml", "B  tolerant.yaml", "tree gave up", "at 5m7s", "most available without giving up: B (tolerant.yaml)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output has no %q:\n%s", want, out)
		}
	}
}

func TestJSON(t *testing.T) {
	code, out, errs := run(t, "testdata/shop.yaml", "--json", "--duration", "10m", "--vary", "backoff.max=2s,10s")
	if code != 0 {
		t.Fatalf("exit = %d; want 0 (stderr %s)", code, errs)
	}
	var got jsonOutput
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("the output is not the documented JSON: %v\n%s", err, out)
	}
	if len(got.Variants) != 2 || got.Variants[0].Name != "backoff.max=2s" {
		t.Fatalf("variants = %+v; want two, the first backoff.max=2s", got.Variants)
	}
	for _, v := range got.Variants {
		if v.DurationSeconds != 600 || v.Seed != 1 || len(v.Children) != 5 || len(v.Supervisors) != 2 {
			t.Errorf("%s: duration %v, seed %d, %d children, %d supervisors; want 600, 1, 5, 2", v.Name, v.DurationSeconds, v.Seed, len(v.Children), len(v.Supervisors))
		}
		for _, c := range v.Children {
			if c.Availability < 0 || c.Availability > 1 || c.UpSeconds+c.DownSeconds != v.DurationSeconds {
				t.Errorf("%s %s: availability %v, up %v + down %v; want within 0..1 and summing to the duration", v.Name, c.Path, c.Availability, c.UpSeconds, c.DownSeconds)
			}
			if c.Kind != "process" && c.Kind != "supervisor" {
				t.Errorf("%s: kind = %q; want process or supervisor", c.Path, c.Kind)
			}
		}
	}
	if g := got.Variants[0].GaveUp; g == nil || g.Reason != "gave_up" || g.Child != "shop/db" {
		t.Errorf("gave_up = %+v; want the root giving up by shop/db", g)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", nil, "no FILE given"},
		{"missing file", []string{"testdata/nope.yaml"}, "no such file"},
		{"bad file", []string{"testdata/bad.yaml"}, "testdata/bad.yaml:5:32: children[0].simulate.crash_on_start: found 2, expected a probability"},
		{"bad file, second problem", []string{"testdata/bad.yaml"}, "testdata/bad.yaml:5:41: children[0].simulate.mtbf"},
		{"faults unknown path", []string{"testdata/shop.yaml", "--faults", "testdata/badfaults.yaml"}, `testdata/badfaults.yaml:3:3: faults.shop/jobs/wroker: no process has the path "shop/jobs/wroker"`},
		{"vary unknown key", []string{"testdata/shop.yaml", "--vary", "backof.max=1s"}, `unknown key "backof.max" (did you mean "backoff.max"?)`},
		// One near-miss rule for the file and the flags: case and - against _ do not count.
		{"vary unknown key, other spelling", []string{"testdata/shop.yaml", "--vary", "Backoff-Reset.After=1s"}, `unknown key "Backoff-Reset.After" (did you mean "backoff.reset_after"?)`},
		{"vary bad value", []string{"testdata/shop.yaml", "--vary", "backoff.max=1s,soon"}, `found "soon", expected a duration`},
		{"vary bad strategy", []string{"testdata/shop.yaml", "--vary", "strategy=one_for_none"}, `expected one_for_one, one_for_all or rest_for_one`},
		{"vary makes the file invalid", []string{"testdata/shop.yaml", "--vary", "backoff.max=500ms"}, "--vary backoff.max=500ms: the file does not take it"},
		{"vary twice", []string{"testdata/shop.yaml", "--vary", "intensity=1", "--vary", "period=1s"}, "give --vary once"},
		{"vary with two files", []string{"testdata/shop.yaml", "testdata/shop.yaml", "--vary", "intensity=1"}, "--vary compares values on one FILE"},
		{"bad duration", []string{"testdata/shop.yaml", "--duration", "-1h"}, `found "-1h", expected a positive duration`},
		{"bad log line", []string{"testdata/shop.yaml", "--faults-from", "testdata/shop.yaml"}, "testdata/shop.yaml:1: expected one JSON object per line"},
		{"log unknown path", []string{"testdata/shop.yaml", "--faults-from", "testdata/badrun.log"}, `testdata/badrun.log:2: the path "shop/dbx" is not a process of testdata/shop.yaml (did you mean "shop/db"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != 2 {
				t.Errorf("exit = %d; want 2", code)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr = %q; want it to contain %q", errs, tt.want)
			}
			if strings.Contains(errs, "warning") {
				t.Errorf("stderr = %q; want the error alone, no warning about the same lines", errs)
			}
			if out != "" {
				t.Errorf("stdout = %q; want nothing", out)
			}
		})
	}
}

func TestFaultsFile(t *testing.T) {
	code, out, _ := run(t, "testdata/shop.yaml", "--duration", "10m", "--faults", "testdata/faults.yaml")
	if code != 0 {
		t.Fatalf("exit = %d", code)
	}
	// The faults file makes queue fail twice in three seconds, more than
	// jobs' intensity of 1 in 10s allows.
	if !strings.Contains(out, "supervisor shop/jobs: gave up 2 times, first at 1m3s (gave_up by shop/jobs/queue)") {
		t.Errorf("output:\n%s\nwant shop/jobs giving up at 1m3s by queue", out)
	}
}

func TestReplay(t *testing.T) {
	f, err := config.Load("testdata/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("testdata/run.log")
	models, span, err := parseReplay("run.log", data, f, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if span != 10*time.Minute+750*time.Millisecond {
		t.Errorf("span = %v; want 10m0.75s", span)
	}
	byPath := map[string]*config.FaultModel{}
	for p, m := range models {
		byPath[p.Path] = m
	}
	db := byPath["shop/db"]
	if got, want := db.FailAt, []time.Duration{time.Minute}; !equal(got, want) {
		t.Errorf("db fail_at = %v; want %v", got, want)
	}
	if got, want := db.Outages, []config.Outage{{From: 61 * time.Second, To: 70 * time.Second}}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("db outages = %v; want %v", got, want)
	}
	if db.Ready != 4*time.Second || db.Start != 0 || db.Stop != 750*time.Millisecond {
		t.Errorf("db ready %v, start %v, stop %v; want the medians 4s, 0s, 750ms", db.Ready, db.Start, db.Stop)
	}
	if w := byPath["shop/jobs/worker"]; len(w.FailAt) != 1 || w.FailAt[0] != 2*time.Minute {
		t.Errorf("worker fail_at = %v; want [2m]", w.FailAt)
	}
	if q := byPath["shop/jobs/queue"]; q == nil || len(q.FailAt) != 0 || q.Ready != 0 {
		t.Errorf("queue = %+v; want an empty model", q)
	}
	code, out, errs := run(t, "testdata/shop.yaml", "--faults-from", "testdata/run.log")
	if code != 0 {
		t.Fatalf("exit = %d (%s)", code, errs)
	}
	if !strings.Contains(out, "10m1s of virtual time") {
		t.Errorf("the replay ran for the wrong time:\n%s", out)
	}
}

func equal(a, b []time.Duration) bool {
	return len(a) == len(b) && (len(a) == 0 || string(fmtList(a)) == string(fmtList(b)))
}

func fmtList(ds []time.Duration) []byte {
	var b []byte
	for _, d := range ds {
		b = append(b, d.String()...)
		b = append(b, ',')
	}
	return b
}

func TestVaryInherits(t *testing.T) {
	f, err := config.Load("testdata/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := apply(f, "backoff.max", "20s"); err != nil {
		t.Fatal(err)
	}
	jobs := f.Root.Children[1].(*config.Group)
	tests := []struct {
		name      string
		got, want time.Duration
	}{
		{"root", f.Root.Backoff.Max, 20 * time.Second},
		{"db inherits", f.Root.Children[0].(*config.Process).Backoff.Max, 20 * time.Second},
		{"jobs sets its own", jobs.Backoff.Max, 4 * time.Second},
		{"queue inherits from jobs", jobs.Children[0].(*config.Process).Backoff.Max, 4 * time.Second},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: backoff.max = %v; want %v", tt.name, tt.got, tt.want)
		}
	}
	if err := apply(f, "strategy", "one_for_all"); err != nil || f.Root.Strategy != config.OneForAll || jobs.Strategy != config.RestForOne {
		t.Errorf("strategy: root %s, jobs %s, err %v; want one_for_all on the root only", f.Root.Strategy, jobs.Strategy, err)
	}
}

func TestTimeline(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"t.svg", "t.html"} {
		path := filepath.Join(dir, name)
		code, _, errs := run(t, "testdata/shop.yaml", "--duration", "10m", "--svg", path, "--vary", "intensity=1,5")
		if code != 0 {
			t.Fatalf("exit = %d (%s)", code, errs)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if name == "t.html" {
			i, j := strings.Index(s, "<svg"), strings.Index(s, "</svg>")
			if !strings.HasPrefix(s, "<!doctype html>") || i < 0 || j < 0 {
				t.Fatalf("%s is not an HTML page holding an SVG", name)
			}
			s = s[i : j+len("</svg>")]
		}
		if err := wellFormed(s); err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
		}
		for _, want := range []string{"intensity=1", "intensity=5", ">worker<", "gave up at", "#d62728"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s has no %q", name, want)
			}
		}
	}
}

func wellFormed(s string) error {
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// TestLargeTimeline: 100 children over 24 hours, failing every few
// minutes, simulate quickly and draw a timeline of bounded size.
func TestLargeTimeline(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: big\nintensity: 30\nperiod: 1m\nbackoff: {initial: 1s, max: 1m}\nchildren:\n")
	for g := range 10 {
		b.WriteString("  - name: g" + string(rune('0'+g)) + "\n    strategy: rest_for_one\n    intensity: 5\n    period: 30s\n    children:\n")
		for c := range 10 {
			b.WriteString("      - {name: svc" + string(rune('0'+c)) + ", command: [x], simulate: {ready: 500ms, stop: 200ms, mtbf: 5m}}\n")
		}
	}
	dir := t.TempDir()
	file, svg := filepath.Join(dir, "big.yaml"), filepath.Join(dir, "big.svg")
	os.WriteFile(file, []byte(b.String()), 0o644)
	start := time.Now()
	code, _, errs := run(t, file, "--duration", "24h", "--svg", svg)
	elapsed := time.Since(start)
	if code != 0 {
		t.Fatalf("exit = %d (%s)", code, errs)
	}
	info, err := os.Stat(svg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("100 children × 24h: simulated and drawn in %v, SVG of %d KB", elapsed, info.Size()/1024)
	if info.Size() > 2<<20 {
		t.Errorf("SVG size = %d bytes; want at most 2 MB", info.Size())
	}
}

// A stray line in the log, such as a panic of supervise itself, is skipped
// with a warning rather than making the whole log unusable.
func TestReplaySkipsNonJSONLines(t *testing.T) {
	data, err := os.ReadFile("testdata/run.log")
	if err != nil {
		t.Fatal(err)
	}
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	stray := append(append(append([]byte{}, first...), "\ngoroutine 1 [running]:\n"...), rest...)
	log := filepath.Join(t.TempDir(), "run.log")
	if err := os.WriteFile(log, stray, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "testdata/shop.yaml", "--faults-from", log)
	if code != 0 {
		t.Fatalf("exit = %d (%s)", code, errs)
	}
	if !strings.Contains(errs, "warning: "+log+":2: skipped") || strings.Count(errs, "warning") != 1 {
		t.Errorf("stderr = %q; want one warning for line 2", errs)
	}
	if !strings.Contains(out, "10m1s of virtual time") {
		t.Errorf("the replay ran for the wrong time:\n%s", out)
	}
}

// When stopping the children takes time, every row says both when the
// supervisor gave up and when everything had stopped, and a nested group
// left stopped by its parent's giving up says so like its children.
func TestGaveUpThenStopped(t *testing.T) {
	code, out, errs := run(t, "--duration", "1m", "testdata/slowstop.yaml")
	if code != 0 {
		t.Fatalf("exit = %d (%s)", code, errs)
	}
	for _, row := range []string{"optest/", "optest/db", "optest/inner/", "optest/inner/worker"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(row) + ` .*  at 20\.5s \(stopped by 22\.5s\)$`).MatchString(out) {
			t.Errorf("row %s does not say at 20.5s (stopped by 22.5s):\n%s", row, out)
		}
	}
	if !strings.Contains(out, "the tree gave up at 20.5s (gave_up by optest/db) and had stopped every child by 22.5s") {
		t.Errorf("tree line:\n%s", out)
	}
	code, out, _ = run(t, "--duration", "1m", "--json", "testdata/slowstop.yaml")
	if code != 0 {
		t.Fatal(code)
	}
	var res struct {
		Variants []struct {
			Children []struct {
				Path             string
				GaveUpAtSeconds  *float64 `json:"gave_up_at_seconds"`
				StoppedAtSeconds *float64 `json:"stopped_at_seconds"`
			}
			GaveUp struct {
				AtSeconds        float64  `json:"at_seconds"`
				StoppedAtSeconds *float64 `json:"stopped_at_seconds"`
			} `json:"gave_up"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	v := res.Variants[0]
	for _, c := range v.Children {
		if c.GaveUpAtSeconds == nil || *c.GaveUpAtSeconds != 20.5 || c.StoppedAtSeconds == nil || *c.StoppedAtSeconds != 22.5 {
			t.Errorf("%s: gave_up_at %v, stopped_at %v; want 20.5, 22.5", c.Path, c.GaveUpAtSeconds, c.StoppedAtSeconds)
		}
	}
	if v.GaveUp.AtSeconds != 20.5 || v.GaveUp.StoppedAtSeconds == nil || *v.GaveUp.StoppedAtSeconds != 22.5 {
		t.Errorf("tree gave_up %+v; want at 20.5, stopped 22.5", v.GaveUp)
	}
}

// A hang in the fault model is found by the process's live: check, or by
// its watchdog, and restarted as a failure; without a check nothing
// notices it.
func TestHangs(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "hang.yaml")
	src := `name: r
children:
  - name: probed
    command: [a]
    live: {tcp: "127.0.0.1:1", every: 10s, failures: 3}
    simulate: {hang: {mtbf: 2m}}
  - name: unwatched
    command: [b]
    simulate: {hang: {mtbf: 2m}}
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, file, "--json", "--duration", "1h")
	if code != 0 {
		t.Fatalf("exit = %d; want 0 (stderr %s)", code, errs)
	}
	var got jsonOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	restarts := map[string]int{}
	for _, c := range got.Variants[0].Children {
		restarts[c.Path] = c.Restarts
	}
	if restarts["r/probed"] == 0 || restarts["r/unwatched"] != 0 {
		t.Errorf("restarts = %v; want some for r/probed, none for r/unwatched", restarts)
	}
}
