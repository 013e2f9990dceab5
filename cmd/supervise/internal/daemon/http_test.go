package daemon

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/arborgo/arbor/cmd/supervise/internal/config"
)

// httpAddr returns the address of the HTTP server that supervise logged.
func httpAddrOf(t *testing.T, log *syncBuffer) string {
	t.Helper()
	waitLog(t, log, `"http":"`)
	m := regexp.MustCompile(`"http":"([^"]+)"`).FindStringSubmatch(log.String())
	return "http://" + m[1]
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHTTPEndpoints: with http: in the file, supervise serves /livez,
// /readyz, /metrics (the tree's series and the process collector's) and
// /status, refuses to change anything, and during the drain answers 503
// on /readyz while the children still run.
func TestHTTPEndpoints(t *testing.T) {
	sig, wait, log := runTree(t, "name: r\nhttp: 127.0.0.1:0\ndrain: 1s\nchildren:\n"+
		"  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}\n"+
		"  - {name: init, restart: transient, command: [/bin/sh, -c, 'exit 0'], ready: {exit: 0}}\n")
	base := httpAddrOf(t, log)
	waitLog(t, log, `"event":"started","path":"r/a"`)
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, body := get(t, base+"/readyz")
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz = %v %s; want 200", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, _ := get(t, base+"/livez"); code != 200 {
		t.Errorf("/livez = %v; want 200", code)
	}
	code, body := get(t, base+"/metrics")
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if code != 200 || err != nil {
		t.Fatalf("/metrics = %v, %v", code, err)
	}
	for _, name := range []string{"arbor_child_up", "arbor_child_exits_total", "arbor_supervisor_intensity_used_ratio", "process_start_time_seconds"} {
		if fams[name] == nil {
			t.Errorf("/metrics has no %s", name)
		}
	}
	code, body = get(t, base+"/status")
	var st struct {
		Name  string `json:"name"`
		Ready struct {
			Ready bool `json:"ready"`
		} `json:"ready"`
	}
	if err := json.Unmarshal([]byte(body), &st); code != 200 || err != nil || st.Name != "r" || !st.Ready.Ready {
		t.Errorf("/status = %v %s (%v); want 200, the tree r, ready", code, body, err)
	}
	resp, err := http.Post(base+"/readyz", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /readyz = %v; want 405", resp.StatusCode)
	}

	sig()
	waitLog(t, log, `"event":"draining"`) // the signal reaches the tree on another goroutine
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, `"stopping"`) {
		t.Errorf("/readyz while draining = %v %s; want 503 stopping", code, body)
	}
	if strings.Contains(log.String(), `"event":"stopping","path":"r/a"`) {
		t.Errorf("r/a stopping before the drain ended")
	}
	if code := wait(); code != ExitOK {
		t.Errorf("exit code %d, want 0", code)
	}
}

// TestHTTPFlagWins: --http replaces the file's http:, and the server is
// off unless one of them names an address.
func TestHTTPFlagWins(t *testing.T) {
	tests := []struct{ flag, file, want string }{
		{"", "", ""},
		{"", ":9090", ":9090"},
		{"127.0.0.1:8080", ":9090", "127.0.0.1:8080"},
		{"127.0.0.1:8080", "", "127.0.0.1:8080"},
	}
	for _, tt := range tests {
		o := Options{HTTP: tt.flag, File: &config.File{HTTP: tt.file}}
		if got := o.httpAddr(); got != tt.want {
			t.Errorf("--http %q, http: %q: address %q; want %q", tt.flag, tt.file, got, tt.want)
		}
	}
}

// TestHTTPFlagBad: a bad --http exits 2 before anything starts.
func TestHTTPFlagBad(t *testing.T) {
	var stdout, stderr strings.Builder
	if code := RunMain([]string{"--http", "nope", "t.yaml"}, &stdout, &stderr); code != ExitInvalid ||
		!strings.Contains(stderr.String(), `--http: found "nope", expected an address host:port or :port`) {
		t.Errorf("run --http nope = %v %q; want %v and the reason", code, stderr.String(), ExitInvalid)
	}
}

// TestHTTPAddressInUse: an address that is taken exits 2, nothing started.
func TestHTTPAddressInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	file, err := config.Parse("t.yaml", []byte("name: r\nhttp: "+l.Addr().String()+"\nchildren:\n  - {name: a, command: [/bin/sh, -c, 'exec sleep 100']}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var log, stderr syncBuffer
	code := Run(context.Background(), Options{File: file, Socket: filepath.Join(t.TempDir(), "s.sock"),
		Logger: slog.New(slog.NewJSONHandler(&log, nil)), Stderr: &stderr})
	if code != ExitInvalid || !strings.Contains(log.String(), `"error":"http: listen tcp`) {
		t.Errorf("exit code %d, log %q; want %d and the listen error", code, log.String(), ExitInvalid)
	}
	if strings.Contains(log.String(), `"event":"started"`) {
		t.Errorf("a child started:\n%s", log.String())
	}
}
