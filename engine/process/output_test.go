//go:build linux

package process_test

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/arborgo/arbor/engine/process"
)

func TestProcessOutputLines(t *testing.T) {
	t.Parallel()
	log := &captureLog{}
	// 150000 bytes: two 64 KiB pieces and the rest.
	p := process.New(sh(log, `printf 'one\ntwo\r\n\nthree\n'; echo oops >&2
head -c 150000 /dev/zero | tr '\0' x; echo
printf 'last'; printf 'err-last' >&2`))
	ctx := withPath(context.Background(), "root/web")
	if err := p.Run(ctx); err != nil {
		t.Fatalf("Run = %v", err)
	}
	long := strings.Repeat("x", 150000)
	wantOut := []string{"one", "two", "", "three", long[:64<<10], long[64<<10 : 128<<10], long[128<<10:], "last"}
	if got := log.stream("stdout"); !equalLines(got, wantOut) {
		t.Errorf("stdout lines (lengths) = %v, want %v", lengths(got), lengths(wantOut))
	}
	if got, want := log.stream("stderr"), []string{"oops", "err-last"}; !equalLines(got, want) {
		t.Errorf("stderr lines = %q, want %q", got, want)
	}
	for _, r := range log.all() {
		if r.attrs["path"] != "root/web" {
			t.Errorf("record %.20q has path %q, want root/web", r.msg, r.attrs["path"])
		}
	}
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func lengths(lines []string) []int {
	n := make([]int, len(lines))
	for i, l := range lines {
		n[i] = len(l)
	}
	return n
}

// A process that left the group (setsid) survives the group kill and
// holds the output pipe; Run must not wait for it forever.
func TestProcessOutputPipeHeldOutsideGroup(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("no setsid")
	}
	log := &captureLog{}
	pidFile := filepath.Join(t.TempDir(), "pid")
	p := process.New(sh(log, `setsid sh -c 'echo $$ > `+pidFile+`.tmp; mv `+pidFile+`.tmp `+pidFile+`; exec sleep 1000' &
until [ -e `+pidFile+` ]; do sleep 0.01; done; echo bye`))
	err := p.Run(context.Background())
	b, readErr := os.ReadFile(pidFile)
	if pid, convErr := strconv.Atoi(strings.TrimSpace(string(b))); readErr == nil && convErr == nil {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	if got := log.stream("stdout"); !equalLines(got, []string{"bye"}) {
		t.Fatalf("stdout %q, want [bye]", got)
	}
	warned := false
	for _, r := range log.all() {
		warned = warned || r.level == slog.LevelWarn
	}
	if !warned {
		t.Fatal("no warning about the output cut short")
	}
}

// A pump holds a line across a pause of the child (its buffer is given back
// only when nothing is pending), grows its buffer for a line longer than
// the first one and shrinks it after, and a line of exactly 64 KiB is one
// record, not a piece and an empty line.
func TestProcessOutputLinesAcrossPausesAndGrowth(t *testing.T) {
	t.Parallel()
	log := &captureLog{}
	p := process.New(sh(log, `printf 'par'; sleep 0.05; printf 'tial\n'
head -c 10000 /dev/zero | tr '\0' y; echo; sleep 0.05
echo short; sleep 0.05
head -c 65536 /dev/zero | tr '\0' z; echo
printf 'a'; head -c 70000 /dev/zero | tr '\0' w; sleep 0.05; echo; echo after`))
	if err := p.Run(context.Background()); err != nil {
		t.Fatalf("Run = %v", err)
	}
	w := "a" + strings.Repeat("w", 70000)
	want := []string{"partial", strings.Repeat("y", 10000), "short", strings.Repeat("z", 65536), w[:64<<10], w[64<<10:], "after"}
	if got := log.stream("stdout"); !equalLines(got, want) {
		t.Errorf("stdout lines (lengths) = %v; want %v", lengths(got), lengths(want))
	}
}
