package config

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that a file it accepts
// passes Validate, and that writing out the resolved tree with every
// value explicit parses back to the same tree.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data)
		if err != nil {
			if file != nil {
				t.Fatalf("Parse = %v, %v; want a nil File with an error", file, err)
			}
			return
		}
		if err := file.Validate(); err != nil {
			t.Fatalf("Validate() = %v; want nil for an accepted file", err)
		}
		out := render(file)
		again, err := Parse("fuzz.yaml", []byte(out))
		if err != nil {
			t.Fatalf("Parse(render) = %v; want nil\n%s", err, out)
		}
		clearPositions(file.Root)
		clearPositions(again.Root)
		if !reflect.DeepEqual(file.Root, again.Root) {
			t.Fatalf("Parse(render) differs from the tree rendered:\n%s", out)
		}
	})
}

// TestRender checks the round trip of FuzzParse on the full example.
func TestRender(t *testing.T) {
	f, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	again := mustParse(t, render(f))
	clearPositions(f.Root)
	clearPositions(again.Root)
	if !reflect.DeepEqual(f.Root, again.Root) {
		t.Errorf("Parse(render(full.yaml)) differs:\n%s", render(f))
	}
}

func clearPositions(g *Group) {
	walk(g, func(c Child) {
		switch c := c.(type) {
		case *Group:
			c.Line, c.Column = 0, 0
		case *Process:
			c.Line, c.Column = 0, 0
		}
	})
}

// render writes f with every value explicit, in flow style.
func render(f *File) string {
	return strings.TrimPrefix(renderGroup(f.Root, true), "{") + "\n"
}

func renderGroup(g *Group, root bool) string {
	s := []string{"name: " + strconv.Quote(g.Name), "strategy: " + g.Strategy.String(), "intensity: " + strconv.Itoa(g.Intensity),
		"period: " + g.Period.String(), "backoff: " + renderBackoff(g.Backoff), "shutdown: " + g.Shutdown.String(),
		"auto_shutdown: " + g.AutoShutdown.String()}
	if !root {
		s = append(s, "restart: "+g.Restart.String(), "significant: "+strconv.FormatBool(g.Significant))
	}
	var kids []string
	for _, c := range g.Children {
		switch c := c.(type) {
		case *Group:
			kids = append(kids, renderGroup(c, false))
		case *Process:
			kids = append(kids, renderProcess(c))
		}
	}
	s = append(s, "children: ["+strings.Join(kids, ", ")+"]")
	if root {
		return strings.Join(s, "\n")
	}
	return "{" + strings.Join(s, ", ") + "}"
}

func renderProcess(p *Process) string {
	s := []string{"name: " + strconv.Quote(p.Name), "command: " + renderList(p.Command), "restart: " + p.Restart.String(),
		"significant: " + strconv.FormatBool(p.Significant), "stop_signal: " + SignalName(p.StopSignal),
		"shutdown: " + p.Shutdown.String(), "start_timeout: " + p.StartTimeout.String(),
		"backoff: " + renderBackoff(p.Backoff), "dir: " + strconv.Quote(p.Dir)}
	if p.Env != nil {
		var env []string
		for _, k := range slices.Sorted(maps.Keys(p.Env)) {
			env = append(env, strconv.Quote(k)+": "+strconv.Quote(p.Env[k]))
		}
		s = append(s, "env: {"+strings.Join(env, ", ")+"}")
	}
	if r := p.Ready; r != nil {
		switch {
		case r.TCP != "":
			s = append(s, "ready: {tcp: "+strconv.Quote(r.TCP)+"}")
		case r.Log != nil:
			s = append(s, "ready: {log: "+strconv.Quote(r.Log.String())+"}")
		default:
			s = append(s, "ready: {exec: "+renderList(r.Exec)+"}")
		}
	}
	if m := p.Faults; m != nil {
		s = append(s, "simulate: "+renderFaults(m))
	}
	return "{" + strings.Join(s, ", ") + "}"
}

func renderFaults(m *FaultModel) string {
	stop := m.Stop.String()
	if m.NeverStops {
		stop = "never"
	}
	s := []string{"start: " + m.Start.String(), "ready: " + m.Ready.String(), "stop: " + stop,
		"crash_on_start: " + renderFloat(m.CrashOnStart)}
	if m.MTBF != 0 {
		s = append(s, "mtbf: "+m.MTBF.String())
	}
	if m.FailAt != nil {
		var at []string
		for _, d := range m.FailAt {
			at = append(at, d.String())
		}
		s = append(s, "fail_at: ["+strings.Join(at, ", ")+"]")
	}
	if m.Outages != nil {
		var os []string
		for _, o := range m.Outages {
			os = append(os, fmt.Sprintf("{from: %s, to: %s}", o.From, o.To))
		}
		s = append(s, "outages: ["+strings.Join(os, ", ")+"]")
	}
	return "{" + strings.Join(s, ", ") + "}"
}

func renderBackoff(b Backoff) string {
	return fmt.Sprintf("{initial: %s, max: %s, multiplier: %s, jitter: %s, reset_after: %s}",
		b.Initial, b.Max, renderFloat(b.Multiplier), renderFloat(b.Jitter), b.ResetAfter)
}

func renderFloat(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func renderList(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = strconv.Quote(a)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
