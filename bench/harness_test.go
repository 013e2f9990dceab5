package bench

import "testing"

// TestHarness runs every scenario once, small, under both libraries: the
// benchmarks' machinery works and every tree stops cleanly. It asserts no
// timing.
func TestHarness(t *testing.T) {
	for _, lib := range libs {
		t.Run(string(lib), func(t *testing.T) {
			for _, panics := range []bool{false, true} {
				f := newFlapper(20, panics)
				r := restartTree(lib, f)
				r.Start()
				<-f.Started()
				f.Release()
				<-f.Done()
				if err := r.Stop(); err != nil {
					t.Fatal(err)
				}
				if lat := f.Latencies(); len(lat) != 20 || lat[0] <= 0 {
					t.Fatalf("latencies = %v", lat)
				}
			}
			names := names("c", 100)
			c := newCounter(100)
			r := chainTree(lib, 10, 10, names, idleEngines(100, c))
			r.Start()
			<-c.Done()
			if err := r.Stop(); err != nil {
				t.Fatal(err)
			}
			c = newCounter(100)
			r = flatTree(lib, names, idleEngines(100, c))
			r.Start()
			<-c.Done()
			if err := r.Stop(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
