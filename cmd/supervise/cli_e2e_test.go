package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Every kind of bad input makes run and check exit 2 with FILE:LINE in the
// message, and run starts nothing.
func TestBadInput(t *testing.T) {
	t.Parallel()
	// Each valid child would leave a marker if it were ever started.
	marker := `[/bin/sh, -c, "touch $DIR/started; exec sleep 100"]`
	cases := map[string]struct{ yaml, key string }{
		"unknown key":    {"children:\n  - {name: a, command: " + marker + ", restrat: permanent}\n", "restrat"},
		"wrong type":     {"intensity: lots\nchildren:\n  - {name: a, command: " + marker + "}\n", "intensity"},
		"bad duration":   {"period: 5 seconds\nchildren:\n  - {name: a, command: " + marker + "}\n", "period"},
		"bad strategy":   {"strategy: one_for_some\nchildren:\n  - {name: a, command: " + marker + "}\n", "strategy"},
		"bad restart":    {"children:\n  - {name: a, command: " + marker + ", restart: sometimes}\n", "restart"},
		"bad signal":     {"children:\n  - {name: a, command: " + marker + ", stop_signal: SIGFOO}\n", "stop_signal"},
		"empty command":  {"children:\n  - {name: a, command: " + marker + "}\n  - {name: b, command: []}\n", "command"},
		"both":           {"children:\n  - name: a\n    command: " + marker + "\n    children:\n      - {name: b, command: " + marker + "}\n", "children"},
		"duplicate name": {"children:\n  - {name: a, command: " + marker + "}\n  - {name: a, command: " + marker + "}\n", "name"},
		"not yaml":       {"children: [\n", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := shortDir(t)
			file := writeFile(t, dir, "bad.yaml", c.yaml)
			for _, cmd := range [][]string{{"check", file}, {"run", "--log-format", "json", "--socket", filepath.Join(dir, "s.sock"), file}} {
				code, _, stderr := runBin(t, nil, cmd...)
				if code != 2 {
					t.Errorf("%s: exit code %d, want 2; stderr:\n%s", cmd[0], code, stderr)
				}
				if !regexp.MustCompile(regexp.QuoteMeta(file) + `:\d+:`).MatchString(stderr) {
					t.Errorf("%s: message lacks %s:LINE:\n%s", cmd[0], file, stderr)
				}
				if !strings.Contains(stderr, c.key) {
					t.Errorf("%s: message does not name %q:\n%s", cmd[0], c.key, stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "started")); err == nil {
				t.Errorf("a child was started")
			}
			if _, err := os.Stat(filepath.Join(dir, "s.sock")); err == nil {
				t.Errorf("the socket was created")
			}
		})
	}
}

// Several problems are reported at once.
func TestBadInputAllAtOnce(t *testing.T) {
	t.Parallel()
	dir := shortDir(t)
	file := writeFile(t, dir, "bad.yaml", "strategy: nope\nintensity: x\nchildren:\n  - {name: a, command: [], restart: never}\n")
	code, _, stderr := runBin(t, nil, "check", file)
	if code != 2 {
		t.Fatalf("exit code %d, want 2", code)
	}
	if n := strings.Count(stderr, file+":"); n < 4 {
		t.Errorf("%d problems reported, want 4:\n%s", n, stderr)
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	dir := shortDir(t)
	good := writeFile(t, dir, "good.yaml", "name: shop\nchildren:\n  - {name: a, command: [sleep, \"1\"]}\n  - name: g\n    children:\n      - {name: b, command: [sleep, \"1\"]}\n")
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"check", good}, 0, "ok"},
		{nil, 2, ""},
		{[]string{"frobnicate"}, 2, ""},
		{[]string{"run"}, 2, ""},
		{[]string{"run", good, good}, 2, ""},
		{[]string{"run", "--bogus", good}, 2, ""},
		{[]string{"run", "--log-format", "xml", good}, 2, ""},
		{[]string{"run", filepath.Join(dir, "missing.yaml")}, 2, ""},
		{[]string{"check"}, 2, ""},
		{[]string{"--version"}, 0, "supervise"},
		{[]string{"--help"}, 0, "Commands:"},
		{[]string{"run", "--help"}, 0, "Examples:"},
		{[]string{"check", "--help"}, 0, "Examples:"},
		{[]string{"status", "--help"}, 0, "Examples:"},
		{[]string{"demo", "--help"}, 0, "Examples:"},
		{[]string{"demo", "--print"}, 0, "name: demo"},
		{[]string{"simulate", "--help"}, 0, ""}, // its usage goes to stderr
	} {
		code, stdout, stderr := runBin(t, nil, c.args...)
		if code != c.code || !strings.Contains(stdout, c.out) {
			t.Errorf("supervise %v: exit %d, want %d; stdout %q, want it to contain %q; stderr:\n%s", c.args, code, c.code, stdout, c.out, stderr)
		}
	}
}

// status prints the live tree of a running supervise: paths, states,
// PIDs, restart counts and last exits, as a table and as JSON.
func TestStatus(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: shop
backoff: {initial: 0s, max: 0s}
intensity: 10
children:
  - {name: db, command: `+sleeper+`}
  - name: jobs
    children:
      - {name: worker, command: `+crashOnce("w")+`}
`)
	// Running from its second ready on: "started" comes before the exec.
	d.waitFor("second run of worker", func(r rec) bool {
		return r.is("ready", "shop/jobs/worker") && count(d.records(), "ready", "shop/jobs/worker") == 2
	}, 10*time.Second)
	db := d.pidOf("shop/db")
	code, out, stderr := runBin(t, nil, "status", "--socket", d.socket)
	if code != 0 {
		t.Fatalf("status: exit %d:\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 {
		t.Fatalf("status printed %d lines, want 5:\n%s", len(lines), out)
	}
	for i, want := range []string{
		`^PATH\s+STATE\s+PID\s+UPTIME\s+RESTARTS\s+LAST EXIT$`,
		`^shop\s+running\s+\d+\s`,
		`^shop/db\s+running\s+` + itoa(db) + `\s+\S+\s+0\s+-$`,
		`^shop/jobs\s+running\s+-\s+\S+\s+0\s+-$`,
		`^shop/jobs/worker\s+running\s+\d+\s+\S+\s+1\s+code 1$`,
	} {
		if !regexp.MustCompile(want).MatchString(lines[i]) {
			t.Errorf("line %d %q does not match %s", i, lines[i], want)
		}
	}
	// All four columns line up.
	col := strings.Index(lines[0], "STATE")
	for _, l := range lines[1:] {
		if len(l) < col || l[col-2:col] != "  " || l[col] == ' ' {
			t.Errorf("line %q not aligned with the STATE column at %d", l, col)
		}
	}

	code, out, _ = runBin(t, nil, "status", "--json", "--socket", d.socket)
	if code != 0 {
		t.Fatalf("status --json: exit %d", code)
	}
	var st struct {
		Name     string
		PID      int
		Children []struct {
			Path     string
			State    string
			PID      int
			Restarts int
			Code     *int
		}
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	if st.Name != "shop" || st.PID != d.supervisePID() || len(st.Children) != 3 || st.Children[0].PID != db ||
		st.Children[2].Restarts != 1 || st.Children[2].Code == nil || *st.Children[2].Code != 1 {
		t.Errorf("status --json: %s", out)
	}
	d.stopClean()
	if _, err := os.Stat(d.socket); err == nil {
		t.Errorf("socket left behind after exit")
	}
	if code, _, _ := runBin(t, nil, "status", "--socket", d.socket); code != 1 {
		t.Errorf("status of a stopped supervise: exit %d, want 1", code)
	}
}

// A child that a one_for_all restart stopped on purpose reads "stopped" in
// LAST EXIT and last_exit, whether it died of the SIGTERM it got or exited
// 0 on it; its signal or code stays in its own field.
func TestStatusStoppedSibling(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, db string
		signal   string
		code     *int
	}{
		{"killed by SIGTERM", sleeper, "SIGTERM", nil},
		{"exits 0 on SIGTERM", `[/bin/sh, -c, "trap 'exit 0' TERM; while :; do sleep 0.05; done"]`, "", new(0)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := start(t, `
name: shop
strategy: one_for_all
backoff: {initial: 0s, max: 0s}
intensity: 10
children:
  - {name: db, command: `+tt.db+`}
  - {name: worker, command: `+crashOnce("w")+`}
`)
			// Running from its second ready on: "started" comes before
			// the exec, and until the ready the worker reads "starting"
			// with no PID.
			d.waitFor("second run of worker", func(r rec) bool {
				return r.is("ready", "shop/worker") && count(d.records(), "ready", "shop/worker") == 2
			}, 10*time.Second)
			code, out, stderr := runBin(t, nil, "status", "--socket", d.socket)
			if code != 0 {
				t.Fatalf("status: exit %d:\n%s", code, stderr)
			}
			if !regexp.MustCompile(`(?m)^shop/db\s+running\s+\d+\s+\S+\s+1\s+stopped$`).MatchString(out) ||
				!regexp.MustCompile(`(?m)^shop/worker\s+running\s+\d+\s+\S+\s+1\s+code 1$`).MatchString(out) {
				t.Errorf("status:\n%s\nwant db stopped, worker code 1", out)
			}
			code, out, _ = runBin(t, nil, "status", "--json", "--socket", d.socket)
			if code != 0 {
				t.Fatalf("status --json: exit %d", code)
			}
			var st struct {
				Children []struct {
					Path     string
					LastExit string `json:"last_exit"`
					Signal   string
					Code     *int
				}
			}
			_ = json.Unmarshal([]byte(out), &st)
			if len(st.Children) != 2 || st.Children[0].LastExit != "stopped" || st.Children[0].Signal != tt.signal ||
				(st.Children[0].Code == nil) != (tt.code == nil) || st.Children[1].LastExit != "code 1" {
				t.Errorf("status --json: %s\nwant db last_exit stopped (signal %q, code %v), worker code 1", out, tt.signal, tt.code)
			}
			d.stopClean()
		})
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// Without --socket, run puts its socket in $XDG_RUNTIME_DIR and status
// finds it there; the socket has mode 0600.
func TestStatusDefaultSocket(t *testing.T) {
	t.Parallel()
	dir := shortDir(t)
	file := writeFile(t, dir, "tree.yaml", "name: one\nchildren:\n  - {name: a, command: "+sleeper+"}\n")
	d := startArgs(t, dir, "run", "--log-format", "json", file)
	d.waitEvent("started", "one/a")
	sock := filepath.Join(dir, "supervise-one.sock")
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want 0600", fi.Mode().Perm())
	}
	env := []string{"XDG_RUNTIME_DIR=" + dir}
	code, out, stderr := runBin(t, env, "status")
	if code != 0 || !strings.Contains(out, "one/a") {
		t.Errorf("status: exit %d, output:\n%s%s", code, out, stderr)
	}
	d.signal(syscall.SIGINT)
	if code := d.wait(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
	if code, _, stderr := runBin(t, env, "status"); code != 1 || !strings.Contains(stderr, "no running supervise") {
		t.Errorf("status with none running: exit %d, %s", code, stderr)
	}
}

// A second run on a live socket refuses to start (exit 2, nothing
// started); a stale socket is replaced.
func TestSocketRefusal(t *testing.T) {
	t.Parallel()
	d := start(t, "name: r\nchildren:\n  - {name: a, command: "+sleeper+"}\n")
	d.waitEvent("started", "r/a")
	second := writeFile(t, d.dir, "second.yaml", "name: r\nchildren:\n  - {name: a, command: [/bin/sh, -c, \"touch $DIR/second; exec sleep 100\"]}\n")
	code, _, stderr := runBin(t, nil, "run", "--log-format", "json", "--socket", d.socket, second)
	if code != 2 || !strings.Contains(stderr, "in use") {
		t.Errorf("second run: exit %d, want 2 with a clear message:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(d.dir, "second")); err == nil {
		t.Errorf("the second run started a child")
	}
	if code, _, _ := runBin(t, nil, "status", "--socket", d.socket); code != 0 {
		t.Errorf("status after the refused run: exit %d; the socket was stolen", code)
	}
	d.signal(syscall.SIGTERM)
	d.wait(10 * time.Second)

	// A stale socket: bound, then left behind without a listener.
	stale := filepath.Join(d.dir, "stale.sock")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: stale, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()
	d2 := startArgs(t, d.dir, "run", "--log-format", "json", "--socket", stale, second)
	d2.waitEvent("started", "r/a")
	d2.signal(syscall.SIGTERM)
	if code := d2.wait(10 * time.Second); code != 0 {
		t.Errorf("run over a stale socket: exit %d", code)
	}
}

// The demo works with nothing but the binary: it restarts its crashing
// child with backoff and stops in reverse start order on Ctrl-C.
func TestDemo(t *testing.T) {
	t.Parallel()
	dir := shortDir(t)
	d := startArgs(t, dir, "demo", "--log-format", "json", "--socket", filepath.Join(dir, "s.sock"))
	d.waitEvent("ready", "demo/db")
	r := d.waitFor("cron restarting", func(r rec) bool { return r.is("restarting", "demo/cron") }, 15*time.Second)
	if c, _ := r["code"].(float64); c != 3 {
		t.Errorf("cron restarting without code 3: %v", r)
	}
	d.signal(syscall.SIGINT)
	if code := d.wait(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
	recs := d.records()
	i := len(recs) - 1
	for i > 0 && !recs[i].is("signal", "") {
		i--
	}
	// A child that is backing off at the signal has nothing to stop.
	got := paths(recs[i:], "stopped")
	want := []string{"demo/cron", "demo/jobs/worker", "demo/jobs/queue", "demo/jobs", "demo/db"}
	j := 0
	for _, p := range got {
		for j < len(want) && want[j] != p {
			j++
		}
		if j == len(want) {
			t.Fatalf("stopped %v, want the order of %v", got, want)
		}
	}
	if len(got) < 3 || got[len(got)-1] != "demo/db" {
		t.Errorf("stopped %v, want at least jobs/queue, jobs and db, db last", got)
	}
}
