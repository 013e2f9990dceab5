package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTreeRunsAndStopsCleanly runs the example for a short while and checks
// that it stopped in reverse order and cleanly.
func TestTreeRunsAndStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the example")
	}
	out, err := exec.Command("go", "run", ".", "-duration", "1500ms").CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	text := string(out)
	order := []string{"stopping child", "root/api", "root/jobs/worker", "root/jobs/queue", "root/config", "tree stopped cleanly"}
	at := strings.Index(text, "shutting down")
	for _, want := range order {
		i := strings.Index(text[max(at, 0):], want)
		if at < 0 || i < 0 {
			t.Fatalf("output lacks %q after the shutdown began:\n%s", want, text)
		}
		at += i
	}
}
