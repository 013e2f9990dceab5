package control

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/arborgo/arbor/supervisor/health"
)

// TestStatusCheck: --check exits 0 for a ready tree and prints nothing,
// 3 for a degraded one and prints each child that is not ready, 1 when no
// supervise answers.
func TestStatusCheck(t *testing.T) {
	tests := []struct {
		name  string
		ready *health.Report
		code  int
		out   string
	}{
		{"ready", &health.Report{Ready: true}, 0, ""},
		{"degraded", &health.Report{NotReady: []health.Node{{Path: "shop/db", State: "backing_off", BackoffLeft: 1.5},
			{Path: "shop/web", State: "starting"}}}, 3,
			"shop: not ready\n  shop/db backing_off (restart in 1.5s)\n  shop/web starting\n"},
		{"draining", &health.Report{NotReady: []health.Node{{Path: "shop", State: "stopping"}}}, 3,
			"shop: not ready\n  shop stopping\n"},
		{"silent", nil, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(sockDir(t), "s.sock")
			l, err := Listen(path)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				srv := Server{Status: func(context.Context) Status { return Status{Name: "shop", Ready: tt.ready} }}
				done <- srv.Serve(ctx, l)
			}()
			var stdout, stderr bytes.Buffer
			code := StatusMain([]string{"--check", "--socket", path}, &stdout, &stderr)
			if code != tt.code || stdout.String() != tt.out {
				t.Errorf("status --check = %v %q; want %v %q (stderr %q)", code, stdout.String(), tt.code, tt.out, stderr.String())
			}
			cancel()
			<-done
		})
	}
	var stdout, stderr bytes.Buffer
	if code := StatusMain([]string{"--check", "--socket", filepath.Join(sockDir(t), "none.sock")}, &stdout, &stderr); code != 1 {
		t.Errorf("status --check with no supervise = %v; want 1", code)
	}
}
