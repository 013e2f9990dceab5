package simulate

import (
	"strings"
	"testing"
)

// TestNoFaultsWarning checks that a file in which nothing can fail gets
// the warning on stderr, one line, and a file with failures does not.
func TestNoFaultsWarning(t *testing.T) {
	tests := []struct {
		name string
		args []string
		warn bool
	}{
		{"no simulate keys", []string{"testdata/nofaults.yaml"}, true},
		{"delays only", []string{"testdata/delays.yaml"}, true},
		{"simulate keys", []string{"testdata/shop.yaml"}, false},
		{"--faults", []string{"testdata/nofaults.yaml", "--faults", "testdata/nofaults-faults.yaml"}, false},
		{"--faults-from", []string{"testdata/nofaults.yaml", "--faults-from", "testdata/nofaults-run.log"}, false},
		{"one of several files", []string{"testdata/nofaults.yaml", "testdata/shop.yaml"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, append(tt.args, "--duration", "1m")...)
			if code != 0 {
				t.Fatalf("exit = %d; want 0 (stderr %s)", code, stderr)
			}
			if got := strings.Contains(stderr, noFaultsWarning+"\n"); got != tt.warn {
				t.Errorf("warned = %v; want %v (stderr %q)", got, tt.warn, stderr)
			}
			if tt.warn && strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr = %q; want the warning alone, on one line", stderr)
			}
		})
	}
}
