package httpengine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// errNotServing is a probe's error before a run has bound its listener.
var errNotServing = errors.New("httpengine: not serving")

// Probe returns a liveness probe of the engine's own server, for
// supervisor.Liveness.Probe: a plain-HTTP GET of path on the address the
// current run listens on (loopback for an unspecified address), over a
// new connection each time, so that a server whose accept loop died fails
// it as well as one whose handler answers 4xx or 5xx. It passes on a 2xx or
// 3xx answer (redirects are not followed). A server behind TLS needs a
// probe of its own.
func (e *Engine) Probe(path string) func(ctx context.Context) error {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	client := &http.Client{
		Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return func(ctx context.Context) error {
		addr := e.Addr()
		if addr == nil {
			return errNotServing
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+probeHost(addr)+path, nil)
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
			return fmt.Errorf("httpengine: GET %s: %s", path, resp.Status)
		}
		return nil
	}
}

// probeHost turns a listener's address into one to dial: an unspecified
// host (":8080", "[::]:8080") is reached on loopback.
func probeHost(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
		if ip != nil && ip.To4() == nil {
			host = "::1"
		}
	}
	return net.JoinHostPort(host, port)
}
