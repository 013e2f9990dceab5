package health_test

import (
	"net/http"
	"time"

	"github.com/arborgo/arbor"
	"github.com/arborgo/arbor/engine/httpengine"
	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/health"
)

// The probes are served by an HTTP engine of the tree they probe: the
// handler needs the root, and the root lists the server, so the server's
// mux is filled in once both exist (every Run of the engine serves the
// mux as it is then).
func Example() {
	mux := http.NewServeMux()
	ops := httpengine.New(&http.Server{Addr: ":9090", Handler: mux, ReadHeaderTimeout: 5 * time.Second})
	root := supervisor.New("app", supervisor.Config{Drain: 5 * time.Second}, // /readyz fails 5s before the first child stops
		supervisor.Child{Name: "ops", Engine: ops},
		// ... the application's children ...
	)
	probes := health.New(root, health.Options{Require: []string{"ops"}}) // or every non-temporary child
	mux.Handle("GET /livez", probes)
	mux.Handle("GET /readyz", probes)
	arbor.Main(root)
}
