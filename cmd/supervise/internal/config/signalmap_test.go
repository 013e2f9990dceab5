//go:build unix

package config

import (
	"reflect"
	"strings"
	"syscall"
	"testing"
)

const signalTree = `name: shop
children:
  - {name: web, command: [nginx], reload_signal: SIGUSR2}
  - name: jobs
    children:
      - {name: worker, command: [w]}
      - {name: cron, command: [c]}
`

func TestSignalMap(t *testing.T) {
	f := mustParse(t, `signals:
  SIGHUP: reload
  usr1: {forward: [web, jobs/worker]}
  SIGUSR2: ignore
  TERM: stop
  SIGWINCH: forward
  SIGALRM: {reload: [jobs, shop/web]}
  SIGVTALRM: {forward: jobs/cron}
`+signalTree)
	want := map[syscall.Signal]SignalAction{
		syscall.SIGHUP:  {Do: SignalReload},
		syscall.SIGUSR1: {Do: SignalForward, Targets: []SignalTarget{{"shop/web", syscall.SIGUSR1}, {"shop/jobs/worker", syscall.SIGUSR1}}},
		syscall.SIGUSR2: {Do: SignalIgnore},
		syscall.SIGTERM: {Do: SignalStop},
		syscall.SIGWINCH: {Do: SignalForward, Targets: []SignalTarget{
			{"shop/web", syscall.SIGWINCH}, {"shop/jobs/worker", syscall.SIGWINCH}, {"shop/jobs/cron", syscall.SIGWINCH}}},
		syscall.SIGALRM: {Do: SignalForward, Targets: []SignalTarget{
			{"shop/jobs/worker", syscall.SIGHUP}, {"shop/jobs/cron", syscall.SIGHUP}, {"shop/web", syscall.SIGUSR2}}},
		syscall.SIGVTALRM: {Do: SignalForward, Targets: []SignalTarget{{"shop/jobs/cron", syscall.SIGVTALRM}}},
	}
	if !reflect.DeepEqual(f.Signals, want) {
		t.Errorf("signals = %+v; want %+v", f.Signals, want)
	}
	if p := proc(t, f, "shop/jobs/cron"); p.ReloadSignal != syscall.SIGHUP {
		t.Errorf("default reload_signal = %v; want SIGHUP", p.ReloadSignal)
	}
}

func TestSignalMapBad(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown signal", "signals: {SIGHUPP: stop}\n", `t.yaml:1:11: signals.SIGHUPP: unknown signal "SIGHUPP", expected a signal name such as SIGHUP, HUP or sigusr1 (did you mean "SIGHUP"?)`},
		{"SIGKILL", "signals: {KILL: ignore}\n", "t.yaml:1:11: signals.KILL: SIGKILL cannot be caught"},
		{"SIGSTOP", "signals: {SIGSTOP: forward}\n", "t.yaml:1:11: signals.SIGSTOP: SIGSTOP cannot be caught"},
		{"SIGCHLD", "signals: {SIGCHLD: stop}\n", "t.yaml:1:11: signals.SIGCHLD: SIGCHLD tells supervise that a child exited"},
		{"twice", "signals: {HUP: stop, SIGHUP: ignore}\n", "t.yaml:1:22: signals.SIGHUP: SIGHUP is mapped twice, also on line 1"},
		{"action", "signals: {SIGHUP: restart}\n", `t.yaml:1:19: signals.SIGHUP: unknown signal action "restart", expected stop, reload, forward or ignore`},
		{"unknown path", "signals: {SIGHUP: {forward: [web, jobs/workr]}}\n", `t.yaml:1:35: signals.SIGHUP.forward[1]: no process or supervisor has the path "jobs/workr", expected a path below the root (did you mean "jobs/worker"?)`},
		{"empty list", "signals: {SIGHUP: {forward: []}}\n", "t.yaml:1:29: signals.SIGHUP.forward: found an empty list"},
		{"two keys", "signals: {SIGHUP: {forward: [web], reload: [web]}}\n", "signals.SIGHUP: found 2 keys, expected one of forward"},
		{"bad key", "signals: {SIGHUP: {froward: [web]}}\n", `signals.SIGHUP.froward: unknown key (did you mean "forward"?)`},
		{"reload_signal", "signals: {}\nchildren: [{name: a, command: [a], reload_signal: SIGFOO}]\n", `children[0].reload_signal: unknown signal "SIGFOO"`},
		{"on a child", "children: [{name: a, command: [a], signals: {HUP: stop}}]\n", "children[0].signals: signals applies only to the root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if !strings.Contains(src, "children") {
				src += signalTree
			}
			_, err := Parse("t.yaml", []byte(src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v; want it to contain %q", err, tt.want)
			}
		})
	}
}

// Validate checks the signals: actions of a tree built in code.
func TestSignalMapValidate(t *testing.T) {
	f := mustParse(t, "signals: {HUP: {forward: [web]}}\n"+signalTree)
	if err := f.Validate(); err != nil {
		t.Fatalf("Validate of a parsed file = %v", err)
	}
	f.Signals[syscall.SIGUSR1] = SignalAction{Do: SignalForward, Targets: []SignalTarget{{Path: "shop/nope", Signal: syscall.SIGUSR1}}}
	f.Signals[syscall.SIGKILL] = SignalAction{Do: "restart"}
	err := f.Validate()
	for _, want := range []string{`signals.SIGUSR1: no process has the path "shop/nope"`, "signals.SIGKILL: SIGKILL cannot be caught", `signals.SIGKILL: found "restart"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v; want it to contain %q", err, want)
		}
	}
	if _, err := Single([]string{"/bin/true"}, []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP}, nil, true); err != nil {
		t.Errorf("Single = %v", err)
	}
}
