package logging

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/arborgo/arbor/engine"
)

func TestFormats(t *testing.T) {
	for _, format := range []string{Auto, "", JSON} {
		var b bytes.Buffer
		log, err := New(&b, format, Info)
		if err != nil {
			t.Fatal(err)
		}
		log.Info("child exited", "event", "exited", "path", "r/a", "code", 3)
		var m map[string]any
		if err := json.Unmarshal(b.Bytes(), &m); err != nil || m["event"] != "exited" || m["code"] != 3.0 {
			t.Errorf("format %q, not a terminal: %s (%v), want JSON", format, b.String(), err)
		}
	}
	var b bytes.Buffer
	log, _ := New(&b, Text, Info)
	log.Info("child exited", "event", "exited", "path", "r/a")
	if s := b.String(); !strings.Contains(s, "child exited event=exited path=r/a") || strings.Contains(s, "\x1b[") {
		t.Errorf("text, not a terminal: %q, want uncoloured text", s)
	}
	if _, err := New(&b, "xml", Info); err == nil {
		t.Error("New accepted format xml")
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) || IsTerminal(&bytes.Buffer{}) {
		t.Error("a file or a buffer is a terminal")
	}
}

// A panic's stack is indented lines beneath its record in text, and one
// field of a one-line record in JSON.
func TestPanicStack(t *testing.T) {
	stack := engine.NewPanicError("boom", 0).Stack()
	if !strings.Contains(stack, "\n\t") {
		t.Fatalf("stack %q has no frame lines", stack)
	}
	var text, js bytes.Buffer
	for _, l := range []struct {
		b      *bytes.Buffer
		format string
	}{{&text, Text}, {&js, JSON}} {
		log, err := New(l.b, l.format, Info)
		if err != nil {
			t.Fatal(err)
		}
		log.Error("child exited", "event", "exited", "path", "r/a", "error", "panic: boom", "stack", stack)
	}
	lines := strings.Split(strings.TrimSuffix(text.String(), "\n"), "\n")
	if strings.Contains(text.String(), `\n`) || len(lines) < 3 || !strings.Contains(lines[0], `path=r/a error="panic: boom"`) ||
		!strings.HasPrefix(lines[1], "    github.com/arborgo/arbor/") || !strings.HasPrefix(lines[2], "        /") {
		t.Errorf("text:\n%s\nwant the record, then indented frames", text.String())
	}
	var m map[string]any
	if err := json.Unmarshal(js.Bytes(), &m); err != nil || strings.Count(js.String(), "\n") != 1 || m["stack"] != stack {
		t.Errorf("json: %s (%v); want one line with the stack as one field", js.String(), err)
	}
}

// TestLevel: --log-level drops supervise's own records below it, never a
// child's output line, and an unknown level is refused.
func TestLevel(t *testing.T) {
	var b bytes.Buffer
	log, err := New(&b, JSON, Warn)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("child started", "event", "started")
	log.With("path", "r/a").Info("a line", "stream", "stdout")
	log.Warn("child exited", "event", "exited")
	got := b.String()
	for _, want := range []string{`"msg":"a line"`, `"msg":"child exited"`} {
		if !strings.Contains(got, want) {
			t.Errorf("log %q; want it to hold %s", got, want)
		}
	}
	if strings.Contains(got, "child started") {
		t.Errorf("log %q; want no info record of supervise's own", got)
	}
	if _, err := New(&b, JSON, "loud"); err == nil || !strings.Contains(err.Error(), "--log-level") {
		t.Errorf("New(loud) = %v; want an error naming --log-level", err)
	}
}
