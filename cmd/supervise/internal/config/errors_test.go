package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// kid is a valid child, to make the cases below valid but for one thing.
const kid = "children: [{name: a, command: [a]}]\n"

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax", "children: [\n", "t.yaml:1:11: YAML syntax: sequence end token ']' not found"},
		{"syntax indent", "children:\n  - a\n b: c\n", "t.yaml:3:2: YAML syntax:"},
		{"tab", "name: r\nchildren:\n\t- {name: a, command: [sh]}\n", "t.yaml:3:1: YAML syntax: found a tab, which cannot start any token (YAML indents with spaces)"},
		{"syntax indent hint", "name: r\nchildren:\n  - name: a\n     command: [sh]\n", "t.yaml:3:11: YAML syntax: mapping value is not allowed in this context (a line indented unlike its siblings, here or just below?)"},
		{"duplicate key", "name: a\nname: b\n" + kid, `t.yaml:2:1: YAML syntax: mapping key "name" already defined`},
		{"two documents", kid + "---\n" + kid, "t.yaml:2:1: found a second YAML document, expected one"},
		{"empty", "", "t.yaml:1:1: the file is empty"},
		{"not a mapping", "- a\n", "t.yaml:1:1: found a list, expected a mapping"},
		{"no children", "name: x\n", "t.yaml:1:1: children: missing, expected a list"},
		{"empty children", "children: []\n", "t.yaml:1:11: children: found an empty list"},
		{"children not a list", "children: {a: b}\n", "t.yaml:1:11: children: found a mapping, expected a list"},
		{"unknown root key", "strategi: one_for_all\n" + kid, `t.yaml:1:1: strategi: unknown key (did you mean "strategy"?)`},
		{"unknown key no hint", "zzz: 1\n" + kid, "t.yaml:1:1: zzz: unknown key, expected one of name, strategy"},
		{"restart on root", "restart: transient\n" + kid, "t.yaml:1:1: restart: restart applies only to a child, not to the root"},
		{"command on root", "command: [a]\n" + kid, "t.yaml:1:1: command: command applies only to a process"},
		{"bad root name", "name: a/b\n" + kid, `t.yaml:1:7: name: found "a/b", expected a name without "/", which separates the names in a path`},
		{"bad name character", "name: a b\n" + kid, `t.yaml:1:7: name: found "a b", expected a name made only of`},
		{"dotdot name", "name: ..\n" + kid, `t.yaml:1:7: name: found "..", expected a name other than`},
		{"empty name", "children: [{name: '', command: [a]}]\n", `t.yaml:1:19: children[0].name: found "", expected a name`},
		{"name not string", "children: [{name: [a], command: [a]}]\n", "t.yaml:1:19: children[0].name: found a list, expected a string"},
		{"strategy", "strategy: one_for_al\n" + kid, `t.yaml:1:11: strategy: unknown strategy "one_for_al", expected one_for_one, one_for_all or rest_for_one (did you mean "one_for_all"?)`},
		{"strategy type", "strategy: [a]\n" + kid, "t.yaml:1:11: strategy: found a list, expected a string"},
		{"auto_shutdown", "auto_shutdown: sometimes\n" + kid, `t.yaml:1:16: auto_shutdown: unknown auto_shutdown "sometimes", expected never, any_significant or all_significant`},
		{"intensity negative", "intensity: -1\n" + kid, "t.yaml:1:12: intensity: found -1, expected 0 or more restarts"},
		{"intensity string", "intensity: five\n" + kid, `t.yaml:1:12: intensity: found "five", expected a whole number`},
		{"intensity float", "intensity: 1.5\n" + kid, "t.yaml:1:12: intensity: found the number 1.5, expected a whole number"},
		{"intensity huge", "intensity: 99999999999\n" + kid, "t.yaml:1:12: intensity: found the number 99999999999, expected a whole number below"},
		{"period zero", "period: 0\n" + kid, "t.yaml:1:9: period: found 0s, expected a duration above zero"},
		{"period no unit", "period: 10\n" + kid, "t.yaml:1:9: period: found the number 10, expected a duration with a unit, such as 10s"},
		{"period bad", "period: 10 seconds\n" + kid, `t.yaml:1:9: period: found "10 seconds", expected a duration such as 250ms`},
		{"period negative", "period: -5s\n" + kid, `t.yaml:1:9: period: found "-5s", expected a duration of 0 or more`},
		{"period quoted number", "period: '5'\n" + kid, `t.yaml:1:9: period: found "5", expected a duration with a unit, such as 5s`},
		{"backoff type", "backoff: 5s\n" + kid, `t.yaml:1:10: backoff: found "5s", expected a mapping`},
		{"backoff key", "backoff: {initail: 1s}\n" + kid, `t.yaml:1:11: backoff.initail: unknown key (did you mean "initial"?)`},
		{"backoff multiplier", "backoff: {multiplier: 0.5}\n" + kid, "t.yaml:1:23: backoff.multiplier: found 0.5, expected a multiplier of 1 or more"},
		{"backoff multiplier type", "backoff: {multiplier: x}\n" + kid, `t.yaml:1:23: backoff.multiplier: found "x", expected a number`},
		{"backoff jitter one", "backoff: {jitter: 1}\n" + kid, "t.yaml:1:19: backoff.jitter: found 1, expected a jitter from 0 up to but not including 1"},
		{"backoff jitter negative", "backoff: {jitter: -0.1}\n" + kid, "t.yaml:1:19: backoff.jitter: found -0.1"},
		{"backoff initial above max", "backoff: {initial: 1m, max: 1s}\n" + kid, "t.yaml:1:20: backoff.initial: initial 1m0s is above max 1s"},
		{"backoff inherited initial above max", "backoff: {max: 50ms}\n" + kid, "t.yaml:1:16: backoff.max: initial 100ms is above max 50ms"},
		{"child backoff", "children: [{name: a, command: [a], backoff: {max: 1ms}}]\n", "t.yaml:1:51: children[0].backoff.max: initial 100ms is above max 1ms"},
		{"shutdown", "shutdown: forever\n" + kid, `t.yaml:1:11: shutdown: found "forever", expected a duration`},
		{"child not mapping", "children: [a]\n", `t.yaml:1:12: children[0]: found "a", expected a mapping`},
		{"both", "children: [{name: a, command: [a], children: [{name: b, command: [b]}]}]\n", "t.yaml:1:22: children[0].command: a child has either command (a process) or children (a supervisor), not both"},
		{"neither", "children: [{name: a}]\n", "t.yaml:1:12: children[0]: missing command or children"},
		{"neither unknown key", "children: [{name: a, comand: [a]}]\n", `t.yaml:1:22: children[0].comand: unknown key (did you mean "command"?)`},
		{"missing name", "children: [{command: [a]}]\n", "t.yaml:1:12: children[0].name: missing, expected a name for this child"},
		{"duplicate names", "children: [{name: a, command: [a]}, {name: a, command: [b]}]\n", `t.yaml:1:44: children[1].name: duplicate name "a", also used on line 1`},
		{"same name in other groups", "children: [{name: a, command: [a]}, {name: g, children: [{name: a, command: [b]}]}, {name: a, command: [c]}]\n", `children[2].name: duplicate name "a"`},
		{"restrat", "children:\n  - name: a\n    command: [a]\n    restrat: permanent\n", `t.yaml:4:5: children[0].restrat: unknown key (did you mean "restart"?)`},
		{"restart value", "children: [{name: a, command: [a], restart: permanant}]\n", `t.yaml:1:45: children[0].restart: unknown restart type "permanant", expected permanent, transient or temporary (did you mean "permanent"?)`},
		{"empty command", "children: [{name: a, command: []}]\n", "t.yaml:1:31: children[0].command: found an empty list, expected at least the program to run"},
		{"command string", "children: [{name: a, command: ./a}]\n", `t.yaml:1:31: children[0].command: found "./a", expected a list of arguments (argv, no shell)`},
		{"command empty program", "children: [{name: a, command: ['', x]}]\n", `t.yaml:1:31: children[0].command: found "" as the program`},
		{"command null arg", "children: [{name: a, command: [a, ~]}]\n", "t.yaml:1:35: children[0].command[1]: found nothing (null), expected a string"},
		{"command nested list", "children: [{name: a, command: [a, [b]]}]\n", "t.yaml:1:35: children[0].command[1]: found a list, expected a string"},
		{"strategy on process", "children: [{name: a, command: [a], strategy: one_for_all}]\n", "t.yaml:1:36: children[0].strategy: strategy applies only to a supervisor (a child with children), not to a process"},
		{"stop_signal on group", "children: [{name: g, stop_signal: TERM, children: [{name: a, command: [a]}]}]\n", "t.yaml:1:22: children[0].stop_signal: stop_signal applies only to a process"},
		{"simulate on group", "children: [{name: g, simulate: {}, children: [{name: a, command: [a]}]}]\n", "t.yaml:1:22: children[0].simulate: simulate applies only to a process"},
		{"signal", "children: [{name: a, command: [a], stop_signal: SIGTREM}]\n", `t.yaml:1:49: children[0].stop_signal: unknown signal "SIGTREM", expected a signal name such as SIGTERM, TERM or sigint (did you mean "SIGTERM"?)`},
		{"signal number", "children: [{name: a, command: [a], stop_signal: 15}]\n", "t.yaml:1:49: children[0].stop_signal: found the number 15, expected a string"},
		{"significant permanent", "auto_shutdown: any_significant\nchildren: [{name: a, command: [a], significant: true}]\n", "t.yaml:2:49: children[0].significant: a significant child must have restart transient or temporary, found permanent"},
		{"significant never", "children: [{name: a, command: [a], restart: transient, significant: true}]\n", "t.yaml:1:69: children[0].significant: a significant child needs auto_shutdown any_significant or all_significant on its supervisor, found never"},
		{"significant group", "auto_shutdown: all_significant\nchildren: [{name: g, significant: true, children: [{name: a, command: [a]}]}]\n", "t.yaml:2:35: children[0].significant: a significant child must have restart transient"},
		{"significant type", "children: [{name: a, command: [a], significant: yes}]\n", `t.yaml:1:49: children[0].significant: found "yes", expected true or false`},
		{"dir type", "children: [{name: a, command: [a], dir: [x]}]\n", "t.yaml:1:41: children[0].dir: found a list, expected a string"},
		{"env list", "children: [{name: a, command: [a], env: [A=1]}]\n", "t.yaml:1:41: children[0].env: found a list, expected a mapping"},
		{"env null", "children: [{name: a, command: [a], env: {A: ~}}]\n", `t.yaml:1:45: children[0].env.A: found nothing (null), expected a string (write "" for an empty one)`},
		{"env map value", "children: [{name: a, command: [a], env: {A: {b: c}}}]\n", "t.yaml:1:45: children[0].env.A: found a mapping, expected a string"},
		{"env name", "children: [{name: a, command: [a], env: {'A=B': x}}]\n", `t.yaml:1:42: children[0].env.A=B: found the variable name "A=B", expected a name without = or NUL`},
		{"start_timeout zero", "children: [{name: a, command: [a], start_timeout: 0s}]\n", "t.yaml:1:51: children[0].start_timeout: found 0s, expected a duration above zero"},
		{"ready none", "children: [{name: a, command: [a], ready: {timeout: 1s}}]\n", "t.yaml:1:43: children[0].ready: found none, expected exactly one of tcp, log, exec, exit and notify"},
		{"ready two", "children: [{name: a, command: [a], ready: {tcp: 'h:1', exec: [a]}}]\n", "t.yaml:1:43: children[0].ready: found tcp and exec, expected exactly one"},
		{"ready key", "children: [{name: a, command: [a], ready: {url: x}}]\n", "t.yaml:1:44: children[0].ready.url: unknown key, expected one of tcp, log, exec, exit, notify, timeout"},
		{"ready tcp", "children: [{name: a, command: [a], ready: {tcp: localhost}}]\n", `t.yaml:1:49: children[0].ready.tcp: found "localhost", expected host:port`},
		{"ready tcp port", "children: [{name: a, command: [a], ready: {tcp: 'db:http'}}]\n", `t.yaml:1:49: children[0].ready.tcp: found port "http" in "db:http", expected a port number from 1 to 65535`},
		{"ready log", "children: [{name: a, command: [a], ready: {log: '(['}}]\n", `t.yaml:1:49: children[0].ready.log: found "([", expected a regular expression (error parsing regexp`},
		{"ready exec", "children: [{name: a, command: [a], ready: {exec: []}}]\n", "t.yaml:1:50: children[0].ready.exec: found an empty list"},
		{"ready timeout differs", "children: [{name: a, command: [a], start_timeout: 5s, ready: {log: x, timeout: 6s}}]\n", "t.yaml:1:80: children[0].ready.timeout: found 6s, but start_timeout is 5s"},
		{"nested key path", "children:\n  - name: g\n    children:\n      - {name: a, command: [a]}\n      - {name: b, command: [b], restart: sometimes}\n", `t.yaml:5:42: children[0].children[1].restart: unknown restart type "sometimes"`},
		{"simulate key", "children: [{name: a, command: [a], simulate: {mtfb: 1m}}]\n", `t.yaml:1:47: children[0].simulate.mtfb: unknown key (did you mean "mtbf"?)`},
		{"simulate stop", "children: [{name: a, command: [a], simulate: {stop: sometimes}}]\n", `t.yaml:1:53: children[0].simulate.stop: found "sometimes", expected a duration`},
		{"simulate crash", "children: [{name: a, command: [a], simulate: {crash_on_start: 1.5}}]\n", "t.yaml:1:63: children[0].simulate.crash_on_start: found 1.5, expected a probability from 0 to 1"},
		{"simulate mtbf zero", "children: [{name: a, command: [a], simulate: {mtbf: 0s}}]\n", "t.yaml:1:53: children[0].simulate.mtbf: found 0s, expected a duration above zero"},
		{"simulate fail_at", "children: [{name: a, command: [a], simulate: {fail_at: [1s, x]}}]\n", `t.yaml:1:61: children[0].simulate.fail_at[1]: found "x", expected a duration`},
		{"simulate outage order", "children: [{name: a, command: [a], simulate: {outages: [{from: 2m, to: 1m}]}}]\n", "t.yaml:1:57: children[0].simulate.outages[0]: from 2m0s is not before to 1m0s"},
		{"simulate outage missing", "children: [{name: a, command: [a], simulate: {outages: [{from: 2m}]}}]\n", "t.yaml:1:57: children[0].simulate.outages[0]: expected both from and to"},
		{"simulate outage key", "children: [{name: a, command: [a], simulate: {outages: [{from: 1m, until: 2m}]}}]\n", "t.yaml:1:68: children[0].simulate.outages[0].until: unknown key"},
		{"unknown alias", "children: *kids\n", "t.yaml:1:11: children: alias *kids refers to no anchor before it"},
		{"custom tag", "children: !kids [{name: a, command: [a]}]\n", "t.yaml:1:11: children: found the tag !kids, expected no tag"},
		{"merge not mapping", "children: [{<<: 5, name: a, command: [a]}]\n", "t.yaml:1:17: children[0].<<: found the number 5, expected a mapping or a list of mappings to merge"},
		{"recursive alias", "children: &k [{name: a, children: *k}]\n", "nested more than 32 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("t.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, nil; want an error containing %q", tt.src, f, tt.want)
			}
			if got := err.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("Parse(%q) error:\n%v\nwant it to contain\n%v", tt.src, got, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || len(e.Problems) == 0 {
				t.Errorf("error = %#v; want an *Error with problems", err)
			}
		})
	}
}

func TestProblemFormat(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{"f.yaml", 3, 5, "children[1].restart", "bad"}, "f.yaml:3:5: children[1].restart: bad"},
		{Problem{"f.yaml", 1, 1, "", "the file is empty"}, "f.yaml:1:1: the file is empty"},
	}
	for _, tt := range tests {
		if got := tt.p.Error(); got != tt.want {
			t.Errorf("got = %q; want %q", got, tt.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	keys := []string{"restart", "stop_signal", "command", "name"}
	sigs := []string{"SIGHUP", "SIGINT", "SIGIO", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGFPE", "SIGKILL", "SIGVTALRM"}
	tests := []struct {
		in         string
		candidates []string
		want       string
	}{
		{"restrat", keys, "restart"},
		{"Restart", keys, "restart"},
		{"stop-signal", keys, "stop_signal"},
		{"comand", keys, "command"},
		{"nmae", keys, "name"},
		{"zzzzzz", keys, ""},
		{"n", keys, ""},
		{"nam", keys, "name"},
		{"nm", keys, ""},  // two letters, one of them wrong: too little to go on
		{"cmd", keys, ""}, // an abbreviation, not a misspelling
		{"restar_t", keys, "restart"},
		{"stopsignl", keys, "stop_signal"},
		{"stpsgnl", keys, ""}, // four edits
		{"SIGTREM", sigs, "SIGTERM"},
		{"SIGHUPP", sigs, "SIGHUP"},
		{"SIGUSR3", sigs, "SIGUSR1"},
		{"SIGKIL", sigs, "SIGKILL"},
		{"SIGVTALARM", sigs, "SIGVTALRM"},
		{"SIGFOO", sigs, ""}, // FOO and IO share nothing but the SIG everyone types
		{"SIGIOO", sigs, "SIGIO"},
		{"SIGX", sigs, ""},
		{"SIGTRMM", sigs, ""}, // two edits in four letters
		{"jobs/workr", []string{"jobs/worker", "web"}, "jobs/worker"},
		{"shop/dbb", []string{"shop/db", "shop/web"}, "shop/db"},
		{"shop/dbx", []string{"shop/db"}, "shop/db"},
	}
	for _, tt := range tests {
		want := ""
		if tt.want != "" {
			want = ` (did you mean "` + tt.want + `"?)`
		}
		if got := DidYouMean(tt.in, tt.candidates); got != want {
			t.Errorf("DidYouMean(%q) got = %q; want %q", tt.in, got, want)
		}
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("x-0: &a0 [{name: p, command: [p]}]\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "x-%d: &a%d [{name: a, children: *a%d}, {name: b, children: *a%d}]\n", i, i, i-1, i-1)
	}
	b.WriteString("children: *a30\n")
	start := time.Now()
	_, err := Parse("t.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "too large once its aliases are expanded") {
		t.Errorf("Parse(alias bomb) = %v; want a too-large error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Parse(alias bomb) took %v; want it bounded", d)
	}
}
