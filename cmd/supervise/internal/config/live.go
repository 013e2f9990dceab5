package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/sdnotify"
)

// Live is a process's liveness probe (live:): exactly one of TCP, HTTP and
// Exec, run every Every once the process is ready (after Grace); Failures
// failures in a row make it unhealthy, and it is restarted by policy.
type Live struct {
	TCP      string        // host:port that accepts a connection
	HTTP     string        // http:// URL that answers 2xx or 3xx
	Exec     []string      // argv that exits 0
	Every    time.Duration // the interval; 10s by default
	Timeout  time.Duration // one attempt's bound; 1s by default
	Failures int           // consecutive failures that make it unhealthy; 3 by default
	Grace    time.Duration // no checks this long after ready; 0 by default

	Line, Column int // where live: starts
}

// Kind names the probe: "tcp", "http" or "exec".
func (l *Live) Kind() string {
	switch {
	case l.TCP != "":
		return "tcp"
	case l.HTTP != "":
		return "http"
	}
	return "exec"
}

// liveness reads live: and watchdog: of a process.
func (d *decoder) liveness(m *mapping, p *Process) {
	if e := m.get("watchdog"); e != nil {
		p.Watchdog = d.optDuration(m, "watchdog", 0, checkPositive)
		if !sdnotify.ServerSupported {
			d.errorf(e.val, e.key, "%s", noNotify)
		}
	}
	e := m.get("live")
	if e == nil {
		return
	}
	lm := d.mapping(e.val, e.key)
	if lm == nil {
		return
	}
	d.checkKeys(lm, liveKeys, nowhere)
	l := &Live{}
	l.Line, l.Column = pos(e.val)
	var set []string
	for _, k := range []string{"tcp", "http", "exec"} {
		if lm.get(k) != nil {
			set = append(set, k)
		}
	}
	if len(set) != 1 {
		found := "none"
		if len(set) > 1 {
			found = strings.Join(set, " and ")
		}
		d.errorf(e.val, e.key, "found %s, expected exactly one check kind of tcp, http and exec", found)
	}
	if te := lm.get("tcp"); te != nil {
		if s, ok := d.str(te.val, te.key); ok {
			l.TCP = s
			if msg := checkTCP(s); msg != "" {
				d.errorf(te.val, te.key, "%s", msg)
			}
		}
	}
	if he := lm.get("http"); he != nil {
		if s, ok := d.str(he.val, he.key); ok {
			l.HTTP = s
			if msg := checkHTTP(s); msg != "" {
				d.errorf(he.val, he.key, "%s", msg)
			}
		}
	}
	if xe := lm.get("exec"); xe != nil {
		l.Exec, _ = d.argv(xe.val, xe.key)
	}
	l.Every = d.optDuration(lm, "every", 10*time.Second, checkPositive)
	l.Timeout = d.optDuration(lm, "timeout", time.Second, checkPositive)
	l.Failures = d.optInt(lm, "failures", 3, checkFailures)
	l.Grace = d.optDuration(lm, "grace", 0, checkNonNegative)
	p.Live = l
}

// noNotify is the problem with notify and watchdog where supervise cannot
// receive sd_notify messages.
const noNotify = "sd_notify is not supported on this platform, expected it left out (supervise receives NOTIFY_SOCKET messages on Linux only)"

func checkFailures(n int) string {
	if n < 1 {
		return fmt.Sprintf("found %d, expected 1 or more consecutive failures", n)
	}
	return ""
}

// checkHTTP checks an http:// URL with a host.
func checkHTTP(s string) string {
	if strings.Contains(s, "${") {
		return "" // checked once expanded (see expansions)
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Sprintf("found %q, expected a URL such as http://127.0.0.1:8080/healthz (%v)", s, err)
	}
	if u.Scheme != "http" || u.Host == "" {
		return fmt.Sprintf("found %q, expected an http:// URL with a host, such as http://127.0.0.1:8080/healthz", s)
	}
	return ""
}
