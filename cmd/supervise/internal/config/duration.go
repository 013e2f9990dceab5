package config

import (
	"strconv"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// duration reads a non-negative duration in Go syntax (250ms, 1m30s);
// a bare 0 is zero.
func (d *decoder) duration(n ast.Node, key string) (time.Duration, bool) {
	v, _ := d.resolve(n, key)
	switch x := v.(type) {
	case nil:
		return 0, false
	case *ast.IntegerNode:
		if x.GetToken().Value == "0" {
			return 0, true
		}
		d.errorf(v, key, "found %s, expected a duration with a unit, such as %ss", describe(v), x.GetToken().Value)
		return 0, false
	case *ast.StringNode:
		dur, msg := parseDuration(x.Value)
		if msg != "" {
			d.errorf(v, key, "%s", msg)
			return 0, false
		}
		return dur, true
	}
	d.typeError(v, key, "a duration such as 250ms, 5s or 1m30s")
	return 0, false
}

// parseDuration parses s, or says what is wrong with it.
func parseDuration(s string) (time.Duration, string) {
	if _, err := strconv.ParseFloat(s, 64); err == nil && s != "0" {
		return 0, "found " + strconv.Quote(s) + ", expected a duration with a unit, such as " + s + "s"
	}
	dur, err := time.ParseDuration(s)
	if err != nil {
		return 0, "found " + strconv.Quote(s) + ", expected a duration such as 250ms, 5s or 1m30s"
	}
	if dur < 0 {
		return 0, "found " + strconv.Quote(s) + ", expected a duration of 0 or more"
	}
	return dur, ""
}
