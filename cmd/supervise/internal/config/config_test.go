package config

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
)

// mustParse parses src or fails the test.
func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse(%q) = %v; want no error", src, err)
	}
	if err := f.Validate(); err != nil {
		t.Fatalf("Validate() = %v; want nil for a parsed file", err)
	}
	return f
}

// proc returns the process at path in f, or fails the test.
func proc(t *testing.T, f *File, path string) *Process {
	t.Helper()
	p := f.processes()[path]
	if p == nil {
		t.Fatalf("no process %q", path)
	}
	return p
}

func TestFullExample(t *testing.T) {
	f, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatalf("Load = %v; want no error", err)
	}
	root := f.Root
	if got, want := root.Path, "shop"; got != want {
		t.Errorf("root path = %q; want %q", got, want)
	}
	if root.Strategy != OneForOne || root.Intensity != 5 || root.Period != 10*time.Second ||
		root.Shutdown != 5*time.Second || root.AutoShutdown != Never {
		t.Errorf("root = %+v; want one_for_one, 5 in 10s, shutdown 5s, never", root)
	}
	db := proc(t, f, "shop/db")
	want := &Process{
		Name: "db", Path: "shop/db", Command: []string{"postgres", "-D", "/var/lib/pg"},
		Dir: "/var/lib/pg", Env: map[string]string{"PGTZ": "UTC"}, StopSignal: syscall.SIGINT, ReloadSignal: syscall.SIGHUP,
		Restart: Permanent, Shutdown: 30 * time.Second, StartTimeout: 30 * time.Second,
		Backoff: Backoff{100 * time.Millisecond, 30 * time.Second, 2, 0.1, time.Minute}, // the root's
		Ready:   &Ready{TCP: "127.0.0.1:5432", Timeout: 30 * time.Second},
		Faults: &FaultModel{Start: 50 * time.Millisecond, Ready: 2 * time.Second, Stop: 100 * time.Millisecond,
			FailAt: []time.Duration{30 * time.Second, 2 * time.Minute}, MTBF: 10 * time.Minute, CrashOnStart: 0.1,
			Outages: []Outage{{10 * time.Minute, 25 * time.Minute}}},
		Line: 9, Column: 5,
	}
	if !reflect.DeepEqual(db, want) {
		t.Errorf("db = %+v\nwant %+v", db, want)
	}
	jobs, ok := root.Children[1].(*Group)
	if !ok || jobs.Path != "shop/jobs" || jobs.Strategy != RestForOne || len(jobs.Children) != 2 {
		t.Fatalf("children[1] = %+v; want the group shop/jobs, rest_for_one, 2 children", root.Children[1])
	}
	if w := proc(t, f, "shop/jobs/worker"); w.Restart != Transient || w.Command[0] != "./worker" {
		t.Errorf("worker = %+v; want transient ./worker", w)
	}
}

// TestDefaults: what a file leaves out takes the library's defaults, so
// that a file and a Go program that leave a setting out behave alike.
func TestDefaults(t *testing.T) {
	def := supervisor.DefaultConfig() // a file and a program that leave a setting out behave alike
	f := mustParse(t, "children: [{name: a, command: [a]}]")
	g := *f.Root
	wantG := Group{Name: "root", Path: "root", Strategy: OneForOne,
		Intensity: def.Intensity, Period: def.Period,
		Backoff:  Backoff(def.Backoff),
		Shutdown: def.Shutdown, AutoShutdown: Never, Restart: Permanent, Line: 1, Column: 1}
	g.Children = nil
	if !reflect.DeepEqual(g, wantG) {
		t.Errorf("root = %+v\nwant %+v", g, wantG)
	}
	p := proc(t, f, "root/a")
	wantP := &Process{Name: "a", Path: "root/a", Command: []string{"a"}, StopSignal: syscall.SIGTERM, ReloadSignal: syscall.SIGHUP,
		Restart: Permanent, Shutdown: def.Shutdown, StartTimeout: def.StartTimeout,
		Backoff: wantG.Backoff, Line: 1, Column: 12}
	if !reflect.DeepEqual(p, wantP) {
		t.Errorf("a = %+v\nwant %+v", p, wantP)
	}
}

func TestInheritance(t *testing.T) {
	f := mustParse(t, `
name: top
backoff: {initial: 1s, max: 1m}
shutdown: 10s
children:
  - name: g
    backoff: {multiplier: 3}
    shutdown: 20s
    children:
      - {name: a, command: [a]}
      - {name: b, command: [b], shutdown: 1s, backoff: {jitter: 0.5, initial: 2s}}
  - {name: c, command: [c]}
`)
	tests := []struct {
		path     string
		shutdown time.Duration
		backoff  Backoff
	}{
		{"top/g/a", 20 * time.Second, Backoff{time.Second, time.Minute, 3, 0.1, time.Minute}},
		{"top/g/b", time.Second, Backoff{2 * time.Second, time.Minute, 3, 0.5, time.Minute}},
		{"top/c", 10 * time.Second, Backoff{time.Second, time.Minute, 2, 0.1, time.Minute}},
	}
	for _, tt := range tests {
		p := proc(t, f, tt.path)
		if p.Shutdown != tt.shutdown || p.Backoff != tt.backoff {
			t.Errorf("%s: shutdown, backoff = %v, %+v; want %v, %+v", tt.path, p.Shutdown, p.Backoff, tt.shutdown, tt.backoff)
		}
	}
	g := f.Root.Children[0].(*Group)
	if g.Shutdown != 20*time.Second || g.Backoff.Multiplier != 3 || g.Backoff.Initial != time.Second {
		t.Errorf("g = %+v; want shutdown 20s and backoff 1s..1m ×3", g)
	}
}

func TestZeroKept(t *testing.T) {
	f := mustParse(t, `
intensity: 0
backoff: {initial: 0, max: 0s, jitter: 0, reset_after: 0s, multiplier: 1}
shutdown: 0s
children:
  - name: a
    command: [a]
    simulate: {start: 0, crash_on_start: 0}
`)
	if f.Root.Intensity != 0 {
		t.Errorf("intensity = %d; want 0", f.Root.Intensity)
	}
	p := proc(t, f, "root/a")
	if want := (Backoff{Multiplier: 1}); p.Backoff != want {
		t.Errorf("backoff = %+v; want %+v", p.Backoff, want)
	}
	if p.Shutdown != 0 {
		t.Errorf("shutdown = %v; want 0", p.Shutdown)
	}
}

func TestValues(t *testing.T) {
	f := mustParse(t, `
auto_shutdown: any_significant
children:
  - name: a.b-c_1
    command: [sleep, 10, 1.50, true]
    env: {PORT: 8080, MODE: 0755, ON: yes, Q: "x y", E: ""}
    stop_signal: term
    restart: temporary
    significant: true
    ready: {log: "^listening on [0-9]+$"}
    start_timeout: 1m
    simulate: {stop: never, fail_at: [2m, 30s]}
  - name: x
    command: [x]
    stop_signal: KILL
    ready: {exec: [pg_isready, -q], timeout: 5s}
`)
	p := proc(t, f, "root/a.b-c_1")
	if want := []string{"sleep", "10", "1.50", "true"}; !slices.Equal(p.Command, want) {
		t.Errorf("command = %q; want %q", p.Command, want)
	}
	if want := map[string]string{"PORT": "8080", "MODE": "0755", "ON": "yes", "Q": "x y", "E": ""}; !reflect.DeepEqual(p.Env, want) {
		t.Errorf("env = %q; want %q", p.Env, want)
	}
	if p.StopSignal != syscall.SIGTERM || !p.Significant || p.Restart != Temporary {
		t.Errorf("a = %+v; want SIGTERM, significant, temporary", p)
	}
	if p.Ready.Log == nil || !p.Ready.Log.MatchString("listening on 80") || p.Ready.Timeout != time.Minute || p.StartTimeout != time.Minute {
		t.Errorf("ready = %+v; want a log check with timeout 1m", p.Ready)
	}
	if !p.Faults.NeverStops || !slices.Equal(p.Faults.FailAt, []time.Duration{30 * time.Second, 2 * time.Minute}) {
		t.Errorf("faults = %+v; want never stops, fail_at sorted", p.Faults)
	}
	x := proc(t, f, "root/x")
	if x.StopSignal != syscall.SIGKILL || x.StartTimeout != 5*time.Second || !slices.Equal(x.Ready.Exec, []string{"pg_isready", "-q"}) {
		t.Errorf("x = %+v; want SIGKILL, start timeout 5s from ready.timeout, exec check", x)
	}
}

func TestAnchorsAndMerge(t *testing.T) {
	f := mustParse(t, `
x-common: &common {restart: transient, env: {A: "1"}}
children:
  - <<: *common
    name: a
    command: [a]
  - <<: *common
    name: b
    command: [b]
    restart: temporary
`)
	a, b := proc(t, f, "root/a"), proc(t, f, "root/b")
	if a.Restart != Transient || b.Restart != Temporary || a.Env["A"] != "1" || b.Env["A"] != "1" {
		t.Errorf("a, b = %+v, %+v; want transient and temporary, both with A=1", a, b)
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	_, err := Load("testdata/bad.yaml")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Load = %v; want an *Error", err)
	}
	if got, want := len(e.Problems), 30; got != want {
		t.Errorf("got %d problems; want %d:\n%v", got, want, err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(e.Problems) {
		t.Errorf("Error() has %d lines; want one per problem (%d)", len(lines), len(e.Problems))
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, "testdata/bad.yaml:") {
			t.Errorf("line %d = %q; want it to start with the file name", i, l)
		}
	}
	if !slices.IsSortedFunc(e.Problems, func(a, b Problem) int { return a.Line - b.Line }) {
		t.Errorf("problems not in file order:\n%v", err)
	}
	var p Problem
	if !errors.As(err, &p) || p.Line != 2 {
		t.Errorf("errors.As(err, &Problem) = %v; want the first problem, on line 2", p)
	}
}

func TestGoodTestdata(t *testing.T) {
	for _, name := range []string{"testdata/full.yaml", "testdata/anchors.yaml", "testdata/minimal.yaml"} {
		f, err := Load(name)
		if err != nil {
			t.Errorf("Load(%q) = %v; want nil", name, err)
			continue
		}
		if err := f.Validate(); err != nil {
			t.Errorf("Validate(%q) = %v; want nil", name, err)
		}
	}
	if _, err := Load("testdata/missing.yaml"); err == nil {
		t.Errorf("Load(missing) = nil; want the read error")
	}
}

// TestSlashInNameReadsAsTheLibrary: a name with "/" is refused by the file
// loader in the words the library uses for the same mistake in a program.
func TestSlashInNameReadsAsTheLibrary(t *testing.T) {
	_, err := Parse("t.yaml", []byte("name: a/b\nchildren: [{name: x/y, command: [x]}]"))
	var fe *Error
	if !errors.As(err, &fe) || len(fe.Problems) != 2 {
		t.Fatalf("Parse = %v; want two problems", err)
	}
	e := engine.FromFunc(func(context.Context) error { return nil })
	lib := supervisor.New("a/b", supervisor.Config{}, supervisor.Child{Name: "x/y", Engine: e}).Validate()
	var ce *supervisor.ConfigError
	if !errors.As(lib, &ce) || len(ce.Problems) != 2 {
		t.Fatalf("supervisor Validate = %v; want two problems", lib)
	}
	for i, p := range fe.Problems {
		if !strings.HasSuffix(ce.Problems[i], ": "+p.Msg) {
			t.Errorf("file: %q; library: %q; want the library's to end with the file's message", p.Msg, ce.Problems[i])
		}
	}
}
