package config

import (
	"slices"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// LoadFaults reads a faults file and sets the fault model of each
// process it names in f, replacing any given under simulate. See
// ParseFaults.
func LoadFaults(path string, f *File) error {
	data, err := ReadFile(path)
	if err != nil {
		return err
	}
	return ParseFaults(path, data, f)
}

// ParseFaults reads a faults file from data, named name in messages,
// shaped as
//
//	faults:
//	  shop/db: {start: 50ms, mtbf: 10m}
//	  shop/jobs/worker: {fail_at: [30s]}
//
// with each key the Path of a process of f and each value shaped as its
// simulate: mapping. On success it sets the Faults of each process named;
// on any problem it returns an *Error and changes nothing.
func ParseFaults(name string, data []byte, f *File) error {
	doc, err := parseYAML(name, data)
	if err != nil {
		return err
	}
	d := newDecoder(name, doc)
	models := d.faultsFile(doc, f)
	if err := d.err(); err != nil {
		return err
	}
	for p, m := range models {
		p.Faults = m
	}
	return nil
}

// faultsFile decodes the body of a faults file.
func (d *decoder) faultsFile(doc ast.Node, f *File) map[*Process]*FaultModel {
	if doc == nil {
		d.add(1, 1, "", "the file is empty, expected a mapping with faults")
		return nil
	}
	m := d.mapping(doc, "")
	if m == nil {
		return nil
	}
	d.checkKeys(m, []string{"faults"}, nowhere)
	e := m.get("faults")
	if e == nil {
		d.errorf(m.node, "faults", "missing, expected a mapping from process paths to fault models")
		return nil
	}
	fm := d.mapping(e.val, e.key)
	if fm == nil {
		return nil
	}
	procs := f.processes()
	models := map[*Process]*FaultModel{}
	for _, pe := range fm.entries {
		p, ok := procs[pe.name]
		if !ok {
			d.unknownPath(pe, f)
			continue
		}
		models[p] = d.faults(pe.val, pe.key)
	}
	return models
}

// unknownPath reports a faults key that names no process of f.
func (d *decoder) unknownPath(e entry, f *File) {
	var paths []string
	for p := range f.processes() {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	if g := f.group(e.name); g != nil {
		d.errorf(e.at, e.key, "%q is a supervisor, expected the path of a process", e.name)
		return
	}
	d.errorf(e.at, e.key, "no process has the path %q, expected one of the file's process paths such as %q%s",
		e.name, paths[0], DidYouMean(e.name, paths))
}

// faults decodes a simulate: mapping.
func (d *decoder) faults(n ast.Node, key string) *FaultModel {
	m := d.mapping(n, key)
	if m == nil {
		return nil
	}
	d.checkKeys(m, simulateKeys, nowhere)
	fm := &FaultModel{
		Start:        d.optDuration(m, "start", 0, nil),
		Ready:        d.optDuration(m, "ready", 0, nil),
		MTBF:         d.optDuration(m, "mtbf", 0, checkPositive),
		CrashOnStart: d.optNumber(m, "crash_on_start", 0, checkProbability),
	}
	if e := m.get("stop"); e != nil {
		fm.Stop, fm.NeverStops = d.stop(e)
	}
	if e := m.get("fail_at"); e != nil {
		fm.FailAt = d.durations(e)
	}
	if e := m.get("outages"); e != nil {
		fm.Outages = d.outages(e)
	}
	if e := m.get("hang"); e != nil {
		if hm := d.mapping(e.val, e.key); hm != nil {
			d.checkKeys(hm, hangKeys, nowhere)
			fm.HangMTBF = d.optDuration(hm, "mtbf", 0, checkPositive)
			fm.HangDuration = d.optDuration(hm, "duration", 0, checkNonNegative)
			if hm.get("mtbf") == nil {
				d.errorf(e.val, e.key, "missing mtbf, expected the mean time to a hang, such as {mtbf: 10m}")
			}
		}
	}
	return fm
}

// stop reads a duration or "never".
func (d *decoder) stop(e *entry) (time.Duration, bool) {
	v, _ := d.resolve(e.val, e.key)
	if s, ok := v.(*ast.StringNode); ok && s.Value == "never" {
		return 0, true
	}
	if v == nil {
		return 0, false
	}
	dur, _ := d.duration(v, e.key)
	return dur, false
}

// durations reads a list of durations and sorts it.
func (d *decoder) durations(e *entry) []time.Duration {
	items, _ := d.list(e.val, e.key)
	var out []time.Duration
	for i, item := range items {
		if dur, ok := d.duration(item, index(e.key, i)); ok {
			out = append(out, dur)
		}
	}
	slices.Sort(out)
	return out
}

// outages reads a list of {from, to} windows.
func (d *decoder) outages(e *entry) []Outage {
	items, _ := d.list(e.val, e.key)
	var out []Outage
	for i, item := range items {
		key := index(e.key, i)
		m := d.mapping(item, key)
		if m == nil {
			continue
		}
		d.checkKeys(m, outageKeys, nowhere)
		if m.get("from") == nil || m.get("to") == nil {
			d.errorf(m.node, key, "expected both from and to")
			continue
		}
		o := Outage{From: d.optDuration(m, "from", 0, nil), To: d.optDuration(m, "to", 0, nil)}
		if msg := checkOutage(o); msg != "" {
			d.errorf(m.node, key, "%s", msg)
			continue
		}
		out = append(out, o)
	}
	return out
}
