package config

import (
	"strings"
	"testing"
)

func TestValidateCatchesCodeMistakes(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *File)
		want   string
	}{
		{"intensity", func(f *File) { f.Root.Intensity = -1 }, "v.yaml:1:1: intensity: found -1"},
		{"period", func(f *File) { f.Root.Period = 0 }, "period: found 0s, expected a duration above zero"},
		{"strategy", func(f *File) { f.Root.Strategy = "x" }, `strategy: found "x", expected one_for_one`},
		{"jitter", func(f *File) { f.Root.Backoff.Jitter = 1 }, "backoff: found 1, expected a jitter"},
		{"root restart", func(f *File) { f.Root.Restart = Transient }, "the root supervisor must be permanent"},
		{"no children", func(f *File) { f.Root.Children = nil }, "children: found none"},
		{"nil child", func(f *File) { f.Root.Children = append(f.Root.Children, nil) }, "children[2]: found a nil child"},
		{"path", func(f *File) { f.Root.Children[0].(*Process).Path = "x" }, `children[0]: found the path "x", expected "root/a"`},
		{"duplicate", func(f *File) { f.Root.Children[1].(*Group).Name = "a" }, `children[1].name: duplicate name "a"`},
		{"command", func(f *File) { f.Root.Children[0].(*Process).Command = nil }, "children[0].command: found an empty list"},
		{"signal", func(f *File) { f.Root.Children[0].(*Process).StopSignal = 0 }, "children[0].stop_signal: found signal 0"},
		{"significant", func(f *File) { f.Root.Children[0].(*Process).Significant = true }, "children[0].significant: a significant child must have restart transient"},
		{"ready", func(f *File) { f.Root.Children[0].(*Process).Ready = &Ready{} }, "children[0].ready: found 0 checks"},
		{"ready timeout", func(f *File) {
			f.Root.Children[0].(*Process).Ready = &Ready{TCP: "h:1"}
		}, "children[0].ready.timeout: found 0s, expected it equal to start_timeout 1m0s"},
		{"faults", func(f *File) {
			f.Root.Children[0].(*Process).Faults = &FaultModel{CrashOnStart: 2, Outages: []Outage{{2, 1}}}
		}, "children[0].simulate.crash_on_start: found 2"},
		{"nested", func(f *File) { f.Root.Children[1].(*Group).Children[0].(*Process).Shutdown = -1 }, "children[1].children[0].shutdown: found -1ns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("v.yaml", []byte("children: [{name: a, command: [a]}, {name: g, children: [{name: b, command: [b]}]}]"))
			if err != nil {
				t.Fatal(err)
			}
			tt.change(f)
			if err := f.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v; want an error containing %q", err, tt.want)
			}
		})
	}
	if err := (&File{Name: "v.yaml"}).Validate(); err == nil {
		t.Errorf("Validate() of an empty File = nil; want an error")
	}
}
