package simulate

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestExperiments checks that the example experiments still bear out the
// conclusions their README draws.
func TestExperiments(t *testing.T) {
	const dir = "../../../../examples/experiments/"
	results := func(args ...string) []jsonResult {
		t.Helper()
		var out, errs bytes.Buffer
		if code := Main(append(args, "--json"), &out, &errs); code != 0 {
			t.Fatalf("simulate %v: exit %d: %s", args, code, errs.String())
		}
		var got jsonOutput
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		return got.Variants
	}
	child := func(r jsonResult, path string) jsonChild {
		for _, c := range r.Children {
			if c.Path == path {
				return c
			}
		}
		t.Fatalf("%s: no child %s", r.Name, path)
		return jsonChild{}
	}

	flap := results("--duration", "24h", dir+"flapping-one_for_one.yaml", dir+"flapping-rest_for_one.yaml")
	for _, path := range []string{"shop/db", "shop/api"} {
		if a, b := child(flap[0], path).Availability, child(flap[1], path).Availability; a <= b {
			t.Errorf("%s availability: one_for_one %v, rest_for_one %v; want one_for_one higher", path, a, b)
		}
	}

	loop := results(dir+"crash-loop.yaml", "--vary", "backoff.initial=500ms,1s")
	if loop[0].GaveUp == nil || loop[1].GaveUp != nil {
		t.Errorf("crash loop: gave up with 500ms = %v, with 1s = %v; want only the first", loop[0].GaveUp, loop[1].GaveUp)
	}

	// The library's defaults ride out a dependency down for 30 s; OTP's
	// restart at once gives up.
	def := results(dir+"defaults.yaml", "--duration", "10m", "--vary", "backoff.initial=100ms,0s")
	if def[0].GaveUp != nil || def[1].GaveUp == nil {
		t.Errorf("defaults: gave up with backoff = %v, without = %v; want only the second", def[0].GaveUp, def[1].GaveUp)
	}
	if w := child(def[0], "app/worker"); w.LongestOutageSeconds > 40 {
		t.Errorf("defaults: the worker was down %vs; want it back within 10 s of its dependency (30 s)", w.LongestOutageSeconds)
	}

	rec := results(dir+"outage-recovery.yaml", "--duration", "2h", "--vary", "backoff.max=10s,5m")
	short, long := child(rec[0], "pay/gateway"), child(rec[1], "pay/gateway")
	if short.LongestOutageSeconds >= long.LongestOutageSeconds || short.Restarts <= long.Restarts {
		t.Errorf("gateway: cap 10s: outage %vs, %d restarts; cap 5m: %vs, %d; want the short cap to recover sooner at more restarts",
			short.LongestOutageSeconds, short.Restarts, long.LongestOutageSeconds, long.Restarts)
	}
}
