package config

import (
	"strings"
	"testing"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/sdnotify"
)

func TestLiveBadInput(t *testing.T) {
	const pre = "children: [{name: a, command: [a], "
	tests := []struct{ name, src, want string }{
		{"unknown check kind", pre + "live: {grpc: x}}]\n", `children[0].live.grpc: unknown key`},
		{"no check kind", pre + "live: {every: 1s}}]\n", "t.yaml:1:42: children[0].live: found none, expected exactly one check kind of tcp, http and exec"},
		{"two kinds", pre + "live: {tcp: '127.0.0.1:1', exec: [c]}}]\n", "t.yaml:1:42: children[0].live: found tcp and exec, expected exactly one check kind"},
		{"failures zero", pre + "live: {tcp: '127.0.0.1:1', failures: 0}}]\n", "t.yaml:1:73: children[0].live.failures: found 0, expected 1 or more consecutive failures"},
		{"bad URL", pre + "live: {http: 'ftp://x/y'}}]\n", `t.yaml:1:49: children[0].live.http: found "ftp://x/y", expected an http:// URL with a host`},
		{"URL without host", pre + "live: {http: 'http:///healthz'}}]\n", `children[0].live.http: found "http:///healthz", expected an http:// URL with a host`},
		{"bad tcp", pre + "live: {tcp: 'nohost'}}]\n", `children[0].live.tcp: found "nohost", expected host:port`},
		{"every zero", pre + "live: {tcp: '127.0.0.1:1', every: 0s}}]\n", "children[0].live.every: found 0s, expected a duration above zero"},
		{"watchdog zero", pre + "watchdog: 0s}]\n", "children[0].watchdog: found 0s, expected a duration above zero"},
		{"notify false", pre + "ready: {notify: false}}]\n", "children[0].ready.notify: found false, expected true"},
		{"notify and tcp", pre + "ready: {notify: true, tcp: '127.0.0.1:1'}}]\n", "children[0].ready: found tcp and notify, expected exactly one of tcp, log, exec, exit and notify"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) = %v; want an error containing %q", tt.src, err, tt.want)
			}
		})
	}
}

func TestLiveDefaults(t *testing.T) {
	src := "children: [{name: a, command: [a], ready: {notify: true}, watchdog: 30s, live: {http: 'http://127.0.0.1:8080/healthz'}}]\n"
	if !sdnotify.ServerSupported {
		t.Skip("no sd_notify server on this platform")
	}
	f, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := f.Root.Children[0].(*Process)
	l := p.Live
	if l == nil || l.HTTP != "http://127.0.0.1:8080/healthz" || l.Every != 10*time.Second || l.Timeout != time.Second || l.Failures != 3 || l.Grace != 0 || l.Kind() != "http" {
		t.Errorf("live = %+v; want the http check with every 10s, timeout 1s, failures 3, grace 0s", l)
	}
	if p.Watchdog != 30*time.Second || p.Ready == nil || !p.Ready.Notify {
		t.Errorf("watchdog = %v, ready = %+v; want 30s and notify", p.Watchdog, p.Ready)
	}
	if err := f.Validate(); err != nil {
		t.Errorf("Validate = %v; want nil", err)
	}
}
