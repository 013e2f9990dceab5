package config

import (
	"strconv"
)

// exitCodes reads exit_codes:, a mapping of exit codes to exit codes.
func (d *decoder) exitCodes(e *entry) map[int]int {
	m := d.mapping(e.val, e.key)
	if m == nil {
		return nil
	}
	codes := make(map[int]int, len(m.entries))
	for _, v := range m.entries {
		from, err := strconv.Atoi(v.name)
		if err != nil || from < 1 || from > 255 {
			d.errorf(v.at, v.key, "found %q, expected an exit code from 1 to 255 (0 is always 0)", v.name)
			continue
		}
		to, ok := d.integer(v.val, v.key)
		if !ok {
			continue
		}
		if to < 0 || to > 255 {
			d.errorf(v.val, v.key, "found %d, expected an exit code from 0 to 255", to)
			continue
		}
		codes[from] = to
	}
	return codes
}
