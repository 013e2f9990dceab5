package process

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadLinesSplitsOnRuneBoundaries(t *testing.T) {
	// "é" is two bytes; with a 1-byte prefix one of them straddles every
	// 64 KiB boundary.
	line := "a" + strings.Repeat("é", maxLineLen)
	var got []string
	if err := readLines(strings.NewReader(line+"\nend"), func(b []byte) { got = append(got, string(b)) }); err != nil {
		t.Fatal(err)
	}
	if last := got[len(got)-1]; last != "end" {
		t.Fatalf("last line %q, want end", last)
	}
	joined := strings.Join(got[:len(got)-1], "")
	if joined != line {
		t.Fatalf("pieces join to %d bytes, want the %d of the line", len(joined), len(line))
	}
	for i, piece := range got {
		if !utf8.ValidString(piece) || len(piece) > maxLineLen+utf8.UTFMax {
			t.Fatalf("piece %d: %d bytes, valid UTF-8 %v", i, len(piece), utf8.ValidString(piece))
		}
	}
}
