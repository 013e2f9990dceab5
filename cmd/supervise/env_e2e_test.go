package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An env file and ${VAR} reach the child: supervise's environment, then
// the file, then env; ${VAR} in command, env and dir; $$ is a $.
func TestEnvFileReachesChild(t *testing.T) {
	t.Parallel()
	dir := shortDir(t)
	writeFile(t, dir, "app.env", "# settings\nDB_URL=\"postgres://db/shop\"\nMODE=file\nWORKDIR="+dir+"\n")
	cmd := exec.Command(bin, "run", "--log-format", "json", "--socket", filepath.Join(dir, "s.sock"),
		writeFile(t, dir, "tree.yaml", `
name: r
auto_shutdown: any_significant
children:
  - name: app
    restart: temporary
    significant: true
    env_file: [$DIR/app.env, -$DIR/missing.env]
    env: {MODE: "env-${MODE}", GREETING: "${GREETING:-hello}"}
    dir: ${WORKDIR}
    command: [/bin/sh, -c, 'echo "url=$DB_URL mode=$MODE greet=$GREETING from=$FROM_OUTSIDE arg=$0 pwd=$(pwd) cost=$1"', "${FROM_OUTSIDE}", "$$5"]
`))
	cmd.Env = append(os.Environ(), "FROM_OUTSIDE=outside", "MODE=outside")
	d := startCmd(t, dir, cmd)
	if code := d.wait(10 * time.Second); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
	r := d.waitFor("the child's line", func(r rec) bool { return r.str("stream") == "stdout" }, time.Second)
	want := "url=postgres://db/shop mode=env-file greet=hello from=outside arg=outside pwd=" + dir + " cost=$5"
	if got := r.str("msg"); got != want {
		t.Errorf("child printed %q; want %q", got, want)
	}
}

// A required env file missing at a start is a start failure naming it.
func TestEnvFileMissingFailsStart(t *testing.T) {
	t.Parallel()
	d := start(t, `
name: r
children:
  - {name: app, command: `+sleeper+`, env_file: [$DIR/gone.env]}
`)
	if code := d.wait(10 * time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	if r := d.waitEvent("start_failed", "r/app"); !strings.Contains(r.str("error"), "gone.env") {
		t.Errorf("start_failed error %q does not name gone.env", r.str("error"))
	}
}
