package arbor_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/supervisor"
)

// fakeNotify is an Options.Notify that records what was subscribed and
// hands out the channel, for the test to send on.
type fakeNotify struct {
	mu   sync.Mutex
	c    chan<- os.Signal
	sigs []os.Signal
	subs int
}

func (f *fakeNotify) notify(c chan<- os.Signal, sigs ...os.Signal) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.c, f.sigs = c, sigs
	f.subs++
	return func() {}
}

func (f *fakeNotify) send(s os.Signal) {
	f.mu.Lock()
	c := f.c
	f.mu.Unlock()
	c <- s
}

// seen records the calls of OnSignal and OnInterrupt.
type seen struct {
	mu    sync.Mutex
	calls []string
}

func (s *seen) onSignal(sig os.Signal, stop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	action := "ignore"
	if stop {
		action = "stop"
	}
	s.calls = append(s.calls, sig.String()+" "+action)
}

func (s *seen) onInterrupt(sig os.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, sig.String()+" interrupt")
}

func (s *seen) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// supervised catches what supervise catches by default: SIGHUP as well,
// which does not stop the tree, and SIGQUIT, which does.
var supervised = arbor.Options{
	Signals: []os.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGHUP},
	Stops:   func(sig os.Signal) bool { return sig != syscall.SIGHUP },
}

// A caught signal that Stops declines is reported and leaves the tree
// running; a stop signal then stops it in reverse start order.
func TestRunWithIgnoredSignalKeepsTreeRunning(t *testing.T) {
	for _, stopSig := range []os.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT} {
		t.Run(stopSig.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var f fakeNotify
				var s seen
				var j journal
				errc := make(chan error, 1)
				go func() {
					errc <- arbor.RunWith(context.Background(), shopTree(&j, supervisor.Config{}), arbor.Options{
						Signals: supervised.Signals, Stops: supervised.Stops, OnSignal: s.onSignal, Notify: f.notify})
				}()
				synctest.Wait()
				f.send(syscall.SIGHUP)
				f.send(syscall.SIGHUP)
				synctest.Wait()
				if got := j.matching("stop "); len(got) != 0 {
					t.Fatalf("after SIGHUP: stops %v; want none", got)
				}
				select {
				case err := <-errc:
					t.Fatalf("RunWith returned %v after SIGHUP; want it running", err)
				default:
				}
				f.send(stopSig)
				if err := <-errc; err != nil {
					t.Fatalf("RunWith = %v; want nil", err)
				}
				want := []string{"hangup ignore", "hangup ignore", stopSig.String() + " stop"}
				if got := s.list(); !slices.Equal(got, want) {
					t.Errorf("OnSignal calls = %v; want %v", got, want)
				}
				wantStops := []string{"stop http", "stop worker", "stop queue", "stop db"}
				if got := j.matching("stop "); !slices.Equal(got, wantStops) {
					t.Errorf("stop order = %v; want %v", got, wantStops)
				}
			})
		})
	}
}

// RunWith subscribes exactly the signals of Options.Signals; Run, SIGTERM
// and SIGINT, so that a library program keeps Go's SIGQUIT dump. An empty
// list subscribes nothing: os/signal's Notify with no signals would relay
// every signal.
func TestRunWithSubscribesItsSignals(t *testing.T) {
	for _, tt := range []struct {
		name    string
		signals []os.Signal
		want    []os.Signal
		subs    int
	}{
		{"default", nil, []os.Signal{syscall.SIGINT, syscall.SIGTERM}, 1},
		{"supervise", supervised.Signals, []os.Signal{syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM}, 1},
		{"empty", []os.Signal{}, nil, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var f fakeNotify
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var j journal
			_ = arbor.RunWith(ctx, idle(&j, "a"), arbor.Options{Signals: tt.signals, Notify: f.notify})
			if f.subs > 1 || (tt.subs == 0) != (f.subs == 0) {
				t.Fatalf("Notify called %d times; want %d", f.subs, tt.subs)
			}
			got := slices.Clone(f.sigs)
			slices.SortFunc(got, func(a, b os.Signal) int { return int(a.(syscall.Signal)) - int(b.(syscall.Signal)) })
			if !slices.Equal(got, tt.want) {
				t.Errorf("subscribed %v; want %v", got, tt.want)
			}
		})
	}
}

// A second stop signal calls OnInterrupt, then waits at most
// InterruptWait for the tree: no longer when the hook made it end, exactly
// that long when it still hangs.
func TestRunWithSecondSignalInterrupts(t *testing.T) {
	const wait = 3 * time.Second
	for _, tt := range []struct {
		name       string
		hookFrees  bool
		wantWaited time.Duration
	}{
		{"hook ends the tree", true, 0},
		{"tree still hangs", false, wait},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var f fakeNotify
				var s seen
				release := make(chan struct{})
				root := supervisor.New("root", supervisor.Config{Shutdown: time.Hour},
					supervisor.Child{Name: "hung", Engine: &hangingStop{release: release}})
				opts := arbor.Options{Signals: supervised.Signals, Stops: supervised.Stops, OnSignal: s.onSignal, Notify: f.notify,
					InterruptWait: wait, OnInterrupt: func(sig os.Signal) {
						s.onInterrupt(sig)
						if tt.hookFrees {
							close(release)
						}
					}}
				errc := make(chan error, 1)
				go func() { errc <- arbor.RunWith(context.Background(), root, opts) }()
				synctest.Wait()
				f.send(syscall.SIGQUIT)
				synctest.Wait()
				start := time.Now()
				f.send(syscall.SIGTERM)
				if err := <-errc; !errors.Is(err, arbor.ErrInterrupted) {
					t.Errorf("RunWith = %v; want ErrInterrupted", err)
				}
				if waited := time.Since(start); waited != tt.wantWaited {
					t.Errorf("RunWith returned after %v; want %v", waited, tt.wantWaited)
				}
				want := []string{"quit stop", "terminated interrupt"}
				if got := s.list(); !slices.Equal(got, want) {
					t.Errorf("hook calls = %v; want %v", got, want)
				}
				if !tt.hookFrees {
					close(release)
				}
				root.Stop(context.Background())
			})
		})
	}
}

// A stop signal that arrives again within SameStopWithin is the same
// request delivered twice (systemd's control-group kill and a forwarding
// parent), not an interrupt; one after it interrupts.
func TestRunWithSameStopWithin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f fakeNotify
		var s seen
		release := make(chan struct{})
		root := supervisor.New("root", supervisor.Config{Shutdown: time.Hour},
			supervisor.Child{Name: "hung", Engine: &hangingStop{release: release}})
		opts := arbor.Options{Signals: supervised.Signals, Stops: supervised.Stops, OnSignal: s.onSignal, Notify: f.notify,
			OnInterrupt: s.onInterrupt, SameStopWithin: 500 * time.Millisecond}
		errc := make(chan error, 1)
		go func() { errc <- arbor.RunWith(context.Background(), root, opts) }()
		synctest.Wait()
		f.send(syscall.SIGTERM)
		synctest.Wait()
		time.Sleep(499 * time.Millisecond)
		f.send(syscall.SIGTERM) // the same request, delivered twice
		synctest.Wait()
		select {
		case err := <-errc:
			t.Fatalf("RunWith = %v within the window; want it still stopping", err)
		default:
		}
		time.Sleep(time.Millisecond)
		f.send(syscall.SIGTERM)
		if err := <-errc; !errors.Is(err, arbor.ErrInterrupted) {
			t.Errorf("RunWith = %v; want ErrInterrupted", err)
		}
		want := []string{"terminated stop", "terminated stop", "terminated interrupt"}
		if got := s.list(); !slices.Equal(got, want) {
			t.Errorf("hook calls = %v; want %v", got, want)
		}
		close(release)
		root.Stop(context.Background())
	})
}

// Stops is asked at each arrival, so that what a signal does can change
// while RunWith runs, as when supervise reloads its file.
func TestRunWithStopsAskedAtEachArrival(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f fakeNotify
		var s seen
		var j journal
		var mu sync.Mutex
		hupStops := false
		opts := arbor.Options{Signals: []os.Signal{syscall.SIGHUP}, OnSignal: s.onSignal, Notify: f.notify,
			Stops: func(os.Signal) bool { mu.Lock(); defer mu.Unlock(); return hupStops }}
		errc := make(chan error, 1)
		go func() { errc <- arbor.RunWith(context.Background(), idle(&j, "a"), opts) }()
		synctest.Wait()
		f.send(syscall.SIGHUP)
		synctest.Wait()
		mu.Lock()
		hupStops = true
		mu.Unlock()
		f.send(syscall.SIGHUP)
		if err := <-errc; err != nil {
			t.Fatalf("RunWith = %v; want nil", err)
		}
		want := []string{"hangup ignore", "hangup stop"}
		if got := s.list(); !slices.Equal(got, want) {
			t.Errorf("OnSignal calls = %v; want %v", got, want)
		}
	})
}
