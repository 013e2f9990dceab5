package process

import (
	"errors"
	"io"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

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
// called, until the pipe stays empty for drainIdle. It is a source: it
// waits for the pipe to be readable before it asks for a buffer, so that a
// pump of a quiet child holds none.
type pipeReader struct {
	f   *os.File
	rc  syscall.RawConn
	cut atomic.Bool

	// The state of the read under way, kept here so that the callback
	// given to rc.Read is made once, not at every read.
	onReady func(fd uintptr) bool
	room    func() []byte
	dry     func()
	n       int
	readErr error
}

func newPipeReader(f *os.File) *pipeReader {
	p := &pipeReader{f: f}
	p.onReady = p.readReady
	return p
}

func (p *pipeReader) read(room func() []byte, dry func()) (int, error) {
	n, err := p.readOnce(room, dry)
	if !p.cut.Load() || !errors.Is(err, os.ErrDeadlineExceeded) {
		return n, err
	}
	// stopWaiting expired the deadline, possibly while data was arriving:
	// take what the pipe holds, and stop only when it holds nothing.
	_ = p.f.SetReadDeadline(time.Now().Add(drainIdle))
	n, err = p.readOnce(room, dry)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return n, errOutputCut
	}
	return n, err
}

func (p *pipeReader) readOnce(room func() []byte, dry func()) (int, error) {
	if p.rc == nil {
		rc, err := p.f.SyscallConn()
		if err != nil {
			return 0, err
		}
		p.rc = rc
	}
	p.room, p.dry, p.n, p.readErr = room, dry, 0, nil
	err := p.rc.Read(p.onReady)
	p.room, p.dry = nil, nil
	switch {
	case err != nil:
		return 0, err
	case p.readErr != nil:
		return 0, &os.PathError{Op: "read", Path: p.f.Name(), Err: p.readErr}
	case p.n == 0:
		return 0, io.EOF
	}
	return p.n, nil
}

// readReady reads what the pipe holds; when it holds nothing it says the
// pipe ran dry and has rc.Read wait until it is readable.
func (p *pipeReader) readReady(fd uintptr) bool {
	for {
		p.n, p.readErr = readFD(fd, p.room())
		if p.readErr != syscall.EINTR {
			break
		}
	}
	if p.readErr == syscall.EAGAIN {
		p.n, p.readErr = 0, nil
		p.dry()
		return false
	}
	if p.readErr != nil {
		p.n = 0
	}
	return true
}

// stopWaiting makes read give up once the pipe is empty. It wakes a read
// blocked on an empty pipe.
func (p *pipeReader) stopWaiting() {
	p.cut.Store(true)
	_ = p.f.SetReadDeadline(time.Now())
}
