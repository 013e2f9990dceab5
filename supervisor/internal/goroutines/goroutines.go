// Package goroutines reads goroutine profiles for the goroutines of a
// supervisor's children, which carry their child's path in the LabelKey
// label. The supervisor, its metrics and its leak watch count them by path;
// the frame names it recognises are the supervisor's own functions, so it
// lives beside them.
package goroutines

import (
	"bufio"
	"bytes"
	"runtime/pprof"
	"strconv"
	"strings"
)

// LabelKey is the runtime/pprof label that carries a child's path on
// every goroutine of the child: its worker, its stopper, and whatever its
// engine starts. CPU and goroutine profiles attribute work by it.
const LabelKey = "arbor.path"

// Of returns the goroutine-profile stacks of the goroutines
// labelled with path or a path below it, leaving out the supervisor's own
// worker and stopper unless they are inside the engine's Run or Stop.
func Of(path string) []string {
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
		return nil
	}
	// The profile prints labels quoted, as %q does: a path with a quote or
	// a non-ASCII name matches only quoted.
	key := strconv.Quote(LabelKey) + ":"
	exact := key + strconv.Quote(path)
	below := key + strings.TrimSuffix(strconv.Quote(path+"/"), `"`)
	var out []string
	_, profile, _ := strings.Cut(buf.String(), "\n") // the "goroutine profile: total N" line
	for _, block := range strings.Split(profile, "\n\n") {
		if !strings.Contains(block, exact) && !strings.Contains(block, below) {
			continue
		}
		// The supervisor's own worker and stopper are left out while they
		// are idle; inside the engine's Run or Stop they show where it
		// hangs.
		own := strings.Contains(block, "supervisor.(*child).work") || strings.Contains(block, "supervisor.(*child).stopRun") ||
			strings.Contains(block, "supervisor.(*child).awaitWorker")
		inEngine := strings.Contains(block, "supervisor.(*worker).callRun") || strings.Contains(block, "supervisor.(*child).callStop")
		if own && !inEngine {
			continue
		}
		out = append(out, block)
	}
	return out
}

// ByPath returns, for every path that labels a goroutine, the
// number of goroutines labelled with it or with a path below it (so a
// child supervisor's count includes its children's), leaving out the
// supervisors' own idle workers and stoppers. It reads one goroutine
// profile.
func ByPath() map[string]int {
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
		return nil
	}
	counts := make(map[string]int)
	for path, n := range parseGoroutineCounts(buf.Bytes()) {
		for p := path; ; {
			counts[p] += n
			i := strings.LastIndexByte(p, '/')
			if i < 0 {
				break
			}
			p = p[:i]
		}
	}
	return counts
}

// parseGoroutineCounts reads a goroutine profile at debug level 1, where
// goroutines with the same stack and labels share a block headed by their
// count, and returns the count per exact arbor.path label.
func parseGoroutineCounts(profile []byte) map[string]int {
	out := make(map[string]int)
	sc := bufio.NewScanner(bytes.NewReader(profile))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var (
		n             int
		path          string
		own, inEngine bool
	)
	flush := func() {
		if path != "" && (!own || inEngine) {
			out[path] += n
		}
		n, path, own, inEngine = 0, "", false, false
	}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "# labels: "):
			path = labelPath(line)
		case strings.HasPrefix(line, "#"):
			// A frame: the same functions Of recognises.
			own = own || strings.Contains(line, "supervisor.(*child).work") ||
				strings.Contains(line, "supervisor.(*child).stopRun") || strings.Contains(line, "supervisor.(*child).awaitWorker")
			inEngine = inEngine || strings.Contains(line, "supervisor.(*worker).callRun") ||
				strings.Contains(line, "supervisor.(*child).callStop")
		default:
			if count, _, ok := strings.Cut(line, " @ "); ok {
				n, _ = strconv.Atoi(count)
			}
		}
	}
	flush()
	return out
}

// labelPath returns the arbor.path value of a profile's labels line, ""
// when it has none.
func labelPath(line string) string {
	key := strconv.Quote(LabelKey) + ":"
	i := strings.Index(line, key)
	if i < 0 {
		return ""
	}
	q, err := strconv.QuotedPrefix(line[i+len(key):])
	if err != nil {
		return ""
	}
	v, err := strconv.Unquote(q)
	if err != nil {
		return ""
	}
	return v
}
