//go:build linux

package process_test

import (
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/arborgo/arbor/engine/process"
)

// TestInheritOutput: with InheritOutput the process writes to the
// supervisor's own stdout and stderr, as they are, and none of its lines
// becomes a log record.
func TestInheritOutput(t *testing.T) {
	var got [2]string
	readers := [2]*os.File{}
	writers := [2]*os.File{}
	for i := range readers {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		readers[i], writers[i] = r, w
	}
	oldOut, oldErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = writers[0], writers[1]
	log := &captureLog{}
	cfg := sh(log, `printf '{"msg":"as is"}\n'; echo oops >&2`)
	cfg.InheritOutput = true
	err := process.New(cfg).Run(context.Background())
	os.Stdout, os.Stderr = oldOut, oldErr
	if err != nil {
		t.Fatalf("Run = %v; want nil", err)
	}
	for i, w := range writers {
		w.Close()
		b, err := io.ReadAll(readers[i])
		if err != nil {
			t.Fatal(err)
		}
		got[i] = string(b)
	}
	if want := [2]string{"{\"msg\":\"as is\"}\n", "oops\n"}; got != want {
		t.Errorf("stdout, stderr = %q; want %q", got, want)
	}
	if lines := append(log.stream("stdout"), log.stream("stderr")...); len(lines) != 0 {
		t.Errorf("logged lines %q; want none", lines)
	}
}

// TestInheritOutputClosedStdout: a run cannot inherit a stdout the
// program closed; it fails to start, naming the stream, rather than start
// a child whose fd 1 is free for the first file it opens.
func TestInheritOutputClosedStdout(t *testing.T) {
	closed, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	oldOut := os.Stdout
	t.Cleanup(func() { os.Stdout = oldOut })
	os.Stdout = closed
	cfg := sh(&captureLog{}, `echo never`)
	cfg.InheritOutput = true
	err = process.New(cfg).Run(context.Background())
	os.Stdout = oldOut
	if err == nil || !strings.Contains(err.Error(), "stdout is closed") {
		t.Errorf("Run = %v; want an error saying stdout is closed", err)
	}
}

// TestInheritOutputRefusesLogReadiness: a log readiness check needs the
// lines, which an inherited output does not pass through the engine.
func TestInheritOutputRefusesLogReadiness(t *testing.T) {
	cfg := process.Config{Argv: []string{"true"}, InheritOutput: true, Ready: process.ReadyCheck{Log: regexp.MustCompile("ready")}}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "InheritOutput") {
		t.Errorf("Validate = %v; want an error naming InheritOutput", err)
	}
}
