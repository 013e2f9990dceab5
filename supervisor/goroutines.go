package supervisor

import (
	"bufio"
	"bytes"
	"runtime/pprof"
	"strconv"
	"strings"
)

// WithGoroutines returns a copy of the snapshot (and of the child
// supervisors' snapshots in Sub) whose ChildStatus.Goroutines are filled
// in from one goroutine profile: the goroutines labelled with the child's
// path or a path below it, the supervisor's own idle worker and stopper
// left out. The profile stops the world only briefly (Go gathers it
// concurrently); docs/performance.md has its cost with 100,000
// goroutines.
func (s *Snapshot) WithGoroutines() *Snapshot {
	if s == nil {
		return nil
	}
	return s.withCounts(GoroutinesByPath())
}

func (s *Snapshot) withCounts(counts map[string]int) *Snapshot {
	out := *s
	out.Children = append([]ChildStatus(nil), s.Children...)
	for i := range out.Children {
		c := &out.Children[i]
		c.Goroutines = counts[c.Path]
		if c.Sub != nil {
			c.Sub = c.Sub.withCounts(counts)
		}
	}
	return &out
}

// GoroutinesByPath returns, for every path that labels a goroutine, the
// number of goroutines labelled with it or with a path below it (so a
// child supervisor's count includes its children's), leaving out the
// supervisors' own idle workers and stoppers. It reads one goroutine
// profile.
func GoroutinesByPath() map[string]int {
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
			// A frame: the same functions goroutinesOf recognises.
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
	key := strconv.Quote(labelKey) + ":"
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
