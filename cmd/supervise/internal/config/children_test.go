package config_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arborgo/arbor/cmd/supervise/internal/daemon"
)

// manyChildren is how many processes TestManyChildren puts under the
// root: 100,000, or 30,000 under the race detector, which makes the YAML
// parser about ten times slower; 30,000 is still past the 25,000 that
// the old node limit allowed.
var manyChildren = map[bool]int{false: 100_000, true: 30_000}[raceEnabled]

// TestManyChildren checks that a plain file of many children passes
// check: the alias limit counts only nodes that aliases add.
func TestManyChildren(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: big\nchildren:\n")
	for i := range manyChildren {
		fmt.Fprintf(&b, "  - {name: p%d, command: [sleep, \"1\"]}\n", i)
	}
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// check runs config.Load; loading twice would double the test's time.
	var stdout, stderr bytes.Buffer
	if code := daemon.CheckMain([]string{path}, &stdout, &stderr); code != 0 {
		t.Fatalf("check = %d, %.300s; want 0", code, stderr.String())
	}
	if want := fmt.Sprintf("%d processes in 1 supervisor", manyChildren); !strings.Contains(stdout.String(), want) {
		t.Errorf("check printed %q; want it to say %q", stdout.String(), want)
	}
}
