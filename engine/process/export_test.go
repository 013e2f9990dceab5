package process

// ReapedOrphans returns how many re-parented orphans the running reaper
// reaped so far, or 0 when none runs.
func ReapedOrphans() int64 {
	reaperMu.Lock()
	defer reaperMu.Unlock()
	if activeReaper == nil {
		return 0
	}
	return activeReaper.orphans.Load()
}

// ExpandWith is ExpandEnv with the test's own lookup.
func ExpandWith(s string, lookup func(string) (string, bool)) (string, error) {
	return expandEnv(s, lookup)
}
