package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// pipeListener is a net.Listener over net.Pipe, for synctest: its Accept
// fails with fails[i] first, then hands out the server ends of dial.
type pipeListener struct {
	mu    sync.Mutex
	fails []error
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeListener(fails ...error) *pipeListener {
	return &pipeListener{fails: fails, conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if len(l.fails) > 0 {
		err := l.fails[0]
		l.fails = l.fails[1:]
		l.mu.Unlock()
		return nil, err
	}
	l.mu.Unlock()
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l *pipeListener) Addr() net.Addr { return &net.UnixAddr{Name: "pipe", Net: "unix"} }

func (l *pipeListener) dial() net.Conn {
	client, server := net.Pipe()
	l.conns <- server
	return client
}

func shopStatus(context.Context) Status { return Status{Name: "shop", PID: 42} }

// ask sends a status request on c and decodes the answer.
func ask(t *testing.T, c net.Conn) Status {
	t.Helper()
	defer c.Close()
	go func() { _, _ = c.Write([]byte(`{"cmd":"status"}` + "\n")) }()
	var st Status
	if err := json.NewDecoder(c).Decode(&st); err != nil {
		t.Fatalf("answer: %v", err)
	}
	return st
}

// An Accept that fails (EMFILE: out of file descriptors) is retried with
// growing backoff, logged once and once more when it works again; the
// server goes on answering.
func TestServeRetriesAcceptErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		emfile := &net.OpError{Op: "accept", Net: "unix", Err: syscall.EMFILE}
		l := newPipeListener(emfile, emfile, emfile, emfile, emfile)
		var logs bytes.Buffer
		srv := Server{Status: shopStatus, Log: slog.New(slog.NewJSONHandler(&logs, nil))}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- srv.Serve(ctx, l) }()
		c := l.dial()
		// 5 + 10 + 20 + 40 + 80 ms of backoff before the sixth Accept.
		if waited, want := time.Since(start), 155*time.Millisecond; waited != want {
			t.Errorf("accepted after %v; want %v", waited, want)
		}
		if st := ask(t, c); st.Name != "shop" {
			t.Errorf("answer %+v; want shop's status", st)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve = %v; want nil", err)
		}
		if n := strings.Count(logs.String(), `"event":"control_accept_failed"`); n != 1 {
			t.Errorf("%d control_accept_failed records; want 1:\n%s", n, logs.String())
		}
		if !strings.Contains(logs.String(), `"event":"control_accept_recovered","failures":5`) {
			t.Errorf("no control_accept_recovered record with failures 5:\n%s", logs.String())
		}
	})
}

// The backoff stops growing at maxAcceptDelay.
func TestServeAcceptBackoffIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fails := make([]error, 12)
		for i := range fails {
			fails[i] = errors.New("accept: too many open files")
		}
		l := newPipeListener(fails...)
		srv := Server{Status: shopStatus}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- srv.Serve(ctx, l) }()
		c := l.dial()
		// 5 ms doubling to 640 ms (1,275 ms in 8 waits), then 4 s at the cap.
		if waited, want := time.Since(start), 1275*time.Millisecond+4*maxAcceptDelay; waited != want {
			t.Errorf("accepted after %v; want %v", waited, want)
		}
		ask(t, c)
		cancel()
		<-done
	})
}

// A connection that sends nothing is closed after connTimeout; one that
// never reads its answer cannot hold the server either.
func TestServeIdleConnectionTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newPipeListener()
		srv := Server{Status: shopStatus}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ctx, l) }()
		c := l.dial()
		start := time.Now()
		if _, err := c.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("read on an idle connection: %v; want EOF", err)
		}
		if waited := time.Since(start); waited != connTimeout {
			t.Errorf("closed after %v; want %v", waited, connTimeout)
		}
		c.Close()
		cancel()
		<-done
	})
}

// More idle connections than the server serves at once (1,100, more than
// a default ulimit -n of 1,024) neither end Serve nor keep a status request
// from being answered: the oldest idle ones are closed to make room.
func TestServeManyIdleConnectionsDoNotBlockStatus(t *testing.T) {
	path := filepath.Join(sockDir(t), "s.sock")
	l, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := Server{Status: shopStatus}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()
	const idle = 1100
	conns := make([]net.Conn, 0, idle)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range idle {
		c, err := net.Dial("unix", path)
		if err != nil {
			t.Fatalf("dial %d: %v", len(conns), err)
		}
		conns = append(conns, c)
	}
	st, err := Query(context.Background(), path)
	if err != nil || st.Name != "shop" {
		t.Fatalf("Query with %d idle connections = %+v, %v; want shop's status", idle, st, err)
	}
	// The server holds at most maxConns of them; it closed the others.
	deadline := time.Now().Add(200 * time.Millisecond)
	open := 0
	for _, c := range conns {
		c.SetReadDeadline(deadline)
		if _, err := c.Read(make([]byte, 1)); errors.Is(err, syscall.ETIMEDOUT) || errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			open++
		}
	}
	if open > maxConns {
		t.Errorf("%d idle connections still open; want at most %d", open, maxConns)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve = %v; want nil", err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// A 100 MB request line is refused with an error answer after at most
// maxRequest bytes: the server never buffers more than that.
func TestServeRefusesLongRequest(t *testing.T) {
	path := filepath.Join(sockDir(t), "s.sock")
	l, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := Server{Status: shopStatus}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	wrote := make(chan int64, 1)
	go func() {
		var n int64
		for n < 100<<20 {
			m, err := c.Write(chunk)
			n += int64(m)
			if err != nil {
				break // the server closed the connection
			}
		}
		wrote <- n
	}()
	answer, _ := io.ReadAll(c)
	c.Close()
	<-wrote
	runtime.ReadMemStats(&after)
	if !strings.Contains(string(answer), "longer than 65536 bytes") {
		t.Errorf("answer %q; want the request refused as too long", answer)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("serving a 100 MB line allocated %d bytes", alloc)
	if alloc > 4<<20 {
		t.Errorf("serving a 100 MB line allocated %d bytes; want under 4 MiB", alloc)
	}
	if st, err := Query(context.Background(), path); err != nil || st.Name != "shop" {
		t.Errorf("Query after the long line = %+v, %v", st, err)
	}
	cancel()
	<-done
}

// A request at the limit is still read; one byte more is not.
func TestReadLine(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    string
		wantErr error
	}{
		{"abc\n", "abc", nil},
		{"abcd\n", "abcd", nil},
		{"abcde\n", "", errTooLong},
		{"abc", "", io.EOF},
		{"", "", io.EOF},
	} {
		got, err := readLine(strings.NewReader(tt.in), 4)
		if string(got) != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("readLine(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// A Status that panics closes its connection and is logged; the server
// answers the next request.
func TestServeSurvivesPanickingStatus(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newPipeListener()
		var logs bytes.Buffer
		first := true
		srv := Server{Log: slog.New(slog.NewJSONHandler(&logs, nil)), Status: func(ctx context.Context) Status {
			if first {
				first = false
				panic("boom")
			}
			return shopStatus(ctx)
		}}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ctx, l) }()
		c := l.dial()
		go func() { _, _ = c.Write([]byte(`{"cmd":"status"}` + "\n")) }()
		if _, err := c.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("read after a panic: %v; want EOF", err)
		}
		c.Close()
		if st := ask(t, l.dial()); st.Name != "shop" {
			t.Errorf("answer after a panic: %+v", st)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve = %v; want nil", err)
		}
		if !strings.Contains(logs.String(), `"event":"control_panic","panic":"boom"`) {
			t.Errorf("no control_panic record:\n%s", logs.String())
		}
	})
}

// A closed listener is the one error Serve returns.
func TestServeReturnsWhenListenerClosed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newPipeListener()
		srv := Server{Status: shopStatus}
		done := make(chan error, 1)
		go func() { done <- srv.Serve(context.Background(), l) }()
		synctest.Wait()
		l.Close()
		if err := <-done; !errors.Is(err, net.ErrClosed) {
			t.Errorf("Serve = %v; want net.ErrClosed", err)
		}
	})
}
