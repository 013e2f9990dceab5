package config

import (
	"fmt"
	"slices"
)

// process checks p, a child of parent.
func (v *validator) process(p *Process, key string, parent *Group) {
	l, c := p.Line, p.Column
	v.common(l, c, key, p.Name, p.Path, p.Restart, p.Significant, parent)
	v.at(l, c, sub(key, "command"), checkArgv(p.Command))
	if SignalName(p.StopSignal) == "" {
		v.at(l, c, sub(key, "stop_signal"), fmt.Sprintf("found signal %d, expected a known signal", int(p.StopSignal)))
	}
	v.at(l, c, sub(key, "shutdown"), checkNonNegative(p.Shutdown))
	v.at(l, c, sub(key, "start_timeout"), checkPositive(p.StartTimeout))
	v.backoff(l, c, key, p.Backoff)
	if p.Ready != nil {
		v.ready(l, c, sub(key, "ready"), p.Ready, p)
	}
	if p.Faults != nil {
		v.faults(l, c, sub(key, "simulate"), p.Faults)
	}
	if p.Live != nil {
		v.live(sub(key, "live"), p.Live)
	}
	v.at(l, c, sub(key, "watchdog"), checkNonNegative(p.Watchdog))
}

func (v *validator) live(key string, lv *Live) {
	l, c := lv.Line, lv.Column
	n := 0
	if lv.TCP != "" {
		n++
		v.at(l, c, sub(key, "tcp"), checkTCP(lv.TCP))
	}
	if lv.HTTP != "" {
		n++
		v.at(l, c, sub(key, "http"), checkHTTP(lv.HTTP))
	}
	if lv.Exec != nil {
		n++
		v.at(l, c, sub(key, "exec"), checkArgv(lv.Exec))
	}
	if n != 1 {
		v.at(l, c, key, fmt.Sprintf("found %d check kinds, expected exactly one of tcp, http and exec", n))
	}
	v.at(l, c, sub(key, "every"), checkPositive(lv.Every))
	v.at(l, c, sub(key, "timeout"), checkPositive(lv.Timeout))
	v.at(l, c, sub(key, "failures"), checkFailures(lv.Failures))
	v.at(l, c, sub(key, "grace"), checkNonNegative(lv.Grace))
}

func (v *validator) ready(l, c int, key string, r *Ready, p *Process) {
	n := 0
	if r.TCP != "" {
		n++
		v.at(l, c, sub(key, "tcp"), checkTCP(r.TCP))
	}
	if r.Log != nil {
		n++
	}
	if r.Exec != nil {
		n++
		v.at(l, c, sub(key, "exec"), checkArgv(r.Exec))
	}
	if r.Exit {
		n++
		v.at(l, c, sub(key, "exit"), checkOneShot(p.Restart))
	}
	if r.Notify {
		n++
	}
	if n != 1 {
		v.at(l, c, key, fmt.Sprintf("found %d checks, expected exactly one of tcp, log, exec, exit and notify", n))
	}
	if r.Timeout != p.StartTimeout {
		v.at(l, c, sub(key, "timeout"), fmt.Sprintf("found %s, expected it equal to start_timeout %s", r.Timeout, p.StartTimeout))
	}
}

func (v *validator) faults(l, c int, key string, f *FaultModel) {
	v.at(l, c, sub(key, "start"), checkNonNegative(f.Start))
	v.at(l, c, sub(key, "ready"), checkNonNegative(f.Ready))
	v.at(l, c, sub(key, "stop"), checkNonNegative(f.Stop))
	v.at(l, c, sub(key, "mtbf"), checkNonNegative(f.MTBF))
	v.at(l, c, sub(key, "crash_on_start"), checkProbability(f.CrashOnStart))
	v.at(l, c, sub(sub(key, "hang"), "mtbf"), checkNonNegative(f.HangMTBF))
	v.at(l, c, sub(sub(key, "hang"), "duration"), checkNonNegative(f.HangDuration))
	if !slices.IsSorted(f.FailAt) || len(f.FailAt) > 0 && f.FailAt[0] < 0 {
		v.at(l, c, sub(key, "fail_at"), "expected times of 0 or more in ascending order")
	}
	for i, o := range f.Outages {
		v.at(l, c, index(sub(key, "outages"), i), checkOutage(o))
		v.at(l, c, index(sub(key, "outages"), i), checkNonNegative(o.From))
	}
}
