package process

import (
	"fmt"
	"os"
)

// streams are where a run's stdout and stderr go: pipes whose lines are
// logged, or, with Config.InheritOutput, the supervisor's own standard
// output and error, which have no read ends.
type streams struct {
	w, r [2]*os.File // the child's ends, and ours to read (nil when inherited)
}

func (p *Process) openStreams() (streams, error) {
	if p.cfg.InheritOutput {
		return inheritStreams()
	}
	var s streams
	for i, name := range streamNames {
		r, w, err := os.Pipe()
		if err != nil {
			s.closeWrite()
			s.closeRead()
			return streams{}, fmt.Errorf("process: %s pipe: %w", name, err)
		}
		s.r[i], s.w[i] = r, w
	}
	return s, nil
}

// inheritStreams refuses a standard stream the program closed (or set to
// nil): os/exec would start the child with that descriptor closed, and the
// first file the child opens would become its stdout. The Go runtime
// already opens /dev/null on any of fds 0-2 found closed at start.
func inheritStreams() (streams, error) {
	s := streams{w: [2]*os.File{os.Stdout, os.Stderr}}
	for i, f := range s.w {
		if f.Fd() == ^uintptr(0) {
			return streams{}, fmt.Errorf("process: InheritOutput: the supervisor's %s is closed", streamNames[i])
		}
	}
	return s, nil
}

func (s streams) inherited() bool { return s.r[0] == nil }

// closeWrite closes our copies of the child's ends once it has its own:
// they would keep the pipes from EOF. The supervisor's own are not ours
// to close.
func (s streams) closeWrite() {
	for i, f := range s.w {
		if f != nil && s.r[i] != nil {
			f.Close()
		}
	}
}

func (s streams) closeRead() {
	for _, f := range s.r {
		if f != nil {
			f.Close()
		}
	}
}

// pump starts reading the pipes into emit; an inherited stream has
// nothing to read.
func (s streams) pump(p *Process, emit [2]func([]byte)) outputPump {
	if s.inherited() {
		return noPump{}
	}
	return p.startOutput(emit, s.r)
}

// noPump is the outputPump of a run whose output is inherited.
type noPump struct{}

func (noPump) stopWaiting() {}
func (noPump) wait() error  { return nil }
