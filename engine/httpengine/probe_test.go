package httpengine_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/arborgo/arbor/engine/httpengine"
)

// TestProbe: the probe passes on 2xx and 3xx answers of the handler's
// path, fails on others and before the server listens.
func TestProbe(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusOK)
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(int(status.Load())) })
	e := httpengine.New(&http.Server{Addr: "127.0.0.1:0", Handler: mux})
	probe := e.Probe("healthz")
	if err := probe(context.Background()); err == nil {
		t.Errorf("probe before Run = nil; want an error")
	}
	r := start(t, context.Background(), e)
	defer r.stop(t)
	for _, tc := range []struct {
		status int
		pass   bool
	}{{200, true}, {204, true}, {302, true}, {404, false}, {500, false}} {
		status.Store(int32(tc.status))
		err := probe(context.Background())
		if got := err == nil; got != tc.pass {
			t.Errorf("probe with %d = %v; want pass %v", tc.status, err, tc.pass)
		}
		if err != nil && !strings.Contains(err.Error(), "/healthz") {
			t.Errorf("probe error %q does not name the path", err)
		}
	}
}
