package control

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/arborgo/arbor/cmd/supervise/internal/assemble"
	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/engine/process"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/health"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func sockDir(t *testing.T) string {
	d, err := os.MkdirTemp("", "ctl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

func TestServeAndQuery(t *testing.T) {
	path := filepath.Join(sockDir(t), "s.sock")
	l, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v, %v; want mode 0600", fi, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		srv := Server{Status: func(context.Context) Status {
			return Status{Name: "shop", PID: 42, Rows: []Row{{Path: "shop/db", Kind: "process", State: "running", PID: 7}}}
		}}
		done <- srv.Serve(ctx, l)
	}()
	st, err := Query(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Name != "shop" || st.PID != 42 || len(st.Rows) != 1 || st.Rows[0].PID != 7 {
		t.Errorf("Query = %+v", st)
	}

	// A second Listen refuses the live socket.
	if _, err := Listen(path); !errors.Is(err, ErrInUse) {
		t.Errorf("Listen on a live socket: %v, want ErrInUse", err)
	}

	// A bad request gets an error answer, not a hang.
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte(`{"cmd":"reload"}` + "\n"))
	var buf bytes.Buffer
	buf.ReadFrom(c)
	c.Close()
	if !strings.Contains(buf.String(), `unknown command \"reload\"`) {
		t.Errorf("answer to an unknown command: %s", buf.String())
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve = %v", err)
	}
	// The socket is stale now: Listen replaces it.
	l2, err := Listen(path)
	if err != nil {
		t.Fatalf("Listen on a stale socket: %v", err)
	}
	l2.Close()
}

func TestListenRefusesNonSocket(t *testing.T) {
	path := filepath.Join(sockDir(t), "file")
	os.WriteFile(path, []byte("x"), 0o644)
	if _, err := Listen(path); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("Listen on a regular file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "x" {
		t.Error("the file was touched")
	}
}

func TestRender(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	code := 3
	st := &Status{Name: "shop", PID: 10, Started: start, Time: start.Add(90 * time.Minute), Rows: []Row{
		{Path: "shop/db", Kind: "process", State: "running", PID: 11, Uptime: 3700},
		{Path: "shop/jobs", Kind: "supervisor", State: "running", Uptime: 65},
		{Path: "shop/jobs/worker", Kind: "process", State: "backing_off", Restarts: 2, LastExit: "code 3", Code: &code, BackoffLeft: 0.4, Error: "process 9: exit status 3"},
		{Path: "shop/jobs/cron", Kind: "process", State: "running", PID: 13, Uptime: 0.25, Restarts: 1, LastExit: "signal SIGKILL", Signal: "SIGKILL"},
		{Path: "shop/jobs/mail", Kind: "process", State: "running", PID: 14, Uptime: 0.5, Restarts: 1, LastExit: "stopped", Signal: "SIGTERM"},
		{Path: "shop/gone", Kind: "process", State: "stopped", LastExit: "start_failed", Error: "process: start \"x\": no such file"},
	}}
	var b bytes.Buffer
	if err := Render(&b, []*Status{st}); err != nil {
		t.Fatal(err)
	}
	want := `PATH              STATE                PID  UPTIME  RESTARTS  LAST EXIT
shop              running              10   1h30m   -         -
shop/db           running              11   1h01m   0         -
shop/jobs         running              -    1m05s   0         -
shop/jobs/worker  backing_off (400ms)  -    -       2         code 3
shop/jobs/cron    running              13   250ms   1         signal SIGKILL
shop/jobs/mail    running              14   500ms   1         stopped
shop/gone         stopped              -    -       0         start_failed: process: start "x": no such file
`
	if b.String() != want {
		t.Errorf("Render:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestDefaultSocket(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/1000")
	if got := DefaultSocket("shop"); got != "/run/user/1000/supervise-shop.sock" {
		t.Errorf("DefaultSocket = %q", got)
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	want := filepath.Join(os.TempDir(), fmt.Sprintf("supervise-%d", os.Geteuid()), "supervise-shop.sock")
	if got := DefaultSocket("shop"); got != want {
		t.Errorf("DefaultSocket without XDG_RUNTIME_DIR = %q", got)
	}
}

// A process stopped on purpose reads "stopped", not the signal it got nor
// the 0 it exited with, in both the table and last_exit; its code or signal
// stays in its own field. Exit code 0 of a process that ended on its own
// reads "normal".
func TestProcessExit(t *testing.T) {
	three := 3
	for _, tc := range []struct {
		last   assemble.Exit
		want   string
		code   *int
		signal string
	}{
		{assemble.Exit{}, "normal", new(int), ""},
		{assemble.Exit{Stopped: true}, "stopped", new(int), ""},
		{assemble.Exit{Err: &process.ExitError{Pid: 9, Code: 3}}, "code 3", &three, ""},
		{assemble.Exit{Err: &process.ExitError{Pid: 9, Code: -1, Signaled: true, Signal: syscall.SIGKILL}}, "signal SIGKILL", nil, "SIGKILL"},
		{assemble.Exit{Err: &process.ExitError{Pid: 9, Code: -1, Signaled: true, Signal: syscall.SIGTERM, Stopped: true}}, "stopped", nil, "SIGTERM"},
		{assemble.Exit{Err: &process.ExitError{Pid: 9, Code: 143, Stopped: true}}, "stopped", new(143), ""},
		{assemble.Exit{Err: &process.ExitError{Pid: 9, Code: 143}, Stopped: true}, "stopped", new(143), ""},
		{assemble.Exit{Err: fmt.Errorf("wrapped: %w", &process.ExitError{Pid: 9, Code: -1, Signaled: true, Signal: syscall.SIGKILL, Stopped: true})}, "stopped", nil, "SIGKILL"},
	} {
		r := Row{LastExit: "error"}
		processExit(&r, tc.last, true)
		if r.LastExit != tc.want || r.Signal != tc.signal || (r.Code == nil) != (tc.code == nil) || (r.Code != nil && *r.Code != *tc.code) {
			t.Errorf("%+v: last_exit %q, code %v, signal %q; want %q, %v, %q", tc.last, r.LastExit, r.Code, r.Signal, tc.want, tc.code, tc.signal)
		}
		if got := lastExit(r); got != tc.want {
			t.Errorf("%+v: LAST EXIT %q, want %q", tc.last, got, tc.want)
		}
	}
	for _, stopped := range []bool{false, true} {
		r := Row{LastExit: "start_failed", Error: "no such file"}
		processExit(&r, assemble.Exit{Err: errors.New("no such file"), Stopped: stopped}, true)
		if got := lastExit(r); got != "start_failed: no such file" {
			t.Errorf("start failure (stopped %v): LAST EXIT %q", stopped, got)
		}
	}
}

// A STATUS column appears when a process sent STATUS= over its
// NOTIFY_SOCKET; a child stopped for failing its liveness check reads
// unhealthy.
func TestRenderNotifyStatus(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	st := &Status{Name: "r", PID: 10, Started: start, Time: start.Add(time.Minute), Rows: []Row{
		{Path: "r/web", Kind: "process", State: "running", PID: 11, Uptime: 5, Restarts: 1, LastExit: "unhealthy", Signal: "SIGTERM",
			Error: "unhealthy: tcp: connection refused", Status: "serving 3 clients"},
		{Path: "r/db", Kind: "process", State: "running", PID: 12, Uptime: 30},
	}}
	var b bytes.Buffer
	if err := Render(&b, []*Status{st}); err != nil {
		t.Fatal(err)
	}
	want := `PATH   STATE    PID  UPTIME  RESTARTS  LAST EXIT  STATUS
r      running  10   1m00s   -         -          -
r/web  running  11   5s      1         unhealthy  serving 3 clients
r/db   running  12   30s     0         -          -
`
	if b.String() != want {
		t.Errorf("Render:\n%s\nwant:\n%s", b.String(), want)
	}
}

// A child replaced in its place by a reload has a new engine that has not
// ended yet: its LAST EXIT is still the old run's, "code 4", not the
// generic "error" of the snapshot.
func TestRowOfReplacedChildKeepsItsExitCode(t *testing.T) {
	f, err := config.Parse("t.yaml", []byte("name: r\nchildren: [{name: w, command: [/bin/true]}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	tree := assemble.Build(f, assemble.Options{})
	c := supervisor.ChildStatus{Path: "r/w", State: supervisor.StateRunning, Restarts: 1, LastExit: supervisor.ExitFailed,
		LastErr: &process.ExitError{Pid: 9, Code: 4}, Engine: tree.Procs["r/w"]}
	r := row(c, time.Now())
	if r.LastExit != "code 4" || r.Code == nil || *r.Code != 4 {
		t.Errorf("row = last_exit %q, code %v; want code 4", r.LastExit, r.Code)
	}
}

// The root's row says what readiness says of the root: stopping during
// the drain, starting during the ordered start.
func TestRenderRootState(t *testing.T) {
	for _, want := range []string{"stopping", "starting"} {
		st := &Status{Name: "shop", PID: 10, Ready: &health.Report{NotReady: []health.Node{{Path: "shop", State: want}}}}
		var b bytes.Buffer
		if err := Render(&b, []*Status{st}); err != nil {
			t.Fatal(err)
		}
		if lines := strings.Split(b.String(), "\n"); len(lines) < 2 || !strings.HasPrefix(lines[1], "shop  "+want+" ") {
			t.Errorf("Render:\n%s\nwant the root's row to say %s", b.String(), want)
		}
	}
}
