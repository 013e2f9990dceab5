package assemble

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/supervisor"
)

// notifies reports whether a process child speaks sd_notify.
func notifies(c *config.Process) bool {
	return c.Watchdog > 0 || (c.Ready != nil && c.Ready.Notify)
}

// liveness maps live: and watchdog: onto the child's liveness: the
// watchdog is fed by WATCHDOG=1, the probe is the file's check.
func liveness(c *config.Process, p *Proc) supervisor.Liveness {
	l := supervisor.Liveness{Watchdog: c.Watchdog}
	lv := c.Live
	if lv == nil {
		return l
	}
	l.Name, l.Every, l.Timeout, l.Failures = lv.Kind(), lv.Every, lv.Timeout, lv.Failures
	l.Grace = lv.Grace
	switch {
	case lv.TCP != "":
		l.Probe = probeTCP(lv.TCP)
	case lv.HTTP != "":
		l.Probe = probeHTTP(lv.HTTP)
	default:
		l.Probe = p.inner.ProbeExec(lv.Exec)
	}
	return l
}

// probeTCP passes when addr accepts a connection.
func probeTCP(addr string) func(context.Context) error {
	return func(ctx context.Context) error {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return conn.Close()
	}
}

// probeHTTP passes on a 2xx or 3xx answer to a GET of url, on a fresh
// connection each time (a kept-alive one would not notice a dead accept
// loop); redirects are not followed.
func probeHTTP(url string) func(context.Context) error {
	client := &http.Client{
		Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode > 399 {
			return fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return nil
	}
}
