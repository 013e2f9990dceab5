package assemble

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

// A live: address with a ${VAR} is expanded at every probe, and the probe
// is made again only when the expansion changed; an unset variable fails
// the probe, naming it.
func TestExpandingProbe(t *testing.T) {
	var made []string
	probe := expanding(&config.Process{}, "127.0.0.1:${ARBOR_T_LIVE_PORT}", func(addr string) func(context.Context) error {
		made = append(made, addr)
		return func(context.Context) error { return nil }
	})
	t.Setenv("ARBOR_T_LIVE_PORT", "8080")
	for range 3 {
		if err := probe(context.Background()); err != nil {
			t.Fatalf("probe = %v; want nil", err)
		}
	}
	t.Setenv("ARBOR_T_LIVE_PORT", "9090")
	if err := probe(context.Background()); err != nil {
		t.Fatalf("probe = %v; want nil", err)
	}
	if want := []string{"127.0.0.1:8080", "127.0.0.1:9090"}; !slices.Equal(made, want) {
		t.Errorf("probes made for %q; want %q", made, want)
	}
	os.Unsetenv("ARBOR_T_LIVE_PORT") // t.Setenv restores it
	if err := probe(context.Background()); err == nil || !strings.Contains(err.Error(), "ARBOR_T_LIVE_PORT") {
		t.Errorf("probe with the variable unset = %v; want an error naming it", err)
	}
}
