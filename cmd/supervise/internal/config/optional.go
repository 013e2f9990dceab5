package config

import "time"

// The opt functions read an optional key of m: def when it is absent or
// wrong, and check, if not nil, says what is wrong with a value read.

func (d *decoder) optDuration(m *mapping, name string, def time.Duration, check func(time.Duration) string) time.Duration {
	e := m.get(name)
	if e == nil {
		return def
	}
	v, ok := d.duration(e.val, e.key)
	return checked(d, e, v, def, ok, check)
}

func (d *decoder) optInt(m *mapping, name string, def int, check func(int) string) int {
	e := m.get(name)
	if e == nil {
		return def
	}
	v, ok := d.integer(e.val, e.key)
	return checked(d, e, v, def, ok, check)
}

func (d *decoder) optNumber(m *mapping, name string, def float64, check func(float64) string) float64 {
	e := m.get(name)
	if e == nil {
		return def
	}
	v, ok := d.number(e.val, e.key)
	return checked(d, e, v, def, ok, check)
}

func (d *decoder) optBool(m *mapping, name string, def bool) bool {
	e := m.get(name)
	if e == nil {
		return def
	}
	v, ok := d.boolean(e.val, e.key)
	return checked(d, e, v, def, ok, nil)
}

func (d *decoder) optEnum(m *mapping, name, noun string, choices []string, def string) string {
	e := m.get(name)
	if e == nil {
		return def
	}
	v, ok := d.enum(e.val, e.key, noun, choices)
	return checked(d, e, v, def, ok, nil)
}

// checked returns v if it was read and passes check, else def.
func checked[T any](d *decoder, e *entry, v, def T, ok bool, check func(T) string) T {
	if !ok {
		return def
	}
	if check != nil {
		if msg := check(v); msg != "" {
			d.errorf(e.val, e.key, "%s", msg)
			return def
		}
	}
	return v
}
