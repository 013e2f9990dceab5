package daemon

import (
	"strings"
	"testing"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

func TestPlan(t *testing.T) {
	const base = `
name: r
intensity: 3
children:
  - {name: a, command: [a]}
  - name: g
    strategy: one_for_one
    children:
      - {name: x, command: [x]}
      - {name: y, command: [y]}
`
	tests := []struct {
		name, new string
		want      []string
	}{
		{"unchanged", base, nil},
		{"own key", strings.Replace(base, "intensity: 3", "intensity: 5", 1), []string{"update r (intensity)"}},
		{"nested command", strings.Replace(base, "[x]", "[x, -v]", 1), []string{"restart r/g/x (changed: command)"}},
		{"strategy", strings.Replace(base, "one_for_one", "one_for_all", 1), []string{"restart r/g (changed: strategy)"}},
		{"order", strings.Replace(strings.Replace(base, "{name: x, command: [x]}", "{name: TMP, command: [y]}", 1), "{name: y, command: [y]}", "{name: x, command: [x]}", 1), []string{"remove r/g/y", "add r/g/TMP"}},
		{"group backoff, inherited", strings.Replace(base, "strategy: one_for_one", "strategy: one_for_one\n    backoff: {initial: 2s}", 1), []string{"update r/g (backoff)"}},
		{"group shutdown, inherited", strings.Replace(base, "strategy: one_for_one", "strategy: one_for_one\n    shutdown: 9s", 1), []string{"update r/g (shutdown)"}},
		{"group shutdown to 0s", strings.Replace(base, "strategy: one_for_one", "strategy: one_for_one\n    shutdown: 0s", 1),
			[]string{"update r/g (shutdown)", "restart r/g/x (changed: shutdown)", "restart r/g/y (changed: shutdown)"}},
		{"root shutdown, beside a group", strings.Replace(base, "intensity: 3", "intensity: 3\nshutdown: 9s", 1),
			[]string{"update r (shutdown)", "restart r/a (changed: shutdown)", "update r/g (shutdown)"}},
		{"process backoff", strings.Replace(base, "{name: x, command: [x]}", "{name: x, backoff: {initial: 2s}, command: [x]}", 1), []string{"restart r/g/x (changed: backoff)"}},
		{"root keys", strings.Replace(base, "intensity: 3", "intensity: 5\ndrain: 1s\nexit_codes: {143: 0}\nsignals: {SIGUSR1: {forward: [a]}}", 1),
			[]string{"update r (intensity, drain, signals, exit_codes)"}},
		{"signals only", strings.Replace(base, "intensity: 3", "intensity: 3\nsignals: {SIGUSR1: {forward: [a]}}", 1), []string{"update r (signals)"}},
		{"swap", strings.Replace(base, "      - {name: x, command: [x]}\n      - {name: y, command: [y]}", "      - {name: y, command: [y]}\n      - {name: x, command: [x]}", 1), []string{"restart r/g (changed: order)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkPlan(t, "plan", base, tt.new, tt.want, func(old, nf *config.File) []step {
				return withRootKeys(plan(old.Root, nf.Root), nf.Root.Path, rootKeys(old, nf))
			})
		})
	}
}

// checkPlan parses the files before and after and fails unless the lines
// of the steps that planner makes of them are want.
func checkPlan(t *testing.T, what, before, after string, want []string, planner func(old, nf *config.File) []step) {
	t.Helper()
	old, err := config.Parse("t.yaml", []byte(before))
	if err != nil {
		t.Fatal(err)
	}
	nf, err := config.Parse("t.yaml", []byte(after))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range planner(old, nf) {
		got = append(got, s.String())
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("%s = %v; want %v", what, got, want)
	}
}

// The root, which no parent can restart, restarts its children in place
// on a change of their order, its strategy or its auto_shutdown, the
// last two applied first.
func TestRootPlan(t *testing.T) {
	const base = `
name: r
children:
  - {name: a, command: [a]}
  - {name: b, command: [b]}
`
	tests := []struct {
		name, new string
		want      []string
	}{
		{"unchanged", base, nil},
		{"order", strings.Replace(base, "  - {name: a, command: [a]}\n  - {name: b, command: [b]}", "  - {name: b, command: [b]}\n  - {name: a, command: [a]}", 1),
			[]string{"restart r (changed: order)"}},
		{"order and intensity", strings.Replace(strings.Replace(base, "  - {name: a, command: [a]}\n  - {name: b, command: [b]}", "  - {name: b, command: [b]}\n  - {name: a, command: [a]}", 1), "name: r\n", "name: r\nintensity: 4\n", 1),
			[]string{"update r (intensity)", "restart r (changed: order)"}},
		// A new strategy applies in place, then restarts the root's
		// children under it.
		{"strategy", strings.Replace(base, "name: r\n", "name: r\nstrategy: one_for_all\n", 1),
			[]string{"update r (strategy)", "restart r (changed: strategy)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkPlan(t, "rootPlan", base, tt.new, tt.want, func(old, nf *config.File) []step { return rootPlan(old.Root, nf.Root) })
		})
	}
}

// A signals: change applies, a new stop action included (arbor.RunWith
// asks what a signal does at each arrival), but for a signal that the run
// does not catch: RunWith keeps the signals it subscribed to.
func TestUnappliedStopSignal(t *testing.T) {
	const base = "name: r\nsignals: {SIGUSR1: {forward: [a]}}\nchildren:\n  - {name: a, command: [a]}\n"
	old, err := config.Parse("t.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	c := &controller{caught: caughtSignals(old), http: &httpSlot{}}
	tests := []struct{ name, new, want string }{
		{"forward to stop", strings.Replace(base, "{forward: [a]}", "stop", 1), ""},
		{"a signal not caught", strings.Replace(base, "SIGUSR1", "SIGWINCH", 1), ": signals (SIGWINCH, which this run does not catch) not applied in place by this version; takes effect when supervise restarts"},
		{"forward to ignore", strings.Replace(base, "{forward: [a]}", "ignore", 1), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nf, err := config.Parse("t.yaml", []byte(tt.new))
			if err != nil {
				t.Fatal(err)
			}
			s := step{op: opUpdate, path: "r", changed: rootKeys(old, nf)}
			if got := c.unapplied(s, nf); got != tt.want {
				t.Errorf("unapplied = %q; want %q", got, tt.want)
			}
		})
	}
}
