package control

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// inTempDir makes Dir() the private directory in a fresh $TMPDIR.
func inTempDir(t *testing.T) (tmp, dir string) {
	t.Helper()
	tmp = sockDir(t)
	t.Setenv("TMPDIR", tmp)
	t.Setenv("XDG_RUNTIME_DIR", "")
	return tmp, filepath.Join(tmp, fmt.Sprintf("supervise-%d", os.Geteuid()))
}

// Without XDG_RUNTIME_DIR, the default socket lives in a 0700 directory
// of the user's own in $TMPDIR; EnsureDir makes it, and refuses one that
// is not that, without following a symlink.
func TestEnsureDir(t *testing.T) {
	tmp, dir := inTempDir(t)
	if Dir() != dir {
		t.Fatalf("Dir() = %q; want %q", Dir(), dir)
	}
	if err := EnsureDir(); err != nil {
		t.Fatalf("EnsureDir = %v", err)
	}
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Fatalf("%s: %v, %v; want a 0700 directory", dir, fi, err)
	}
	if err := EnsureDir(); err != nil {
		t.Errorf("EnsureDir on its own directory = %v", err)
	}

	for _, tt := range []struct {
		name string
		make func() error
		want string
	}{
		{"symlink", func() error {
			other := filepath.Join(tmp, "elsewhere")
			if err := os.Mkdir(other, 0o700); err != nil {
				return err
			}
			return os.Symlink(other, dir)
		}, "is a symlink"},
		{"file", func() error { return os.WriteFile(dir, nil, 0o600) }, "is not a directory"},
		{"mode", func() error {
			if err := os.Mkdir(dir, 0o700); err != nil {
				return err
			}
			return os.Chmod(dir, 0o777)
		}, "has mode 0777, want 0700"},
		{"owner", func() error {
			if os.Geteuid() != 0 {
				t.Skip("needs root to give a directory away")
			}
			if err := os.Mkdir(dir, 0o700); err != nil {
				return err
			}
			return os.Chown(dir, 4242, 4242)
		}, "owned by uid 4242, not by you (uid 0)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.RemoveAll(dir)
			os.RemoveAll(filepath.Join(tmp, "elsewhere"))
			if err := tt.make(); err != nil {
				t.Fatal(err)
			}
			err := EnsureDir()
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "pass --socket") {
				t.Errorf("EnsureDir = %v; want it to refuse: %s", err, tt.want)
			}
		})
	}
}

// Discovery asks sockets of the user's and root's only, and says what it
// skipped.
func TestDefaultSocketsTrustsOnlyOwnAndRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make sockets of another user")
	}
	_, dir := inTempDir(t)
	if err := EnsureDir(); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(dir, "supervise-mine.sock")
	theirs := filepath.Join(dir, "supervise-theirs.sock")
	link := filepath.Join(dir, "supervise-link.sock")
	for _, p := range []string{mine, theirs} {
		l, err := Listen(p)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
	}
	if err := os.Lchown(theirs, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(mine, link); err != nil {
		t.Fatal(err)
	}
	trusted, skip := DefaultSockets()
	if len(trusted) != 1 || trusted[0] != mine {
		t.Errorf("trusted %q; want only %q", trusted, mine)
	}
	why := map[string]string{}
	for _, s := range skip {
		why[s.path] = s.why
	}
	if !strings.Contains(why[theirs], "owned by uid 4242") || why[link] != "not a socket" || len(skip) != 2 {
		t.Errorf("skipped %v; want %s (owned by uid 4242) and %s (not a socket)", skip, theirs, link)
	}
}

// `supervise status` skips a planted socket, saying so on stderr, and
// prints only the trees it trusts.
func TestStatusSkipsForeignSocket(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make sockets of another user")
	}
	_, dir := inTempDir(t)
	if err := EnsureDir(); err != nil {
		t.Fatal(err)
	}
	stop := serveStatus(t, filepath.Join(dir, "supervise-shop.sock"), Status{Name: "shop", PID: 1})
	defer stop()
	fake := filepath.Join(dir, "supervise-fake.sock")
	stopFake := serveStatus(t, fake, Status{Name: "fake", PID: 2})
	defer stopFake()
	if err := os.Lchown(fake, 4242, 4242); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := StatusMain(nil, &out, &errOut); code != 0 {
		t.Fatalf("status = %d; stderr %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "shop") || strings.Contains(out.String(), "fake") {
		t.Errorf("status printed:\n%s\nwant shop and not fake", out.String())
	}
	if want := "supervise status: skipping " + fake + ": owned by uid 4242"; !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr %q; want %q", errOut.String(), want)
	}
}

// serveStatus answers st on a new socket at path.
func serveStatus(t *testing.T, path string, st Status) (stop func()) {
	t.Helper()
	l, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	return serveOn(l, st)
}

func serveOn(l net.Listener, st Status) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	srv := Server{Status: func(context.Context) Status { return st }}
	go func() { defer close(done); _ = srv.Serve(ctx, l) }()
	return func() { cancel(); <-done }
}

// hostile is what a planted socket might answer: escape sequences that
// retitle the terminal, clear it, or hide text, in every field shown.
var hostile = Status{Name: "evil\x1b]0;pwned\a", PID: 3, Rows: []Row{{
	Path: "evil/\x1b[2Jchild\ttab", Kind: "process", State: "running\x1b[8m", LastExit: "code 1\u009b31m",
	Error: "boom\r\u202edesrever", Restarts: 1,
}}}

// Whatever a socket answers reaches the terminal with its control
// characters escaped, in the table, in JSON and in error messages.
func TestStatusEscapesControlCharacters(t *testing.T) {
	path := filepath.Join(sockDir(t), "s.sock")
	stop := serveStatus(t, path, hostile)
	for _, args := range [][]string{{"--socket", path}, {"--socket", path, "--json"}} {
		var out, errOut bytes.Buffer
		if code := StatusMain(args, &out, &errOut); code != 0 {
			t.Fatalf("status %q = %d; stderr %s", args, code, errOut.String())
		}
		if r, ok := unsafeIn(out.String()); ok {
			t.Errorf("status %q printed the raw control character %U:\n%q", args, r, out.String())
		}
		if !strings.Contains(out.String(), `evil\x1b]0;pwned\a`) && !strings.Contains(out.String(), `evil\u001b]0;pwned\u0007`) {
			t.Errorf("status %q: the name is not there, escaped:\n%s", args, out.String())
		}
	}
	stop()

	// An error answer is printed escaped too.
	l, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	stop = serveOn(l, Status{Error: "no\x1b[2J"})
	defer stop()
	var out, errOut bytes.Buffer
	if code := StatusMain([]string{"--socket", path}, &out, &errOut); code != 1 {
		t.Errorf("status on an error answer = %d; want 1", code)
	}
	if r, ok := unsafeIn(errOut.String()); ok || !strings.Contains(errOut.String(), `no\x1b[2J`) {
		t.Errorf("stderr %q (raw %U); want the error escaped", errOut.String(), r)
	}
}

// unsafeIn finds a control character other than a line's end, or a bidi
// override.
func unsafeIn(s string) (rune, bool) {
	for _, r := range s {
		if r != '\n' && (unicode.IsControl(r) || r == '\u202e') {
			return r, true
		}
	}
	return 0, false
}

func TestEscape(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain/path", "plain/path"},
		{"tab\there", `tab\there`},
		{"\x1b[31mred", `\x1b[31mred`},
		{"c1\u009b", `c1\u009b`},
		{"del\x7f", `del\x7f`},
		{"bidi\u202e", `bidi\u202e`},
		{"héllo ünïcode", "héllo ünïcode"},
	} {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	if got, want := string(escapeJSON([]byte("{\"a\":\"x\u009by\u202e\"}\n"))), "{\"a\":\"x\\u009by\\u202e\"}\n"; got != want {
		t.Errorf("escapeJSON = %q; want %q", got, want)
	}
}

// A stale socket, left by a supervise that was SIGKILLed, is skipped by
// the commands as by status: with one live supervise beside it, restart
// picks the live one; with only the stale one, the message is status's.
func TestCommandsSkipStaleSocket(t *testing.T) {
	_, dir := inTempDir(t)
	if err := EnsureDir(); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "supervise-dead.sock")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: stale, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()
	var errOut bytes.Buffer
	if _, ok := pickSocket("", "restart", &errOut); ok {
		t.Fatal("pickSocket found a supervise with only a stale socket")
	}
	want := "supervise restart: no running supervise found in " + dir
	if got := errOut.String(); !strings.Contains(got, want) || !strings.Contains(got, "skipping "+stale+": no supervise answers on it") {
		t.Errorf("stderr %q; want it to skip %s and say %q", got, stale, want)
	}
	live := filepath.Join(dir, "supervise-shop.sock")
	stop := serveStatus(t, live, Status{Name: "shop", PID: 1})
	defer stop()
	errOut.Reset()
	if got, ok := pickSocket("", "restart", &errOut); !ok || got != live {
		t.Errorf("pickSocket = %q, %v (stderr %q); want %s", got, ok, errOut.String(), live)
	}
}
