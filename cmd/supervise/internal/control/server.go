package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"sync"
	"time"
)

// connTimeout bounds one request and its answer.
const connTimeout = 5 * time.Second

// Serve answers requests on l with status() until ctx ends, then closes l
// and waits for the connections it is serving. It returns nil after ctx
// ended and the error of Accept otherwise.
func Serve(ctx context.Context, l net.Listener, status func(context.Context) Status) error {
	var conns sync.WaitGroup
	defer conns.Wait()
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	for {
		c, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			l.Close()
			return err
		}
		conns.Go(func() { serveConn(ctx, c, status) })
	}
}

func serveConn(ctx context.Context, c net.Conn, status func(context.Context) Status) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(connTimeout))
	var req Request
	var resp Status
	line, err := bufio.NewReader(c).ReadBytes('\n')
	switch {
	case err != nil:
		return
	case json.Unmarshal(line, &req) != nil:
		resp.Error = "bad request: expected one JSON object line"
	case req.Cmd != "status":
		resp.Error = "unknown command " + quote(req.Cmd) + ", expected \"status\""
	default:
		sctx, cancel := context.WithTimeout(ctx, connTimeout)
		resp = status(sctx)
		cancel()
	}
	_ = json.NewEncoder(c).Encode(resp)
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

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
	if err := json.NewDecoder(c).Decode(&st); err != nil {
		return nil, err
	}
	if st.Error != "" {
		return nil, errors.New(st.Error)
	}
	return &st, nil
}
