package supervisor_test

import (
	"errors"
	"slices"
	"testing"
	"testing/synctest"

	"github.com/arborgo/arbor/supervisor"
)

// TestAbandonedDescendantReachesRoot: a child that never stops, two levels
// down, is named by path in the root's error, which errors.As finds as a
// *StopTimeoutError; the levels between it and the root are not
// themselves abandoned.
func TestAbandonedDescendantReachesRoot(t *testing.T) {
	bubble(t, func(t *testing.T) {
		release := make(chan struct{})
		h := supervisor.New("h", supervisor.Config{}, C{Name: "x", Engine: hanging(release), Shutdown: sec}, C{Name: "y", Engine: newFake()})
		g := supervisor.New("g", supervisor.Config{}, C{Name: "w", Engine: newFake()}, C{Name: "h", Engine: h})
		root := supervisor.New("root", supervisor.Config{}, C{Name: "a", Engine: newFake()}, C{Name: "g", Engine: g})
		wait := background(root)
		synctest.Wait()
		err, _ := stopAndWait(t, root, wait)
		var ste *supervisor.StopTimeoutError
		if !errors.As(err, &ste) || !slices.Equal(ste.Children, []string{"root/g/h/x"}) || ste.Supervisor != "root" {
			t.Errorf("root Run = %v; want a *StopTimeoutError of root listing root/g/h/x", err)
		}
		close(release)
	})
}
