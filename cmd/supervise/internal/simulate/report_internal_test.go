package simulate

import (
	"testing"
	"time"
)

// Durations read as rounded, but an up time above a minute never rounds
// up to more than there was.
func TestFmtDur(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{1500 * time.Microsecond, "2ms"},
		{1260 * time.Millisecond, "1.3s"},
		{9*time.Minute + 59500*time.Millisecond, "9m59.5s"},
		{9*time.Minute + 59960*time.Millisecond, "9m59.9s"},
		{10 * time.Minute, "10m0s"},
	} {
		if got := fmtDur(tt.d); got != tt.want {
			t.Errorf("fmtDur(%v) = %q; want %q", tt.d, got, tt.want)
		}
	}
}
