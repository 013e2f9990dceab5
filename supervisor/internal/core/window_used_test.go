package core

import (
	"testing"
	"time"
)

// TestWindowUsed: the fraction of the intensity that the restarts still
// in the window use, as time passes, without changing the window.
func TestWindowUsed(t *testing.T) {
	t0 := time.Unix(1000, 0)
	w := newWindow(4, 10*time.Second)
	for _, d := range []time.Duration{0, 2 * time.Second, 5 * time.Second} {
		if !w.admit(t0.Add(d)) {
			t.Fatalf("admit at %v refused", d)
		}
	}
	tests := []struct {
		at   time.Duration
		want float64
	}{{5 * time.Second, 0.75}, {10 * time.Second, 0.75}, {11 * time.Second, 0.5}, {15 * time.Second, 0.25}, {16 * time.Second, 0}}
	for _, tt := range tests {
		if got := w.used(t0.Add(tt.at)); got != tt.want {
			t.Errorf("used at %v = %v; want %v", tt.at, got, tt.want)
		}
	}
	if w.n != 3 {
		t.Errorf("used changed the window: n = %v; want 3", w.n)
	}
	if w0 := newWindow(0, time.Second); w0.used(t0) != 0 {
		t.Errorf("used with intensity 0 = %v; want 0", w0.used(t0))
	}
}
