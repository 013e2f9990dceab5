package health

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/arborgo/arbor/supervisor"
	"github.com/arborgo/arbor/supervisor/internal/probe"
)

// Options configure a [Handler].
type Options struct {
	// Require names the paths that readiness requires, such as
	// "shop/web" or, leaving out the root's name, "web"; a path stands
	// for the child and everything below it.
	// Empty means every child that is not temporary, so that a worker
	// waiting out its backoff fails /readyz too: list the children that
	// serve when a crashing worker should not take the server out of its
	// load balancer.
	Require []string
	// Timeout bounds how long a probe waits for the tree's snapshot;
	// zero means one second. A supervisor that does not answer in time
	// is not live.
	Timeout time.Duration
}

// Handler serves GET /livez and GET /readyz for one tree. Its probes only
// read the tree's snapshots: at most one snapshot is under way at a time,
// however many probes come, so a stuck tree costs one goroutine, not one
// per probe.
type Handler struct {
	root  *supervisor.Supervisor
	opts  Options
	taker *probe.Taker
}

// New returns the handler for the tree whose root is root.
func New(root *supervisor.Supervisor, opts Options) *Handler {
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	return &Handler{root: root, opts: opts, taker: probe.New(root)}
}

// ServeHTTP answers /livez and /readyz (by the last element of the URL's
// path, so the handler may be mounted under a prefix), 404 for any other
// path, 405 for a method other than GET and HEAD.
func (h *Handler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch last(req.URL.Path) {
	case "livez":
		h.serveLive(w, req.Context())
	case "readyz":
		h.serveReady(w, req.Context())
	default:
		http.NotFound(w, req)
	}
}

func last(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

func (h *Handler) serveLive(w http.ResponseWriter, ctx context.Context) {
	snap, ok := h.tree(ctx)
	switch {
	case !ok:
		http.Error(w, "not live: the supervisor did not answer", http.StatusServiceUnavailable)
	case snap == nil || !snap.Running:
		http.Error(w, "not live: the supervisor stopped", http.StatusServiceUnavailable)
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	}
}

func (h *Handler) serveReady(w http.ResponseWriter, ctx context.Context) {
	rep := h.Check(ctx)
	w.Header().Set("Content-Type", "application/json")
	if !rep.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(rep)
}

// Check returns the tree's readiness, as /readyz does; a tree that does
// not answer within the timeout is not ready.
func (h *Handler) Check(ctx context.Context) Report {
	snap, ok := h.tree(ctx)
	if !ok {
		return Report{NotReady: []Node{{Path: h.root.Name(), State: "not_answering"}}}
	}
	return Check(snap, h.opts.Require...)
}

// tree returns the tree's snapshot, and false when it was not taken
// within the timeout or before ctx ended.
func (h *Handler) tree(ctx context.Context) (*supervisor.Snapshot, bool) {
	ctx, cancel := context.WithTimeout(ctx, h.opts.Timeout)
	defer cancel()
	return h.taker.Tree(ctx)
}
