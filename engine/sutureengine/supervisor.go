package sutureengine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/thejerf/suture/v4"

	"github.com/arborgo/arbor/engine"
)

// ErrServedTwice is returned by a second Run of the engine that
// [FromSupervisor] made: a *suture.Supervisor can be served only once.
var ErrServedTwice = errors.New("sutureengine: a suture supervisor can be served only once; build one per run with supervisor.Child.New")

// UnstoppedError says that a suture supervisor stopped while some of its
// services had not returned from Serve within its timeout. Go cannot kill
// them, so they may still be running.
type UnstoppedError struct {
	// Supervisor is the suture supervisor's name.
	Supervisor string
	// Services names the unstopped services, as suture names them.
	Services []string
	// Report is suture's own report.
	Report suture.UnstoppedServiceReport
	// Err is what the suture supervisor's Serve returned, mapped as for
	// FromService; usually nil.
	Err error
}

// Error names the supervisor and its unstopped services, and Err when
// set, such as "sutureengine: suture supervisor app: services did not
// stop: mailer".
func (e *UnstoppedError) Error() string {
	msg := fmt.Sprintf("sutureengine: suture supervisor %s: services did not stop: %s", e.Supervisor, strings.Join(e.Services, ", "))
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// Unwrap returns Err.
func (e *UnstoppedError) Unwrap() error { return e.Err }

// FromSupervisor returns an engine that serves s. Stop cancels it and
// waits, bounded by its context, for Serve to return; a non-empty
// unstopped-service report then becomes an [*UnstoppedError]. s can be
// served only once: a second Run returns [ErrServedTwice]. To restart a
// suture supervisor under arbor, build a new one for every run with
// supervisor.Child's New:
//
//	supervisor.Child{Name: "reports", New: func() engine.Engine {
//		return sutureengine.FromSupervisor(newReports())
//	}}
//
// The engine's String is s's name.
func FromSupervisor(s *suture.Supervisor) engine.Engine {
	var once sync.Once
	return &sutureSupervisor{name: s.Name, build: func() *suture.Supervisor {
		var out *suture.Supervisor
		once.Do(func() { out = s })
		return out
	}}
}

// sutureSupervisor is the engine of FromSupervisor.
type sutureSupervisor struct {
	build func() *suture.Supervisor

	mu   sync.Mutex
	name string
	runner
}

func (s *sutureSupervisor) Run(ctx context.Context) error {
	sup := s.build()
	if sup == nil {
		return ErrServedTwice
	}
	s.mu.Lock()
	s.name = sup.Name
	s.mu.Unlock()

	ctx, sr := s.begin(ctx)
	defer close(sr.done)
	defer sr.cancel()
	// A panic in Serve (suture panics when it is misused) propagates
	// before the report is read: the report waits for a clean end.
	err := mapServeErr(ctx, sup.Serve(ctx))
	if report, _ := sup.UnstoppedServiceReport(); len(report) > 0 {
		names := make([]string, len(report))
		for i, u := range report {
			names[i] = u.Name
		}
		err = &UnstoppedError{Supervisor: sup.Name, Services: names, Report: report, Err: err}
	}
	sr.err = err
	return err
}

// Stop returns the [*UnstoppedError] of the run it ended, if any.
func (s *sutureSupervisor) Stop(ctx context.Context) error {
	return s.stop(ctx, s.String(), 0)
}

func (s *sutureSupervisor) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.name
}
