// Package examples_test builds every example with the race detector and
// runs each one (those that run until Ctrl-C with a flag that ends them),
// checking their exit codes, the lines that their package documentation
// tells readers to watch for, and that no data race was reported.
package examples_test

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mains lists the main packages under examples/ by directory name and
// import path.
func mains(t *testing.T) map[string]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{if eq .Name "main"}}{{.ImportPath}}{{end}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]string{}
	for _, p := range strings.Fields(string(out)) {
		pkgs[filepath.Base(p)] = p
	}
	return pkgs
}

func TestExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the examples")
	}
	pkgs := mains(t)
	bin := t.TempDir()
	// -race: the README tells readers to `go run` these, and a reader who
	// adds -race must not find the examples racy.
	args := []string{"build", "-race", "-o", bin + string(filepath.Separator)}
	for _, p := range pkgs {
		args = append(args, p)
	}
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		t.Fatalf("go build of the examples: %v\n%s", err, out)
	}

	cases := []struct {
		name, dir string
		args      []string
		code      int
		// inOrder must appear in the output in this order.
		inOrder []string
	}{
		{name: "httpserver", dir: "httpserver", args: []string{"-duration", "4s", "-addr", "127.0.0.1:0"}, code: 0, inOrder: []string{
			"child ready", "path=root/http",
			"path=/ status=200", "handler panicked", "path=/panic status=500", "path=/ status=200",
			"delay=500ms", "delay=1s",
			"shutting down", "path=root/worker", "path=root/http", "tree stopped cleanly",
		}},
		{name: "health", dir: "health", args: []string{"-duration", "4s", "-addr", "127.0.0.1:0"}, code: 0, inOrder: []string{
			"child ready", "path=root/ops", "/readyz now answers 200",
			"restarting child", "/readyz now answers 503", "backing_off", `arbor_child_restarts_total{path=\"root/worker\"} 1`,
			"draining", `\"state\":\"stopping\"`, "shutting down", "path=root/leaks", "path=root/app", "path=root/ops",
			"tree stopped cleanly",
		}},
		{name: "crashloop", dir: "crashloop", code: 1, inOrder: []string{
			"delay=100ms", "delay=200ms", "delay=400ms", "delay=800ms", "delay=1.6s",
			"giving up", "steady: stopping", "restart intensity exceeded by root/broken",
		}},
		{name: "hung", dir: "hung", args: []string{"-duration", "3s"}, code: 0, inOrder: []string{
			"consumer: stuck on a lock", "child unhealthy", "check=watchdog", "restarting child", "exit=unhealthy",
			"consumer: handled items run=2", "tree stopped cleanly",
		}},
		{name: "hung-probe", dir: "hung", args: []string{"-duration", "3s"}, code: 0, inOrder: []string{
			"cache: refresh loop died", "child unhealthy", "path=root/cache", "check=cache-probe", "restarting child",
			"path=root/cache", "exit=unhealthy", "tree stopped cleanly",
		}},
		{name: "mainjob", dir: "mainjob", args: []string{"-items", "5"}, code: 0, inOrder: []string{
			"db: up", "cache: up", "metrics: up", "job: starting attempt=1", "upstream returned 503",
			"job: starting attempt=2", "job: finished", "shutting down",
			"path=root/metrics", "path=root/cache", "path=root/db",
		}},
		{name: "suturemigration", dir: "suturemigration", args: []string{"-duration", "2s"}, code: 0, inOrder: []string{
			"path=orders/db", "exit=panic", "restarting child", "consumer: serving (suture service under arbor) run=2",
			"shutting down", "stopping child event=stopping path=orders/api", "path=orders/reports", "daily: stopped",
			"path=orders/consumer", "path=orders/db", "app stopped cleanly",
		}},
		{name: "tree", dir: "tree", args: []string{"-duration", "2500ms"}, code: 0, inOrder: []string{
			"child ready", "path=root/config", "path=root/jobs/queue", "path=root/jobs/worker", "path=root/api",
			"shutting down", "path=root/api", "path=root/jobs/worker", "path=root/jobs/queue", "path=root/config",
			"tree stopped cleanly",
		}},
		{name: "suturemigration-stubborn", dir: "suturemigration", args: []string{"-duration", "500ms", "-stubborn"}, code: 1, inOrder: []string{
			"ignoring the cancellation", "Service mailer failed to terminate", "services did not stop: mailer",
		}},
	}
	ran := map[string]bool{}
	for _, tc := range cases {
		ran[tc.dir] = true
	}
	for dir := range pkgs {
		if !ran[dir] {
			t.Errorf("example %s has no case here; every example must run", dir)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, ok := pkgs[tc.dir]; !ok {
				t.Fatalf("no example %s among %v", tc.dir, pkgs)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			var out bytes.Buffer
			cmd := exec.CommandContext(ctx, filepath.Join(bin, tc.dir), tc.args...)
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			err := cmd.Run()
			code := 0
			if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatalf("run: %v\n%s", err, out.String())
			}
			if ctx.Err() != nil {
				t.Fatalf("did not end on its own within 15s:\n%s", out.String())
			}
			if code != tc.code {
				t.Errorf("exit code %d; want %d", code, tc.code)
			}
			text := out.String()
			if strings.Contains(text, "WARNING: DATA RACE") {
				t.Errorf("the race detector reported a data race")
			}
			at := 0
			for _, want := range tc.inOrder {
				i := strings.Index(text[at:], want)
				if i < 0 {
					t.Errorf("output lacks %q after offset %d", want, at)
					break
				}
				at += i + len(want)
			}
			if t.Failed() {
				t.Logf("output (%v):\n%s", time.Since(start), text)
			}
		})
	}
}
