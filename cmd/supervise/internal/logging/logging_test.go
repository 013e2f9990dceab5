package logging

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestFormats(t *testing.T) {
	for _, format := range []string{Auto, "", JSON} {
		var b bytes.Buffer
		log, err := New(&b, format)
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
	log, _ := New(&b, Text)
	log.Info("child exited", "event", "exited", "path", "r/a")
	if s := b.String(); !strings.Contains(s, "child exited event=exited path=r/a") || strings.Contains(s, "\x1b[") {
		t.Errorf("text, not a terminal: %q, want uncoloured text", s)
	}
	if _, err := New(&b, "xml"); err == nil {
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
