package simulate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestRestartingIsDecisions pins what simulate's RESTARTING counts, apart
// from status's RESTARTS: in a one_for_all tree a sibling restarted with
// the one that failed is started again (STARTS 2, and status would show
// it RESTARTS 1) but no restart was decided about it (RESTARTING 0). The
// two names differ so that neither word means two things.
func TestRestartingIsDecisions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "all.yaml")
	const yaml = `name: r
strategy: one_for_all
children:
  - {name: a, command: [a], simulate: {fail_at: [10s]}}
  - {name: b, command: [b]}
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, path, "--duration", "1m", "--json")
	if code != 0 {
		t.Fatalf("exit = %d; want 0 (stderr %s)", code, stderr)
	}
	var res struct {
		Variants []struct {
			Children []struct {
				Path     string
				Starts   int
				Restarts int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Variants) != 1 {
		t.Fatalf("json = %v, %d variants; want one\n%s", err, len(res.Variants), out)
	}
	type counts struct{ starts, restarting int }
	got := map[string]counts{}
	for _, c := range res.Variants[0].Children {
		got[c.Path] = counts{c.Starts, c.Restarts}
	}
	want := map[string]counts{"r": {1, 0}, "r/a": {2, 1}, "r/b": {2, 0}}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: got = %+v; want %+v", p, got[p], w)
		}
	}

	_, table, _ := run(t, path, "--duration", "1m")
	if !regexp.MustCompile(`(?m)^CHILD\s+STARTS\s+RESTARTING\s+FAILURES\s`).MatchString(table) ||
		regexp.MustCompile(`\bRESTARTS\b`).MatchString(table) {
		t.Errorf("table:\n%s\nwant a RESTARTING column and no RESTARTS, which is status's word", table)
	}
	if !regexp.MustCompile(`(?m)^r/b\s+2\s+0\s`).MatchString(table) {
		t.Errorf("table:\n%s\nwant r/b with STARTS 2, RESTARTING 0", table)
	}
}
