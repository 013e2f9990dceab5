package simulate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

// varyKeys are the settings --vary can change.
var varyKeys = []string{"intensity", "period", "strategy", "backoff.initial", "backoff.max",
	"backoff.multiplier", "backoff.jitter", "backoff.reset_after", "shutdown"}

// vary is a parsed --vary flag: one key and its values, each checked.
type vary struct {
	key    string
	values []string
}

func parseVary(s string) (*vary, error) {
	key, list, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !ok || list == "" {
		return nil, fmt.Errorf("--vary %s: expected key=value1,value2,..., such as backoff.max=10s,1m,5m", s)
	}
	if !slices.Contains(varyKeys, key) {
		return nil, fmt.Errorf("--vary %s: unknown key %q%s, expected one of %s", s, key, config.DidYouMean(key, varyKeys), strings.Join(varyKeys, ", "))
	}
	v := &vary{key: key}
	for _, val := range strings.Split(list, ",") {
		val = strings.TrimSpace(val)
		if err := checkVaryValue(key, val); err != nil {
			return nil, fmt.Errorf("--vary %s: %v", s, err)
		}
		v.values = append(v.values, val)
	}
	return v, nil
}

func checkVaryValue(key, val string) error {
	switch key {
	case "intensity":
		if n, err := strconv.Atoi(val); err != nil || n < 0 {
			return fmt.Errorf("found %q, expected a number of restarts, 0 or more", val)
		}
	case "strategy":
		if _, ok := config.Strategy(val).Policy(); !ok {
			return fmt.Errorf("found %q, expected one_for_one, one_for_all or rest_for_one", val)
		}
	case "backoff.multiplier", "backoff.jitter":
		if _, err := strconv.ParseFloat(val, 64); err != nil {
			return fmt.Errorf("found %q, expected a number", val)
		}
	default:
		d, err := time.ParseDuration(val)
		if err != nil || d < 0 {
			return fmt.Errorf("found %q, expected a duration of 0 or more, such as 10s or 1m", val)
		}
	}
	return nil
}

// apply sets key to val on the root of f and passes it down to every
// group and process that inherited the root's value, as the file itself
// does: a backoff field or the shutdown equal to the parent's was
// inherited. (An explicit setting equal to its parent's is taken as
// inherited too: the resolved file cannot tell them apart.) Intensity,
// period and strategy are not inherited in a file and apply to the root
// only. It then validates f.
func apply(f *config.File, key, val string) error {
	root := f.Root
	switch key {
	case "intensity":
		root.Intensity, _ = strconv.Atoi(val)
	case "period":
		root.Period, _ = time.ParseDuration(val)
	case "strategy":
		root.Strategy = config.Strategy(val)
	case "shutdown":
		d, _ := time.ParseDuration(val)
		inheritDuration(root, d, func(c config.Child) *time.Duration {
			if p, ok := c.(*config.Process); ok {
				return &p.Shutdown
			}
			return &c.(*config.Group).Shutdown
		})
	case "backoff.multiplier", "backoff.jitter":
		x, _ := strconv.ParseFloat(val, 64)
		inheritFloat(root, x, func(b *config.Backoff) *float64 {
			if key == "backoff.jitter" {
				return &b.Jitter
			}
			return &b.Multiplier
		})
	default:
		d, _ := time.ParseDuration(val)
		inheritDuration(root, d, func(c config.Child) *time.Duration {
			b := backoffOf(c)
			switch key {
			case "backoff.initial":
				return &b.Initial
			case "backoff.max":
				return &b.Max
			}
			return &b.ResetAfter
		})
	}
	return f.Validate()
}

func backoffOf(c config.Child) *config.Backoff {
	if p, ok := c.(*config.Process); ok {
		return &p.Backoff
	}
	return &c.(*config.Group).Backoff
}

func inheritDuration(root *config.Group, v time.Duration, field func(config.Child) *time.Duration) {
	inherit(root, v, field)
}

func inheritFloat(root *config.Group, v float64, field func(*config.Backoff) *float64) {
	inherit(root, v, func(c config.Child) *float64 { return field(backoffOf(c)) })
}

// inherit sets the field of g to v, and of every descendant whose value
// equals its parent's old one.
func inherit[T comparable](g *config.Group, v T, field func(config.Child) *T) {
	p := field(g)
	old := *p
	*p = v
	for _, c := range g.Children {
		f := field(c)
		if *f != old {
			continue
		}
		if sub, ok := c.(*config.Group); ok {
			inherit(sub, v, field)
		} else {
			*f = v
		}
	}
}
