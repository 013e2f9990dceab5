package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes that f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// deepFiles are files nested depth deep in each way YAML can nest, with
// where the level one past MaxNesting opens.
var deepFiles = []struct {
	name      string
	data      func(depth int) string
	line, col int
}{
	{"flow lists", func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) + "\n" }, 1, 129},
	{"flow mappings", func(n int) string { return strings.Repeat("{a: ", n) + "x" + strings.Repeat("}", n) + "\n" }, 1, 513},
	{"flow pairs", func(n int) string {
		return strings.Repeat("[", n%2) + strings.Repeat("[p: ", n/2) + "x" + strings.Repeat("]", n/2+n%2) + "\n"
	}, 1, 256},
	{"flow supervisors", func(n int) string {
		return "children: " + strings.Repeat("[{name: a, children: ", (n-2)/2) + strings.Repeat("[", n%2) + "[]" +
			strings.Repeat("]", n%2) + strings.Repeat("}]", (n-2)/2) + "\n"
	}, 1, 1335},
	{"compact lists", func(n int) string { return strings.Repeat("- ", n) + "x\n" }, 1, 257},
	{"indented mappings", func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat(" ", i) + "a:\n")
		}
		return b.String()
	}, 129, 129},
	{"lists at their key's column", func(n int) string {
		var b strings.Builder
		b.WriteString("a:\n")
		for i := range (n - 1) / 2 {
			b.WriteString(strings.Repeat(" ", 2*i) + "- a:\n")
		}
		if n%2 == 0 {
			b.WriteString(strings.Repeat(" ", n-2) + "- x\n")
		}
		return b.String()
	}, 65, 129},
}

// TestNestingLimit checks that each way of nesting is accepted at
// MaxNesting and refused one level past it, at that level, without
// parsing.
func TestNestingLimit(t *testing.T) {
	for _, tt := range deepFiles {
		t.Run(tt.name, func(t *testing.T) {
			for _, depth := range []int{MaxNesting, MaxNesting + 1} {
				if got, ok := yamlDepth([]byte(tt.data(depth))); !ok || got != depth {
					t.Fatalf("the parser finds the test's file %d deep nested %d deep (valid: %v)", depth, got, ok)
				}
			}
			if _, over := nestingOver([]byte(tt.data(MaxNesting)), MaxNesting); over {
				t.Errorf("a file %d deep is refused; want it accepted", MaxNesting)
			}
			_, err := Parse("deep.yaml", []byte(tt.data(MaxNesting+1)))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse = %v; want an *Error", err)
			}
			p := ce.Problems[0]
			if len(ce.Problems) != 1 || !strings.Contains(p.Msg, "nested more than 128 deep") {
				t.Errorf("Parse = %v; want one problem saying nested more than 128 deep", err)
			}
			if p.Line != tt.line || p.Column != tt.col {
				t.Errorf("problem at %d:%d; want %d:%d", p.Line, p.Column, tt.line, tt.col)
			}
		})
	}
}

// TestLimitsRefuseCheaply checks that a file past a limit is refused
// before the parser runs: a file 10,000 deep used to take 3 GB.
func TestLimitsRefuseCheaply(t *testing.T) {
	dir := t.TempDir()
	type file struct{ name, path, want string }
	var files []file
	for _, tt := range deepFiles {
		depth := 10_000
		if tt.line > 1 {
			depth = 1_000 // the file grows with the square of its depth
		}
		path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".yaml")
		if err := os.WriteFile(path, []byte(tt.data(depth)), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file{tt.name, path, "nested more than 128 deep"})
	}
	huge := filepath.Join(dir, "huge.yaml")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(f.Truncate(64<<20), f.Close()); err != nil {
		t.Fatal(err)
	}
	files = append(files, file{"64 MiB", huge, "huge.yaml: the file is larger than the limit of 16 MiB"})
	for _, tt := range files {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			used := allocated(func() { _, err = Load(tt.path) })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v; want an error saying %q", err, tt.want)
			}
			// The file itself is read; the parser would take gigabytes.
			if used > 8<<20 {
				t.Errorf("Load allocated %d MiB; want under 8 MiB", used>>20)
			}
		})
	}
}

// endless is a reader that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '#'
	}
	return len(p), nil
}

// TestReadBoundedEndless checks that a file that never ends, such as a
// device, is read only to the limit.
func TestReadBoundedEndless(t *testing.T) {
	var err error
	used := allocated(func() { _, err = readBounded("zero", io.Reader(endless{}), 512) })
	var ce *Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "larger than the limit of 16 MiB") {
		t.Errorf("readBounded = %v; want the size limit's problem", err)
	}
	if used > 100<<20 {
		t.Errorf("readBounded allocated %d MiB; want under 100 MiB", used>>20)
	}
}

// TestSizeLimitParse checks that Parse, given the data itself, refuses
// data past the limit with the size problem and no line, and takes data
// of exactly the limit.
func TestSizeLimitParse(t *testing.T) {
	tail := "children: [{name: a, command: [a]}]\n"
	data := []byte(strings.Repeat("\n", MaxFileSize-len(tail)) + tail)
	if _, err := Parse("ok.yaml", data); err != nil {
		t.Errorf("Parse of %d bytes = %.200v; want no error", len(data), err)
	}
	_, err := Parse("big.yaml", append(data, '\n'))
	if got, want := fmt.Sprint(err), "big.yaml: the file is larger than the limit of 16 MiB"; !strings.HasPrefix(got, want) {
		t.Errorf("Parse = %q; want it to start %q", got, want)
	}
}
