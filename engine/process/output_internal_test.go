package process

import (
	"io"
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

// dripSource hands out its chunks one read at a time and reports itself dry
// before each chunk after the first, as a pipe of a child that pauses does.
type dripSource struct {
	chunks []string
	reads  int
	onDry  func()
}

func (s *dripSource) read(room func() []byte, dry func()) (int, error) {
	if s.reads > 0 {
		dry()
		if s.onDry != nil {
			s.onDry()
		}
	}
	if s.reads == len(s.chunks) {
		return 0, io.EOF
	}
	c := s.chunks[s.reads]
	s.reads++
	b := room()
	if len(b) < len(c) {
		// A real read takes what fits; the rest comes with the next one.
		s.chunks = append(s.chunks[:s.reads], append([]string{c[len(b):]}, s.chunks[s.reads:]...)...)
		c = c[:len(b)]
	}
	return copy(b, c), nil
}

func TestReadLinesGrowsAndShrinks(t *testing.T) {
	long := strings.Repeat("x", 3*lineBufSize)
	tests := []struct {
		name   string
		chunks []string
		want   []string
	}{
		{"long then short", []string{long + "\nshort\n"}, []string{long, "short"}},
		{"line across a pause", []string{"par", "tial\r\n", "next"}, []string{"partial", "next"}},
		{"long line across pauses", []string{long[:5000], long[5000:], "\nshort\n"}, []string{long, "short"}},
		{"exactly the limit", []string{strings.Repeat("z", maxLineLen) + "\nend\n"}, []string{strings.Repeat("z", maxLineLen), "end"}},
		{"one byte over", []string{strings.Repeat("z", maxLineLen+1) + "\n"}, []string{strings.Repeat("z", maxLineLen), "z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			src := &dripSource{chunks: append([]string(nil), tt.chunks...)}
			if err := readSourceLines(src, func(b []byte) { got = append(got, string(b)) }); err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got = %d lines %v; want %d lines %v", len(got), lens(got), len(tt.want), lens(tt.want))
			}
		})
	}
}

func lens(lines []string) []int {
	n := make([]int, len(lines))
	for i, l := range lines {
		n[i] = len(l)
	}
	return n
}

// A quiet pipe holds no buffer, a grown buffer shrinks back to the small
// size once what is pending fits in it, and what is pending survives both.
func TestLineBufReleasedWhenDry(t *testing.T) {
	var l lineBuf
	fill := func(s string) {
		for len(s) > 0 {
			n := copy(l.room(), s)
			l.b = l.b[:len(l.b)+n]
			s = s[n:]
		}
	}
	var got []string
	emit := func(b []byte) { got = append(got, string(b)) }

	fill("hello\n")
	l.emitLines(emit)
	l.dry()
	if l.b != nil {
		t.Fatalf("after a drained line and dry: buffer of cap %d held; want none", cap(l.b))
	}
	fill(strings.Repeat("x", 2*lineBufSize) + "\npart")
	if c := cap(l.b); c <= lineBufSize {
		t.Fatalf("cap after a long line = %d; want more than %d", c, lineBufSize)
	}
	l.emitLines(emit)
	l.dry()
	if c := cap(l.b); c != lineBufSize {
		t.Fatalf("cap after dry with a short line pending = %d; want %d", c, lineBufSize)
	}
	fill("ial\n")
	l.emitLines(emit)
	want := []string{"hello", strings.Repeat("x", 2*lineBufSize), "partial"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got = %v; want %v", lens(got), lens(want))
	}
}
