package assemble

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
	"github.com/arborgo/arbor/engine/process"
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
		l.Probe = expanding(c, lv.TCP, probeTCP)
	case lv.HTTP != "":
		l.Probe = expanding(c, lv.HTTP, probeHTTP)
	default:
		l.Probe = p.inner.ProbeExec(lv.Exec)
	}
	return l
}

// expanding returns probe(s), or, when s has a ${VAR} to expand, a probe
// that expands it at each probe, as a start expands the command: from
// supervise's environment and the process's env files as they are then.
func expanding(c *config.Process, s string, probe func(string) func(context.Context) error) func(context.Context) error {
	if c.Verbatim || !strings.Contains(s, "${") {
		return probe(s)
	}
	var (
		mu     sync.Mutex
		last   string // the expansion the probe was made for
		cached func(context.Context) error
	)
	return func(ctx context.Context) error {
		var files []string
		for _, path := range c.EnvFiles {
			env, err := process.ReadEnvFile(path)
			if err != nil {
				return err
			}
			files = append(files, env...)
		}
		x, err := process.ExpandEnv(s, files)
		if err != nil {
			return err
		}
		// The probe (an HTTP client, for http) is made again only when
		// the expansion changed, not at every probe.
		mu.Lock()
		if cached == nil || x != last {
			last, cached = x, probe(x)
		}
		p := cached
		mu.Unlock()
		return p(ctx)
	}
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
