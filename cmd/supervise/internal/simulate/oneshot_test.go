package simulate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// A one-shot step (ready: {exit: 0}) ends normally once ready: it gates
// the server for its 20s, a one_for_one restart of the server does not run
// it again, and a one_for_all restart does.
func TestOneShotStepEndsWhenReady(t *testing.T) {
	for _, tt := range []struct {
		strategy                string
		migrateStarts, srvStart int
	}{
		{"one_for_one", 1, 2},
		{"one_for_all", 2, 2},
	} {
		t.Run(tt.strategy, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.yaml")
			os.WriteFile(path, []byte(`name: r
strategy: `+tt.strategy+`
children:
  - name: migrate
    command: [m]
    restart: transient
    ready: {exit: 0}
    simulate: {ready: 20s}
  - {name: server, command: [s], simulate: {fail_at: [1m]}}
`), 0o644)
			code, out, errs := run(t, "--duration", "5m", "--json", path)
			if code != 0 {
				t.Fatalf("exit = %d; want 0 (stderr %s)", code, errs)
			}
			var res struct {
				Variants []struct {
					Children []struct {
						Path   string  `json:"path"`
						Starts int     `json:"starts"`
						Down   float64 `json:"down_seconds"`
					} `json:"children"`
				} `json:"variants"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			var serverDown float64
			for _, c := range res.Variants[0].Children {
				got[c.Path] = c.Starts
				if c.Path == "r/server" {
					serverDown = c.Down
				}
			}
			if got["r/migrate"] != tt.migrateStarts || got["r/server"] != tt.srvStart {
				t.Errorf("starts = %v; want migrate %d, server %d", got, tt.migrateStarts, tt.srvStart)
			}
			// The server waits for the step: 20s down at least.
			if serverDown < 20 {
				t.Errorf("server down %gs; want at least the step's 20s", serverDown)
			}
		})
	}
}
