package process

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"golang.org/x/sync/errgroup"
)

// outputPump logs the lines of a run's stdout and stderr until both reach
// EOF. stopWaiting makes it give up, once every open pipe stayed empty for
// drainIdle, on pipes that a process outside the group still holds; wait
// returns once it is done, with the first error met.
type outputPump interface {
	stopWaiting()
	wait() error
}

// streamNames are the "stream" attribute of stdout's and stderr's lines.
var streamNames = [2]string{"stdout", "stderr"}

// lineEmitter returns what logs one line of a stream and offers it to the
// log readiness check.
func (p *Process) lineEmitter(ctx context.Context, log *slog.Logger, stream string, ready func()) func([]byte) {
	attr := slog.String("stream", stream)
	re := p.cfg.Ready.Log
	return func(line []byte) {
		log.LogAttrs(ctx, slog.LevelInfo, string(line), attr)
		if re != nil && re.Match(line) {
			ready()
		}
	}
}

// pipePumps is the portable outputPump: a goroutine per pipe.
type pipePumps struct {
	readers [2]*pipeReader
	g       errgroup.Group
}

func (p *Process) startPipePumps(emit [2]func([]byte), pipes [2]*os.File) outputPump {
	pp := &pipePumps{}
	for i, f := range pipes {
		r := newPipeReader(f)
		pp.readers[i] = r
		pp.g.Go(func() error {
			if err := readSourceLines(r, emit[i]); err != nil {
				return fmt.Errorf("%s: %w", streamNames[i], err)
			}
			return nil
		})
	}
	return pp
}

func (pp *pipePumps) stopWaiting() {
	for _, r := range pp.readers {
		r.stopWaiting()
	}
}

func (pp *pipePumps) wait() error { return pp.g.Wait() }
