package supervisor

import (
	"context"
	"strconv"
	"testing"
	"unsafe"

	"github.com/arborgo/arbor/engine"
)

// TestValidateAllocatesNothingPerChild: Run validates every child of a
// tree of any size before it starts, so a child without a problem costs
// no formatting and no allocation of its own (the maps are made once, at
// their size).
func TestValidateAllocatesNothingPerChild(t *testing.T) {
	const n = 1000
	children := make([]Child, n)
	for i := range children {
		children[i] = Child{Name: "c" + strconv.Itoa(i), Engine: engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })}
	}
	s := New("root", Config{}, children...)
	allocs := testing.AllocsPerRun(10, func() {
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs >= n/10 {
		t.Errorf("Validate of %d children: allocs = %v; want fewer than %d", n, allocs, n/10)
	}
}

// TestChildPaths: the initial children's paths, cut from one string, are
// each the supervisor's path and the child's name.
func TestChildPaths(t *testing.T) {
	got := childPaths("root/sub", []Child{{Name: "a"}, {Name: "bc"}, {Name: "d"}})
	want := []string{"root/sub/a", "root/sub/bc", "root/sub/d"}
	if len(got) != len(want) {
		t.Fatalf("got = %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got = %v; want %v", got, want)
		}
	}
}

// TestPerChildStructsFitTheirSizeClass: every child costs a shell and a
// run while it runs; at 100,000 children each 16 bytes is 1.6 MB. These
// are the allocator's size classes the two fit today: a field that makes
// one bigger should be weighed (or kept out of line, as Liveness is).
func TestPerChildStructsFitTheirSizeClass(t *testing.T) {
	if got := unsafe.Sizeof(child{}); got > 160 {
		t.Errorf("child = %d B; want at most 160", got)
	}
	if got := unsafe.Sizeof(run{}); got > 192 {
		t.Errorf("run = %d B; want at most 192", got)
	}
}

// TestDuplicateNameFoundInSmallAndLargeSets: a small set of children is
// searched by comparison, a large one with a map; both report each later
// child that repeats a name.
func TestDuplicateNameFoundInSmallAndLargeSets(t *testing.T) {
	for _, n := range []int{3, smallSet, smallSet + 1, 100} {
		children := make([]Child, n)
		for i := range children {
			children[i] = Child{Name: "c" + strconv.Itoa(i), Engine: engine.FromFunc(func(ctx context.Context) error { <-ctx.Done(); return nil })}
		}
		children[n-1].Name = "c0"
		err := New("root", Config{}, children...).Validate()
		ce, ok := err.(*ConfigError)
		want := "root: c0: duplicate child name"
		if !ok || len(ce.Problems) != 1 || ce.Problems[0] != want {
			t.Errorf("%d children: Validate = %v; want [%s]", n, err, want)
		}
	}
}
