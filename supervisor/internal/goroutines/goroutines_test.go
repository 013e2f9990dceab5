package goroutines

import (
	"context"
	"runtime/pprof"
	"strings"
	"testing"
)

// TestOfQuotedPath: the profile prints labels quoted, so a path with a
// quote or a non-ASCII name is found, and so is a path below it, but not
// a sibling that shares its prefix.
func TestOfQuotedPath(t *testing.T) {
	for _, tt := range []struct {
		label, path string
		want        bool
	}{
		{`root/say "hi"/é`, `root/say "hi"/é`, true},
		{`root/say "hi"/é/w`, `root/say "hi"/é`, true},
		{`root/ab`, `root/a`, false},
	} {
		stop := make(chan struct{})
		started := make(chan struct{})
		pprof.Do(context.Background(), pprof.Labels(LabelKey, tt.label), func(context.Context) {
			go func() { close(started); <-stop }()
		})
		<-started
		got := len(Of(tt.path)) > 0
		close(stop)
		if got != tt.want {
			t.Errorf("Of(%q) with a goroutine labelled %q: found %v; want %v", tt.path, tt.label, got, tt.want)
		}
	}
	if strings.Contains(strings.Join(Of("nobody"), ""), "goroutine profile") {
		t.Error("Of returned the profile's header")
	}
}
