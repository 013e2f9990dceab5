package core

import (
	"math"
	"math/rand/v2"
	"time"
)

// delay returns the wait before the n-th consecutive restart (n ≥ 1).
func (b Backoff) delay(n int, rng *rand.Rand) time.Duration {
	if b.Initial <= 0 {
		return 0
	}
	d := float64(b.Initial) * math.Pow(b.Multiplier, float64(n-1))
	if b.Max > 0 && (d > float64(b.Max) || math.IsInf(d, 0) || math.IsNaN(d)) {
		d = float64(b.Max)
	}
	if b.Jitter > 0 {
		d *= 1 + b.Jitter*(2*rng.Float64()-1)
	}
	if d > math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(d)
}
