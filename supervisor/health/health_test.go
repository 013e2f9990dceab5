package health_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/health"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const sec = time.Second

// scripted is an engine that becomes ready when ready is closed (nil:
// at once) and fails when a value comes on fail.
type scripted struct {
	ready chan struct{}
	fail  chan error
	done  bool
}

func newScripted() *scripted { return &scripted{fail: make(chan error)} }

func (s *scripted) Run(ctx context.Context) error {
	if s.ready != nil {
		select {
		case <-s.ready:
		case <-ctx.Done():
			return nil
		}
	}
	engine.Ready(ctx)
	select {
	case <-ctx.Done():
		return nil
	case err := <-s.fail:
		return err
	}
}

func (s *scripted) Stop(context.Context) error { return nil }
func (s *scripted) ReportsReady() bool         { return true }

// oneShot is a step that exits 0 at once: as a transient child, it is
// done, with no method of its own to say so.
type oneShot struct{}

func (oneShot) Run(context.Context) error  { return nil }
func (oneShot) Stop(context.Context) error { return nil }

func probe(t *testing.T, h http.Handler, path string) (int, health.Report) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	var rep health.Report
	if path == "/readyz" {
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatalf("%s body %q: %v", path, rec.Body, err)
		}
	}
	return rec.Code, rep
}

func notReady(rep health.Report) string {
	var out []string
	for _, c := range rep.NotReady {
		s := c.Path + "=" + c.State
		if c.BackoffLeft > 0 {
			s += "(" + (time.Duration(c.BackoffLeft * float64(time.Second))).String() + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// TestReadyzAcrossStartBackoffDrain: /readyz is 503 while the ordered
// start is under way, 200 once it completed, 503 with the child and its
// time left while it backs off, 200 again after the restart, and 503 from
// the moment a drained shutdown begins, while /livez stays 200 until
// the tree stopped.
func TestReadyzAcrossStartBackoffDrain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := newScripted(), newScripted()
		b.ready = make(chan struct{})
		sup := supervisor.New("root", supervisor.Config{Drain: 5 * sec,
			Backoff: supervisor.Backoff{Initial: 2 * sec, Jitter: supervisor.Zero}},
			supervisor.Child{Name: "a", Engine: a}, supervisor.Child{Name: "b", Engine: b},
			supervisor.Child{Name: "init", Engine: oneShot{}, Restart: supervisor.Transient},
			supervisor.Child{Name: "tmp", Engine: engine.FromFunc(func(context.Context) error { return nil }), Restart: supervisor.Temporary})
		h := health.New(sup, health.Options{})
		errc := sup.ServeBackground(context.Background())
		synctest.Wait()
		steps := []struct {
			name       string
			do         func()
			live, code int
			not        string
		}{
			{"starting", func() {}, 200, 503, "root=starting root/b=starting root/init=stopped"}, // init has not run yet
			{"started", func() { close(b.ready) }, 200, 200, ""},
			{"backing off", func() { a.fail <- errors.New("boom") }, 200, 503, "root/a=backing_off(2s)"},
			{"half way", func() { time.Sleep(sec) }, 200, 503, "root/a=backing_off(1s)"},
			{"restarted", func() { time.Sleep(sec) }, 200, 200, ""},
			{"draining", func() { go sup.Stop(context.Background()) }, 200, 503, "root=stopping"},
			{"still draining", func() { time.Sleep(4 * sec) }, 200, 503, "root=stopping"},
			{"stopped", func() { <-errc }, 503, 503, "root=stopped"},
		}
		for _, s := range steps {
			s.do()
			synctest.Wait()
			if live, _ := probe(t, h, "/livez"); live != s.live {
				t.Errorf("%s: /livez = %v; want %v", s.name, live, s.live)
			}
			code, rep := probe(t, h, "/readyz")
			if code != s.code || notReady(rep) != s.not {
				t.Errorf("%s: /readyz = %v %q; want %v %q", s.name, code, notReady(rep), s.code, s.not)
			}
		}
	})
}

// TestStoppedOnRequestIsDown: a child terminated by request is not
// ready; Require leaves out what it does not name, and lists a required
// path missing from the tree.
func TestStoppedOnRequestIsDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sub := supervisor.New("jobs", supervisor.Config{}, supervisor.Child{Name: "w", Engine: newScripted()})
		sup := supervisor.New("root", supervisor.Config{},
			supervisor.Child{Name: "a", Engine: newScripted()}, supervisor.Child{Name: "jobs", Engine: sub})
		errc := sup.ServeBackground(context.Background())
		synctest.Wait()
		if err := sup.TerminateChild(context.Background(), "a"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			require []string
			code    int
			not     string
		}{
			{nil, 503, "root/a=stopped"},
			{[]string{"root/jobs"}, 200, ""},
			{[]string{"root/jobs/w"}, 200, ""},
			{[]string{"root/jobs", "root/nope"}, 503, "root/nope=missing"},
			{[]string{"jobs/w"}, 200, ""}, // the root's name left out
			{[]string{"a"}, 503, "root/a=stopped"},
			{[]string{"nope"}, 503, "root/nope=missing"},
		}
		for _, tt := range tests {
			code, rep := probe(t, health.New(sup, health.Options{Require: tt.require}), "/readyz")
			if code != tt.code || notReady(rep) != tt.not {
				t.Errorf("require %v: /readyz = %v %q; want %v %q", tt.require, code, notReady(rep), tt.code, tt.not)
			}
		}
		sup.Stop(context.Background())
		<-errc
		code, rep := probe(t, health.New(sup, health.Options{Require: []string{"root/jobs"}}), "/readyz")
		if code != 503 || notReady(rep) != "root=stopped" {
			t.Errorf("require root/jobs after the stop: /readyz = %v %q; want 503 %q", code, notReady(rep), "root=stopped")
		}
	})
}

// TestLivezNeverRan: a tree that never ran is not live.
func TestLivezNeverRan(t *testing.T) {
	sup := supervisor.New("root", supervisor.Config{})
	if code, _ := probe(t, health.New(sup, health.Options{}), "/livez"); code != 503 {
		t.Errorf("/livez = %v; want 503", code)
	}
}

// TestLivezStuckSupervisor: a supervisor whose loop does not answer is
// not live after the timeout, and the probes share one snapshot under way.
func TestLivezStuckSupervisor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		stuck := false
		sup := supervisor.New("root", supervisor.Config{OnEvent: func(ev supervisor.Event) {
			if stuck {
				<-release
			}
		}}, supervisor.Child{Name: "a", Engine: newScripted()})
		a := sup
		errc := a.ServeBackground(context.Background())
		synctest.Wait()
		stuck = true
		go sup.TerminateChild(context.Background(), "a") // blocks the loop in OnEvent
		synctest.Wait()
		h := health.New(sup, health.Options{})
		start := time.Now()
		for range 3 {
			if code, _ := probe(t, h, "/livez"); code != 503 {
				t.Errorf("/livez = %v; want 503", code)
			}
		}
		if got, want := time.Since(start), 3*sec; got != want {
			t.Errorf("three probes took %v; want %v", got, want)
		}
		close(release)
		synctest.Wait()
		if code, _ := probe(t, h, "/livez"); code != 200 {
			t.Errorf("/livez after = %v; want 200", code)
		}
		_ = sup.Stop(context.Background())
		<-errc
	})
}

// TestMethodAndPath: only GET and HEAD, only the two paths.
func TestMethodAndPath(t *testing.T) {
	h := health.New(supervisor.New("root", supervisor.Config{}), health.Options{})
	for _, tt := range []struct {
		method, path string
		code         int
	}{{"POST", "/readyz", 405}, {"GET", "/other", 404}, {"HEAD", "/prefix/livez", 503}} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.code {
			t.Errorf("%s %s = %v; want %v", tt.method, tt.path, rec.Code, tt.code)
		}
	}
}
