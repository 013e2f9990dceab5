package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/sdnotify"
)

// backoff reads the backoff: of m, its missing fields taken from base.
// It returns base if the result is not valid.
func (d *decoder) backoff(m *mapping, base Backoff) Backoff {
	e := m.get("backoff")
	if e == nil {
		return base
	}
	bm := d.mapping(e.val, e.key)
	if bm == nil {
		return base
	}
	d.checkKeys(bm, backoffKeys, nowhere)
	b := Backoff{
		Initial:    d.optDuration(bm, "initial", base.Initial, nil),
		Max:        d.optDuration(bm, "max", base.Max, nil),
		Multiplier: d.optNumber(bm, "multiplier", base.Multiplier, nil),
		Jitter:     d.optNumber(bm, "jitter", base.Jitter, nil),
		ResetAfter: d.optDuration(bm, "reset_after", base.ResetAfter, nil),
	}
	bad := checkBackoff(b)
	for _, fm := range bad {
		at := e
		for _, f := range strings.Split(fm.field, ",") {
			if fe := bm.get(f); fe != nil {
				at = fe
				break
			}
		}
		d.errorf(at.val, at.key, "%s", fm.msg)
	}
	if len(bad) > 0 {
		return base
	}
	return b
}

// readiness reads start_timeout: and ready: of a process.
func (d *decoder) readiness(m *mapping) (time.Duration, *Ready) {
	timeout := d.optDuration(m, "start_timeout", libDefaults.StartTimeout, checkPositive)
	e := m.get("ready")
	if e == nil {
		return timeout, nil
	}
	rm := d.mapping(e.val, e.key)
	if rm == nil {
		return timeout, nil
	}
	d.checkKeys(rm, readyKeys, nowhere)
	r := d.readyCheck(rm, e)
	if te := rm.get("timeout"); te != nil {
		rt := d.optDuration(rm, "timeout", timeout, checkPositive)
		if st := m.get("start_timeout"); st != nil && rt != timeout {
			d.errorf(te.val, te.key, "found %s, but start_timeout is %s, expected one of them or both equal", rt, timeout)
		}
		timeout = rt
	}
	r.Timeout = timeout
	return timeout, r
}

// readyCheck reads the one check of a ready: mapping.
func (d *decoder) readyCheck(rm *mapping, at *entry) *Ready {
	var set []string
	for _, k := range []string{"tcp", "log", "exec", "exit", "notify"} {
		if rm.get(k) != nil {
			set = append(set, k)
		}
	}
	if len(set) != 1 {
		found := "none"
		if len(set) > 1 {
			found = strings.Join(set, " and ")
		}
		d.errorf(at.val, at.key, "found %s, expected exactly one of tcp, log, exec, exit and notify", found)
	}
	r := &Ready{}
	if e := rm.get("tcp"); e != nil {
		if s, ok := d.str(e.val, e.key); ok {
			r.TCP = s
			if msg := checkTCP(s); msg != "" {
				d.errorf(e.val, e.key, "%s", msg)
			}
		}
	}
	if e := rm.get("log"); e != nil {
		r.Log = d.regexp(e)
	}
	if e := rm.get("exec"); e != nil {
		r.Exec, _ = d.argv(e.val, e.key)
	}
	if e := rm.get("notify"); e != nil {
		if on, ok := d.boolean(e.val, e.key); ok {
			r.Notify = on
			switch {
			case !on:
				d.errorf(e.val, e.key, "found false, expected true (or no notify key)")
			case !sdnotify.ServerSupported:
				d.errorf(e.val, e.key, "%s", noNotify)
			}
		}
	}
	if e := rm.get("exit"); e != nil {
		if code, ok := d.integer(e.val, e.key); ok {
			r.Exit = true
			if code != 0 {
				d.errorf(e.val, e.key, "found %d, expected 0: a one-shot step is done when it exits 0, and any other exit is a start failure", code)
			}
		}
	}
	return r
}

// regexp reads and compiles a regular expression.
func (d *decoder) regexp(e *entry) *regexp.Regexp {
	s, ok := d.str(e.val, e.key)
	if !ok {
		return nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		d.errorf(e.val, e.key, "found %q, expected a regular expression (%v)", s, err)
	}
	return re
}

// env reads a mapping of environment variables; nil if it is empty.
func (d *decoder) env(e *entry) map[string]string {
	m := d.mapping(e.val, e.key)
	if m == nil || len(m.entries) == 0 {
		return nil
	}
	env := make(map[string]string, len(m.entries))
	for _, v := range m.entries {
		if v.name == "" || strings.ContainsAny(v.name, "=\x00") {
			d.errorf(v.at, v.key, "found the variable name %q, expected a name without = or NUL", v.name)
		}
		s, ok := d.text(v.val, v.key)
		if ok && strings.ContainsRune(s, 0) {
			d.errorf(v.val, v.key, "%s", fmt.Sprintf("found a NUL byte in %q, expected none", s))
		}
		env[v.name] = s
	}
	return env
}
