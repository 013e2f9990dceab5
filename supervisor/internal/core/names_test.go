package core_test

import (
	"testing"
	"time"

	"github.com/arborgo/arbor/supervisor/internal/core"
)

// The index by name is made on first use: children added before and after
// it is made are found, and a removed child is not.
func TestLookupIndexMadeOnFirstUse(t *testing.T) {
	now := time.Unix(0, 0)
	c := core.New(core.Config{Intensity: 1, Period: time.Second}, []core.ChildSpec{spec("a"), spec("b")})
	if _, _, err := c.AddChild(now, spec("c")); err != nil { // the first use
		t.Fatal(err)
	}
	if _, _, err := c.AddChild(now, spec("a")); err != core.ErrAlreadyExists {
		t.Errorf("AddChild(a) = %v; want ErrAlreadyExists", err)
	}
	if _, _, err := c.AddChild(now, spec("d")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b", "c", "d"} {
		if ch, ok := c.Lookup(name); !ok || ch.Name() != name {
			t.Errorf("Lookup(%s) = %v, %v; want the child", name, ch, ok)
		}
	}
	if _, err := c.DeleteChild(now, "b"); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Lookup("b"); ok {
		t.Errorf("Lookup(b) after DeleteChild = true; want false")
	}
}
