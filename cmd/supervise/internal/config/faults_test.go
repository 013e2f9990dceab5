package config

import (
	"strings"
	"testing"
	"time"
)

func TestLoadFaults(t *testing.T) {
	f, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := LoadFaults("testdata/faults.yaml", f); err != nil {
		t.Fatalf("LoadFaults = %v; want nil", err)
	}
	db := proc(t, f, "shop/db").Faults
	if db.Start != time.Second || !db.NeverStops || db.MTBF != 5*time.Minute || db.CrashOnStart != 0 || db.FailAt != nil {
		t.Errorf("db faults = %+v; want the faults file's model, replacing the inline one", db)
	}
	w := proc(t, f, "shop/jobs/worker").Faults
	if w == nil || len(w.FailAt) != 1 || w.Outages[0] != (Outage{time.Minute, 2 * time.Minute}) {
		t.Errorf("worker faults = %+v; want fail_at [1m] and one outage", w)
	}
	if q := proc(t, f, "shop/jobs/queue").Faults; q != nil {
		t.Errorf("queue faults = %+v; want nil", q)
	}
	if err := f.Validate(); err != nil {
		t.Errorf("Validate() = %v; want nil", err)
	}
}

func TestBadFaults(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown path", "faults: {shop/dbb: {}}\n", `f.yaml:1:10: faults.shop/dbb: no process has the path "shop/dbb", expected one of the file's process paths such as "shop/db" (did you mean "shop/db"?)`},
		{"group path", "faults: {shop/jobs: {}}\n", `f.yaml:1:10: faults.shop/jobs: "shop/jobs" is a supervisor, expected the path of a process`},
		{"bad key", "faults: {shop/db: {strat: 1s}}\n", `f.yaml:1:20: faults.shop/db.strat: unknown key (did you mean "start"?)`},
		{"top key", "fault: {}\n", `f.yaml:1:1: fault: unknown key (did you mean "faults"?)`},
		{"missing", "x: 1\n", "f.yaml:1:1: faults: missing"},
		{"empty", "", "f.yaml:1:1: the file is empty"},
		{"syntax", "faults: {\n", "f.yaml:1:9: YAML syntax:"},
		{"bad value", "faults: {shop/db: {crash_on_start: -1}}\n", "f.yaml:1:36: faults.shop/db.crash_on_start: found -1, expected a probability"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Load("testdata/full.yaml")
			if err != nil {
				t.Fatal(err)
			}
			before := *proc(t, f, "shop/db").Faults
			err = ParseFaults("f.yaml", []byte(tt.src+"  \n"), f)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseFaults(%q) = %v; want an error containing %q", tt.src, err, tt.want)
			}
			if after := *proc(t, f, "shop/db").Faults; after.MTBF != before.MTBF || after.Start != before.Start {
				t.Errorf("faults changed on error: got = %+v; want %+v", after, before)
			}
		})
	}
}
