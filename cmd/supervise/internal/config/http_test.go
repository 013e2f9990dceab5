package config

import (
	"strings"
	"testing"
	"time"
)

func TestHTTPAndDrain(t *testing.T) {
	f := mustParse(t, "http: 127.0.0.1:9090\ndrain: 15s\n"+kid)
	if f.HTTP != "127.0.0.1:9090" || f.Drain != 15*time.Second {
		t.Errorf("http, drain = %q, %v; want %q, %v", f.HTTP, f.Drain, "127.0.0.1:9090", 15*time.Second)
	}
	f = mustParse(t, kid)
	if f.HTTP != "" || f.Drain != 0 {
		t.Errorf("defaults: http, drain = %q, %v; want \"\", 0s", f.HTTP, f.Drain)
	}
}

func TestHTTPAndDrainBad(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"address", "http: localhost\n" + kid, `t.yaml:1:7: http: found "localhost", expected an address host:port or :port`},
		{"number", "http: 9090\n" + kid, "t.yaml:1:7: http: found the number 9090, expected a string"},
		{"negative drain", "drain: -1s\n" + kid, `t.yaml:1:8: drain: found "-1s", expected a duration of 0 or more`},
		{"drain on a child", "children: [{name: a, command: [a], drain: 1s}]\n", "children[0].drain: drain applies only to the root"},
		{"http on a group", "children: [{name: g, http: ':1', children: [{name: a, command: [a]}]}]\n", "children[0].http: http applies only to the root"},
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
