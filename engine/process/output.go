package process

import (
	"bufio"
	"errors"
	"io"
	"os"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// maxLineLen bounds a logged line. Longer lines are logged in pieces of at
// most this size (plus up to three bytes, so that no UTF-8 character is cut
// in two): a line is never dropped, and memory stays bounded whatever the
// child writes.
const maxLineLen = 64 << 10

// drainGrace is how long Run waits for the output pipes to reach EOF after
// the main process exited and its group was killed. Only a process that
// left the group (setsid, a double fork into a new group) can still hold a
// pipe open after that; Run then reads what is buffered and stops.
const drainGrace = 2 * time.Second

// drainIdle is how long a pipe must stay empty, once Run stopped waiting
// for its EOF, before the pump takes it as finished.
const drainIdle = 50 * time.Millisecond

// errOutputCut reports that a pump gave up on a pipe still held open by a
// process outside the group.
var errOutputCut = errors.New("output pipe still held open by a process outside the group; stopped reading")

// pipeReader reads an output pipe until EOF, or, once stopWaiting was
// called, until the pipe stays empty for drainIdle.
type pipeReader struct {
	f   *os.File
	cut atomic.Bool
}

func (p *pipeReader) Read(b []byte) (int, error) {
	n, err := p.f.Read(b)
	if !p.cut.Load() || !errors.Is(err, os.ErrDeadlineExceeded) {
		return n, err
	}
	// stopWaiting expired the deadline, possibly while data was arriving:
	// take what the pipe holds, and stop only when it holds nothing.
	_ = p.f.SetReadDeadline(time.Now().Add(drainIdle))
	n, err = p.f.Read(b)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return n, errOutputCut
	}
	return n, err
}

// stopWaiting makes Read give up once the pipe is empty. It wakes a Read
// blocked on an empty pipe.
func (p *pipeReader) stopWaiting() {
	p.cut.Store(true)
	_ = p.f.SetReadDeadline(time.Now())
}

// readLines calls emit with every line read from r, without its line end,
// in order: lines longer than maxLineLen in pieces, and a last line without
// newline too. The slice passed to emit is valid only during the call. It
// returns nil at EOF.
func readLines(r io.Reader, emit func([]byte)) error {
	br := bufio.NewReaderSize(r, maxLineLen)
	var carry []byte // the start of a UTF-8 character cut by a split
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case err == nil:
			emit(trimLineEnd(joinCarry(carry, chunk)))
			carry = carry[:0]
		case errors.Is(err, bufio.ErrBufferFull):
			cut := runeCut(chunk)
			emit(joinCarry(carry, chunk[:cut]))
			carry = append(carry[:0], chunk[cut:]...)
		default:
			if len(carry)+len(chunk) > 0 {
				emit(trimLineEnd(joinCarry(carry, chunk)))
			}
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

func joinCarry(carry, chunk []byte) []byte {
	if len(carry) == 0 {
		return chunk
	}
	return append(carry, chunk...)
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
