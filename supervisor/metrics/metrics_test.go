package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.uber.org/goleak"

	"github.com/arborgo/arbor/engine"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/metrics"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const sec = time.Second

// crasher fails with the function sent on kill, or returns nil when its
// run is cancelled.
type crasher struct{ kill chan func() error }

func newCrasher() *crasher { return &crasher{kill: make(chan func() error)} }

func (c *crasher) Run(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case f := <-c.kill:
		return f()
	}
}

func (c *crasher) Stop(context.Context) error { return nil }

// scrape serves /metrics for reg and parses it with the exposition
// format's own parser.
func scrape(t *testing.T, reg *prometheus.Registry) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("/metrics = %v: %s", rec.Code, rec.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return fams
}

// value returns the value of the series of name whose labels are labels
// ("k=v,k=v"), and false when there is none.
func value(fams map[string]*dto.MetricFamily, name, labels string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
	for _, m := range f.Metric {
		var ls []string
		for _, l := range m.Label {
			ls = append(ls, l.GetName()+"="+l.GetValue())
		}
		sort.Strings(ls)
		if strings.Join(ls, ",") != labels {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		}
	}
	return 0, false
}

// TestMetricsAfterCrashes: after scripted crashes, a panic and a give-up
// of a nested supervisor, every pinned series has the value that the
// events imply.
func TestMetricsAfterCrashes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, w := newCrasher(), newCrasher()
		sub := supervisor.New("jobs", supervisor.Config{Intensity: 1, Backoff: supervisor.Backoff{Initial: supervisor.Zero}},
			supervisor.Child{Name: "w", Engine: w})
		sup := supervisor.New("root", supervisor.Config{Intensity: 4, Period: time.Minute,
			Backoff: supervisor.Backoff{Initial: 4 * sec, Jitter: supervisor.Zero}},
			supervisor.Child{Name: "a", Engine: a}, supervisor.Child{Name: "jobs", Engine: sub})
		reg := prometheus.NewRegistry()
		reg.MustRegister(metrics.New(sup, metrics.Options{}))
		errc := sup.ServeBackground(context.Background())
		synctest.Wait()

		a.kill <- func() error { return errors.New("boom") }
		synctest.Wait()
		time.Sleep(sec)
		fams := scrape(t, reg)
		checks := []series{
			{"arbor_child_up", "path=root/a", 0},
			{"arbor_child_state", "path=root/a,state=backing_off", 1},
			{"arbor_child_state", "path=root/a,state=running", 0},
			{"arbor_child_backoff_seconds", "path=root/a", 3},
			{"arbor_child_exits_total", "exit=error,path=root/a", 1},
			{"arbor_child_exits_total", "exit=unhealthy,path=root/a", 0},
			{"arbor_supervisor_intensity_used_ratio", "supervisor=root", 0.25},
			{"arbor_child_up", "path=root/jobs/w", 1},
		}
		check(t, "backing off", fams, checks)

		time.Sleep(3 * sec)
		a.kill <- func() error { panic("oops") }
		synctest.Wait()
		time.Sleep(8 * sec)
		w.kill <- func() error { return errors.New("w1") }
		synctest.Wait()
		w.kill <- func() error { return errors.New("w2") } // jobs gives up; root restarts it
		synctest.Wait()
		time.Sleep(8 * sec)
		fams = scrape(t, reg)
		check(t, "after the crashes", fams, []series{
			{"arbor_child_up", "path=root/a", 1},
			{"arbor_child_restarts_total", "path=root/a", 2},
			{"arbor_child_exits_total", "exit=error,path=root/a", 1},
			{"arbor_child_exits_total", "exit=panic,path=root/a", 1},
			{"arbor_child_exits_total", "exit=normal,path=root/a", 0},
			{"arbor_child_exits_total", "exit=error,path=root/jobs", 1},
			{"arbor_child_restarts_total", "path=root/jobs", 1},
			{"arbor_supervisor_gave_up_total", "supervisor=root/jobs", 1},
			{"arbor_supervisor_gave_up_total", "supervisor=root", 0},
			{"arbor_supervisor_intensity_used_ratio", "supervisor=root", 0.75},
			{"arbor_child_up", "path=root/jobs/w", 1},
			{"arbor_child_stop_timeouts_total", "path=root/a", 0},
			// Run's goroutine, inside the engine.
			{"arbor_child_goroutines", "path=root/a", 1},
			{"arbor_child_goroutines", "path=root/jobs", 2},
		})
		_ = sup.Stop(context.Background())
		<-errc
	})
}

// series is one expected value: a family, its labels as value's labels
// string, and the value.
type series struct {
	name, labels string
	want         float64
}

func check(t *testing.T, when string, fams map[string]*dto.MetricFamily, checks []series) {
	t.Helper()
	for _, c := range checks {
		got, ok := value(fams, c.name, c.labels)
		if !ok || got != c.want {
			t.Errorf("%s: %s{%s} = %v (present %v); want %v", when, c.name, c.labels, got, ok, c.want)
		}
	}
}

// TestEverySeriesPresent: a fresh tree has every pinned family, each
// child one series per state (done included) and per exit kind.
func TestEverySeriesPresent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sup := supervisor.New("root", supervisor.Config{}, supervisor.Child{Name: "a", Engine: newCrasher()})
		reg := prometheus.NewRegistry()
		reg.MustRegister(metrics.New(sup, metrics.Options{}))
		errc := sup.ServeBackground(context.Background())
		synctest.Wait()
		fams := scrape(t, reg)
		want := map[string]int{"arbor_child_up": 1, "arbor_child_state": 7, "arbor_child_restarts_total": 1,
			"arbor_child_exits_total": 5, "arbor_child_backoff_seconds": 1, "arbor_child_stop_timeouts_total": 1,
			"arbor_child_goroutines": 1, "arbor_supervisor_intensity_used_ratio": 1, "arbor_supervisor_gave_up_total": 1}
		got := map[string]int{}
		for name, f := range fams {
			got[name] = len(f.Metric)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("series = %v; want %v", got, want)
		}
		_ = sup.Stop(context.Background())
		<-errc
	})
}

// BenchmarkScrape10k measures one /metrics scrape, rendered as text, of a
// tree of 100 supervisors of 100 children each.
func BenchmarkScrape10k(b *testing.B) {
	for _, gor := range []bool{false, true} {
		b.Run(fmt.Sprintf("goroutines=%v", gor), func(b *testing.B) {
			var subs []supervisor.Child
			for i := range 100 {
				var kids []supervisor.Child
				for j := range 100 {
					kids = append(kids, supervisor.Child{Name: fmt.Sprint("c", j),
						Engine: engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })})
				}
				subs = append(subs, supervisor.Child{Name: fmt.Sprint("s", i), Engine: supervisor.New("", supervisor.Config{}, kids...)})
			}
			sup := supervisor.New("root", supervisor.Config{}, subs...)
			errc := sup.ServeBackground(context.Background())
			for s := sup.Snapshot(); s == nil || !s.Started; s = sup.Snapshot() {
				time.Sleep(10 * time.Millisecond)
			}
			reg := prometheus.NewRegistry()
			reg.MustRegister(metrics.New(sup, metrics.Options{NoGoroutines: !gor, Timeout: 10 * sec}))
			h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
			var size int
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/scrape")
			_ = sup.Stop(context.Background())
			<-errc
		})
	}
}

// TestFinishedStepIsDone: a one-shot step (a transient child whose run
// ended normally, with no method of its own to say so) that finished
// reads done, not
// stopped, so that an alert on stopped children does not fire for it; it
// is not up, as nothing of it runs.
func TestFinishedStepIsDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		migrate := engine.FromFunc(func(context.Context) error { return nil })
		sup := supervisor.New("root", supervisor.Config{},
			supervisor.Child{Name: "migrate", Engine: migrate, Restart: supervisor.Transient},
			supervisor.Child{Name: "idle", Engine: newCrasher()})
		reg := prometheus.NewRegistry()
		reg.MustRegister(metrics.New(sup, metrics.Options{NoGoroutines: true}))
		errc := sup.ServeBackground(context.Background())
		synctest.Wait()
		check(t, "after the step", scrape(t, reg), []series{
			{"arbor_child_state", "path=root/migrate,state=done", 1},
			{"arbor_child_state", "path=root/migrate,state=stopped", 0},
			{"arbor_child_up", "path=root/migrate", 0},
			{"arbor_child_state", "path=root/idle,state=done", 0},
			{"arbor_child_state", "path=root/idle,state=running", 1},
		})
		if err := sup.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
		<-errc
	})
}

// TestUnhealthyExitCounted: a run that its watchdog finds hung ends as
// exit="unhealthy", and the series counts it as the restart happens.
func TestUnhealthyExitCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hung := engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil }) // never beats
		sup := supervisor.New("root", supervisor.Config{Intensity: 10, Period: time.Minute,
			Backoff: supervisor.Backoff{Initial: time.Minute, Jitter: supervisor.Zero}},
			supervisor.Child{Name: "a", Engine: hung, Liveness: supervisor.Liveness{Watchdog: 5 * sec}})
		reg := prometheus.NewRegistry()
		reg.MustRegister(metrics.New(sup, metrics.Options{}))
		errc := sup.ServeBackground(context.Background())
		time.Sleep(5*sec + 1)
		synctest.Wait()
		check(t, "found hung", scrape(t, reg), []series{
			{"arbor_child_exits_total", "exit=unhealthy,path=root/a", 1},
			{"arbor_child_exits_total", "exit=error,path=root/a", 0},
			{"arbor_child_state", "path=root/a,state=backing_off", 1},
		})
		sup.Stop(context.Background())
		<-errc
	})
}
