package process

import (
	"bytes"
	"io"
	"sync"
	"unicode/utf8"
)

// maxLineLen bounds a logged line. Longer lines are logged in pieces of at
// most this size (less up to three bytes, so that no UTF-8 character is cut
// in two): a line is never dropped, and memory stays bounded whatever the
// child writes.
const maxLineLen = 64 << 10

// lineBufSize is the size a line buffer starts at. Nearly all lines are
// shorter; a longer one grows the buffer, doubling, up to maxLineLen+1 (one
// more byte to see whether a line of exactly maxLineLen ends there).
const lineBufSize = 4 << 10

// lineBufs holds the buffers of pumps whose pipe ran dry, so that the many
// quiet children of a supervisor share a few instead of holding one each.
var lineBufs = sync.Pool{New: func() any { return new([lineBufSize]byte) }}

// A source fills the space that room returns, calling it only once data is
// there, and calls dry when it is about to wait for more. It returns how
// many bytes it read, and io.EOF at the end.
type source interface {
	read(room func() []byte, dry func()) (int, error)
}

// readerSource is a source that reads an io.Reader, which cannot say when
// it would wait.
type readerSource struct{ r io.Reader }

func (s readerSource) read(room func() []byte, _ func()) (int, error) {
	return s.r.Read(room())
}

// lineBuf holds what was read and not yet emitted: b[off:]. It holds no
// buffer at all (b == nil) while the source is dry and nothing is pending.
type lineBuf struct {
	b   []byte
	off int
}

// room returns the free space after the pending bytes, making some: by
// taking a buffer, by moving the pending bytes to the front, or by growing.
func (l *lineBuf) room() []byte {
	if l.b == nil {
		l.b = lineBufs.Get().(*[lineBufSize]byte)[:0]
	}
	if len(l.b) == cap(l.b) {
		if l.off > 0 {
			n := copy(l.b, l.b[l.off:])
			l.b, l.off = l.b[:n], 0
		} else {
			grown := make([]byte, len(l.b), min(2*cap(l.b), maxLineLen+1))
			copy(grown, l.b)
			l.release()
			l.b = grown
		}
	}
	return l.b[len(l.b):cap(l.b)]
}

// dry gives the buffer back while nothing is pending, and trades a grown
// buffer for a small one as soon as what is pending fits there.
func (l *lineBuf) dry() {
	pending := l.b[l.off:]
	switch {
	case len(pending) == 0:
		l.release()
	case cap(l.b) > lineBufSize && len(pending) <= lineBufSize:
		small := lineBufs.Get().(*[lineBufSize]byte)[:len(pending)]
		copy(small, pending)
		l.release()
		l.b = small
	}
}

// release gives up the buffer: a small one to the pool, a grown one to the
// garbage collector.
func (l *lineBuf) release() {
	if cap(l.b) == lineBufSize {
		lineBufs.Put((*[lineBufSize]byte)(l.b[:lineBufSize]))
	}
	l.b, l.off = nil, 0
}

// emitLines emits every complete line pending, and pieces of maxLineLen
// of a longer one.
func (l *lineBuf) emitLines(emit func([]byte)) {
	for {
		pending := l.b[l.off:]
		if i := bytes.IndexByte(pending, '\n'); i >= 0 && i <= maxLineLen {
			emit(trimLineEnd(pending[:i+1]))
			l.off += i + 1
			continue
		}
		if len(pending) <= maxLineLen {
			break
		}
		cut := runeCut(pending[:maxLineLen])
		emit(pending[:cut])
		l.off += cut
	}
	if l.off == len(l.b) && l.b != nil {
		l.b, l.off = l.b[:0], 0
	}
}

// readLines calls emit with every line read from r, without its line end,
// in order: lines longer than maxLineLen in pieces, and a last line without
// newline too. The slice passed to emit is valid only during the call. It
// returns nil at EOF.
func readLines(r io.Reader, emit func([]byte)) error {
	return readSourceLines(readerSource{r}, emit)
}

// readSourceLines is readLines for a source.
func readSourceLines(src source, emit func([]byte)) error {
	var l lineBuf
	defer l.release()
	room, dry := l.room, l.dry
	for {
		n, err := src.read(room, dry)
		if n > 0 {
			l.b = l.b[:len(l.b)+n]
			l.emitLines(emit)
		}
		if err != nil {
			if l.b != nil && l.off < len(l.b) {
				emit(trimLineEnd(l.b[l.off:]))
			}
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

func trimLineEnd(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// runeCut returns where to split b so that an incomplete UTF-8 character
// at its end goes to the next piece.
func runeCut(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if i > 0 && !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}
