package goroutines

import (
	"context"
	"runtime/pprof"
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
		stop, started, ended := make(chan struct{}), make(chan struct{}), make(chan struct{})
		pprof.Do(context.Background(), pprof.Labels(LabelKey, tt.label), func(context.Context) {
			go func() { close(started); <-stop; close(ended) }()
		})
		<-started
		got := len(Of(tt.path)) > 0
		close(stop)
		<-ended // gone before the next case looks
		if got != tt.want {
			t.Errorf("Of(%q) with a goroutine labelled %q: found %v; want %v", tt.path, tt.label, got, tt.want)
		}
	}
}
