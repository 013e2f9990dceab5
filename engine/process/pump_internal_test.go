package process

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
)

// Both outputPumps, the one of this system and the portable one, log
// every line of both pipes, a last line without newline too, and give up
// with errOutputCut on a pipe whose writer stays open once told to stop
// waiting.
func TestOutputPumps(t *testing.T) {
	p := New(Config{Argv: []string{"x"}})
	starts := map[string]func([2]func([]byte), [2]*os.File) outputPump{
		"native":   p.startOutput,
		"portable": p.startPipePumps,
	}
	for name, start := range starts {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			got := [2][]string{}
			var emit [2]func([]byte)
			for i := range emit {
				emit[i] = func(b []byte) {
					mu.Lock()
					defer mu.Unlock()
					got[i] = append(got[i], string(b))
				}
			}
			var r, w [2]*os.File
			for i := range r {
				var err error
				if r[i], w[i], err = os.Pipe(); err != nil {
					t.Fatal(err)
				}
				defer r[i].Close()
			}
			pump := start(emit, r)
			long := strings.Repeat("l", 3*lineBufSize)
			w[0].WriteString("out1\n" + long + "\npart")
			w[1].WriteString("err1\n")
			w[0].WriteString("ial\nlast")
			w[0].Close()
			w[1].WriteString("err2")
			pump.stopWaiting() // stdout is at EOF; stderr's writer stays open
			err := pump.wait()
			w[1].Close()
			if !errors.Is(err, errOutputCut) || !strings.Contains(err.Error(), "stderr") {
				t.Errorf("wait() = %v; want errOutputCut naming stderr", err)
			}
			want := [2][]string{{"out1", long, "partial", "last"}, {"err1", "err2"}}
			for i := range want {
				if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
					t.Errorf("%s lines = %d %v; want %d %v", streamNames[i], len(got[i]), lens(got[i]), len(want[i]), lens(want[i]))
				}
			}
		})
	}
}
