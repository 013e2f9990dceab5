package sutureengine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/thejerf/suture/v4"

	"github.com/arborgo/arbor/engine"
)

// defaultStopTimeout bounds the engine's Stop when suture stops the
// service of [AsService]; it is suture's own default Timeout.
const defaultStopTimeout = 10 * time.Second

// engineService is the suture.Service of AsService.
type engineService struct {
	e           engine.Engine
	name        string
	stopTimeout time.Duration
}

// AsService returns a suture.Service that runs e: Serve calls e.Run, and
// when suture cancels Serve's context, calls e.Stop with a context bounded
// by stopTimeout, then cancels Run's context and waits for Run to return.
// Zero means 10 s, suture's own default Timeout; keep it below the suture
// supervisor's Timeout, so that suture does not give up on the engine
// before its Stop does. See the package documentation for what Serve
// returns.
//
// Its name in suture's logs (it implements fmt.Stringer) is e's Name() (a
// *supervisor.Supervisor has one), else e's String(), else e's type.
func AsService(e engine.Engine, stopTimeout time.Duration) suture.Service {
	if stopTimeout <= 0 {
		stopTimeout = defaultStopTimeout
	}
	return &engineService{e: e, name: engineName(e), stopTimeout: stopTimeout}
}

func (s *engineService) String() string { return s.name }

func (s *engineService) Serve(ctx context.Context) error {
	// Run's context outlives ctx until Stop has returned, as under an
	// arbor supervisor: a graceful Stop must not race a cancelled Run.
	runCtx, cancelRun := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRun()
	ended := make(chan struct{})
	watched := make(chan struct{})
	var (
		stopErr       error
		stoppedByCtx  bool
		runErr        error
		panicked      bool
		panicErrValue *engine.PanicError
	)
	go func() {
		defer close(watched)
		select {
		case <-ctx.Done():
			stoppedByCtx = true
			stopErr = s.stop(ctx)
			cancelRun()
		case <-ended:
		}
	}()
	func() {
		defer func() {
			if v := recover(); v != nil {
				panicked, panicErrValue = true, engine.NewPanicError(v, 1)
			}
		}()
		runErr = s.e.Run(runCtx)
	}()
	close(ended)
	<-watched
	if !stoppedByCtx {
		stopErr = s.stop(ctx) // Stop follows every exit of Run
	}
	switch {
	case panicked:
		panic(panicErrValue) // suture recovers it, or passes it through
	case stoppedByCtx:
		return joinNonNil(runErr, stopErr)
	case runErr == nil:
		return joinNonNil(suture.ErrDoNotRestart, stopErr)
	}
	return joinNonNil(runErr, stopErr)
}

// stop calls the engine's Stop with a bounded context, recovering a panic.
func (s *engineService) stop(ctx context.Context) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.stopTimeout)
	defer cancel()
	err := engine.Call(func() error { return s.e.Stop(sctx) })
	if err != nil {
		err = fmt.Errorf("sutureengine: stopping %s: %w", s.name, err)
	}
	return err
}

func joinNonNil(err, stopErr error) error {
	if stopErr == nil {
		return err
	}
	return errors.Join(err, stopErr)
}

func engineName(e engine.Engine) string {
	switch n := e.(type) {
	case interface{ Name() string }:
		return n.Name()
	case fmt.Stringer:
		return n.String()
	}
	return fmt.Sprintf("%T", e)
}
