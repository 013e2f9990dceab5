package daemon

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
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
