package supervisor

import (
	"context"
	"reflect"
	"testing"

	"github.com/arborgo/arbor/engine"
)

// DefaultConfig spells out what a zero Config resolves to, so that a
// file format filling in a Config from it behaves as a program that
// leaves the fields zero.
func TestDefaultConfigIsWhatZeroResolves(t *testing.T) {
	got := Config{}.resolved()
	got.Seed = 0
	want := DefaultConfig()
	want.Shutdown = 0 // the children's default, resolved per child: see shutdownOf
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Config{}.resolved() = %+v; want %+v", got, want)
	}
	leaf := Child{Name: "a", Engine: engine.FromFunc(func(context.Context) error { return nil })}
	if s := New("x", Config{}, leaf).shutdownOf(leaf); s != DefaultConfig().Shutdown {
		t.Errorf("a child's shutdown under Config{} = %v; want %v", s, DefaultConfig().Shutdown)
	}
}
