package control

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A command reaches Control with the peer's uid, read from the socket; a
// peer that is not a unix socket (whose uid is unknown) is refused before
// Control is called.
func TestCommandPeerUID(t *testing.T) {
	if g := runtime.GOOS; g != "linux" && g != "darwin" && g != "freebsd" {
		t.Skip("the peer uid is read on Linux, macOS and FreeBSD only")
	}
	sock := filepath.Join(t.TempDir(), "s.sock")
	l, err := Listen(sock)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan Request, 1)
	uids := make(chan int, 1)
	srv := Server{Status: func(context.Context) Status { return Status{} },
		Control: func(_ context.Context, req Request, uid int) Reply {
			got <- req
			uids <- uid
			return Reply{Lines: []string{"done"}}
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()
	defer func() { cancel(); <-done }()
	rep, err := Command(ctx, sock, Request{Cmd: CmdRestart, Paths: []string{"r/a"}})
	if err != nil || len(rep.Lines) != 1 || rep.Error != "" {
		t.Fatalf("Command = %+v, %v; want lines [done]", rep, err)
	}
	if req, uid := <-got, <-uids; req.Cmd != CmdRestart || req.Paths[0] != "r/a" || uid != os.Getuid() {
		t.Errorf("Control got %+v from uid %d; want restart r/a from uid %d", req, uid, os.Getuid())
	}

	a := newPipeListener()
	srv2 := Server{Status: srv.Status, Control: func(context.Context, Request, int) Reply {
		t.Error("Control called for a peer of unknown uid")
		return Reply{}
	}}
	ctx2, cancel2 := context.WithCancel(context.Background())
	done2 := make(chan error, 1)
	go func() { done2 <- srv2.Serve(ctx2, a) }()
	defer func() { cancel2(); <-done2 }()
	c := a.dial()
	defer c.Close()
	if _, err := c.Write([]byte(`{"cmd":"stop","paths":["r/a"]}` + "\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	n, _ := c.Read(buf)
	if want := "refused: cannot tell who asks"; !strings.Contains(string(buf[:n]), want) {
		t.Errorf("answer %q; want it to say %q", buf[:n], want)
	}
}
