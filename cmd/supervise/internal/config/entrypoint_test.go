package config

import (
	"maps"
	"strings"
	"testing"
)

func TestExitCodes(t *testing.T) {
	f := mustParse(t, "exit_codes: {143: 0, 130: 0, 3: 4}\n"+kid)
	if want := map[int]int{143: 0, 130: 0, 3: 4}; !maps.Equal(f.ExitCodes, want) {
		t.Errorf("exit_codes = %v; want %v", f.ExitCodes, want)
	}
}

func TestExitCodesBad(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"key", "exit_codes: {x: 0}\n" + kid, `t.yaml:1:14: exit_codes.x: found "x", expected an exit code from 1 to 255`},
		{"zero", "exit_codes: {0: 1}\n" + kid, `exit_codes.0: found "0", expected an exit code from 1 to 255 (0 is always 0)`},
		{"value", "exit_codes: {1: 256}\n" + kid, "t.yaml:1:17: exit_codes.1: found 256, expected an exit code from 0 to 255"},
		{"on a child", "children: [{name: a, command: [a], exit_codes: {1: 0}}]\n", "children[0].exit_codes: exit_codes applies only to the root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v; want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestOneShot(t *testing.T) {
	f := mustParse(t, "children: [{name: m, command: [m], restart: transient, ready: {exit: 0}}]\n")
	if p := proc(t, f, "root/m"); p.Ready == nil || !p.Ready.Exit {
		t.Errorf("ready = %+v; want exit", p.Ready)
	}
}

func TestOneShotBad(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"code", "children: [{name: m, command: [m], restart: transient, ready: {exit: 1}}]\n",
			"t.yaml:1:70: children[0].ready.exit: found 1, expected 0: a one-shot step is done when it exits 0"},
		{"permanent", "children: [{name: m, command: [m], ready: {exit: 0}}]\n",
			"children[0].ready.exit: a one-shot step (ready: {exit: 0}) must have restart transient or temporary, found permanent"},
		{"two checks", "children: [{name: m, command: [m], restart: transient, ready: {exit: 0, log: x}}]\n",
			"children[0].ready: found log and exit, expected exactly one of tcp, log, exec and exit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v; want it to contain %q", err, tt.want)
			}
		})
	}
}
