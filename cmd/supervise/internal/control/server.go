package control

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"
)

// The server's limits: nothing a client does may cost more.
const (
	connTimeout    = 5 * time.Second // one request and its answer
	maxConns       = 64              // connections served at once
	maxRequest     = 64 << 10        // bytes of a request line
	maxAcceptDelay = time.Second     // the longest wait before retrying Accept
	slotWait       = time.Second     // how long a new connection may wait for a slot
)

// Server answers status requests on a listener. It never ends on its own
// but for a closed listener: a failing Accept (EMFILE, ...) is logged and
// retried with backoff, at most maxConns connections are served at once
// (when all are taken, the one that has waited longest for its request is
// closed to make room), each connection has connTimeout for its request
// and answer, and a request line longer than maxRequest is answered with
// an error and closed.
type Server struct {
	Status func(context.Context) Status // the answer to "status"
	// Control carries out a command that changes the tree (see Command);
	// nil refuses them.
	Control func(ctx context.Context, req Request, uid int) Reply
	Log     *slog.Logger // nil means no logs

	// Limits; zero means the constants above. Tests set them.
	maxConns   int
	maxRequest int
	timeout    time.Duration
}

// Serve answers requests on l until ctx ends, then closes l and waits for
// the connections it is serving. It returns nil after ctx ended, and an
// error when l was closed under it.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	var conns sync.WaitGroup
	defer conns.Wait()
	// l is closed, for good, before Serve returns: a caller may take the
	// path again at once. A Close that the end of ctx began on another
	// goroutine is waited for, as a second Close would return before the
	// descriptor is gone.
	closed := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { l.Close(); close(closed) })
	defer func() {
		if stop() {
			l.Close()
		} else {
			<-closed
		}
	}()
	sl := newSlots(orDefault(s.maxConns, maxConns))
	var delay time.Duration
	failures := 0
	for {
		c, err := l.Accept()
		switch {
		case ctx.Err() != nil:
			if c != nil {
				c.Close()
			}
			return nil
		case errors.Is(err, net.ErrClosed):
			return err
		case err != nil:
			// As net/http's Server.Serve: back off, from 5 ms to 1 s.
			delay = min(max(2*delay, 5*time.Millisecond), maxAcceptDelay)
			if failures++; failures == 1 {
				s.log().Warn("status server: accept failed; retrying with backoff", "event", "control_accept_failed", "error", err.Error())
			}
			if !sleep(ctx, delay) {
				return nil
			}
			continue
		}
		if failures > 0 {
			s.log().Info("status server: accept works again", "event", "control_accept_recovered", "failures", failures)
			failures, delay = 0, 0
		}
		w := sl.take(ctx, c)
		if w == nil {
			c.Close()
			continue
		}
		conns.Go(func() {
			defer sl.release(w)
			s.serveConn(ctx, w, sl)
		})
	}
}

func (s *Server) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// sleep waits d, or less when ctx ends first; it reports whether ctx is
// still alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// errTooLong answers a request line over the limit.
var errTooLong = errors.New("request too long")

func (s *Server) serveConn(ctx context.Context, w *waiter, sl *slots) {
	c := w.c
	defer c.Close()
	// A shutdown does not wait for idle clients.
	defer context.AfterFunc(ctx, func() { c.Close() })()
	defer func() {
		// A panic in Status must not end supervise.
		if v := recover(); v != nil {
			s.log().Error("status server: a request panicked", "event", "control_panic", "panic", fmt.Sprint(v))
		}
	}()
	timeout := orDefault(s.timeout, connTimeout)
	_ = c.SetDeadline(time.Now().Add(timeout))
	limit := orDefault(s.maxRequest, maxRequest)
	line, err := readLine(c, limit)
	sl.serving(w)
	var req Request
	var resp Status
	switch {
	case errors.Is(err, errTooLong):
		resp.Error = fmt.Sprintf("bad request: longer than %d bytes; expected one JSON object line", limit)
	case err != nil:
		return
	case json.Unmarshal(line, &req) != nil:
		resp.Error = "bad request: expected one JSON object line"
	case mutating(req.Cmd) && s.Control != nil:
		s.command(ctx, c, req)
		return
	case req.Cmd != "status":
		resp.Error = "unknown command " + quote(req.Cmd) + ", expected \"status\""
	default:
		sctx, cancel := context.WithTimeout(ctx, timeout)
		resp = s.Status(sctx)
		cancel()
	}
	_ = json.NewEncoder(c).Encode(resp)
}

// readLine reads one line of at most limit bytes, newline excluded,
// buffering no more than that.
func readLine(r io.Reader, limit int) ([]byte, error) {
	line, err := bufio.NewReaderSize(io.LimitReader(r, int64(limit)+1), 4096).ReadBytes('\n')
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		return line[:i], nil
	}
	if len(line) > limit {
		return nil, errTooLong
	}
	return nil, err // a line cut short: no answer
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// maxAnswer bounds what Query reads: the status of a tree of 100,000
// children is about 25 MB.
const maxAnswer = 256 << 20

// Query asks the supervise listening on socket for its status.
func Query(ctx context.Context, socket string) (*Status, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(connTimeout))
	if err := json.NewEncoder(c).Encode(Request{Cmd: "status"}); err != nil {
		return nil, err
	}
	var st Status
	if err := json.NewDecoder(io.LimitReader(c, maxAnswer)).Decode(&st); err != nil {
		return nil, err
	}
	if st.Error != "" {
		return nil, errors.New(st.Error)
	}
	return &st, nil
}
