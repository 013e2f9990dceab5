package process

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// On Linux one goroutine reads both pipes of a run: an epoll instance of
// its own holds the two, and is itself waited for through the runtime's
// poller, which wakes the goroutine when either pipe is readable. An idle
// child so costs one parked goroutine for its output, not two, and no
// buffer (see lineBuf). The portable pipePumps remain the fallback when the
// instance cannot be made.

// muxPump is the outputPump of one run on Linux.
type muxPump struct {
	ep      *os.File // the epoll instance
	epfd    int      // its descriptor, which ep keeps open while run runs
	rc      syscall.RawConn
	streams [2]muxStream
	cut     atomic.Bool
	done    chan struct{}
	err     error // the first error, once done is closed
}

// muxStream is one pipe of a muxPump.
type muxStream struct {
	f    *os.File // kept open by Run until the pump is done
	fd   int      // -1 once the pipe was read to its end
	buf  lineBuf
	emit func([]byte)
}

func (p *Process) startOutput(emit [2]func([]byte), pipes [2]*os.File) outputPump {
	m, err := newMuxPump(emit, pipes)
	if err != nil {
		return p.startPipePumps(emit, pipes)
	}
	go m.run()
	return m
}

func newMuxPump(emit [2]func([]byte), pipes [2]*os.File) (*muxPump, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	if err := unix.SetNonblock(epfd, true); err != nil {
		unix.Close(epfd)
		return nil, err
	}
	// Non-blocking, so os registers it with the runtime's poller.
	m := &muxPump{ep: os.NewFile(uintptr(epfd), "epoll"), epfd: epfd, done: make(chan struct{})}
	if m.rc, err = m.ep.SyscallConn(); err != nil {
		m.ep.Close()
		return nil, err
	}
	for i, f := range pipes {
		s := &m.streams[i]
		s.f, s.emit = f, emit[i]
		if s.fd, err = rawFD(f); err == nil {
			ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(i)}
			err = unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, s.fd, &ev)
		}
		if err != nil {
			m.ep.Close()
			return nil, err
		}
	}
	return m, nil
}

// rawFD returns f's descriptor without the side effect of f.Fd, which would
// put the pipe in blocking mode.
func rawFD(f *os.File) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	if err := rc.Control(func(d uintptr) { fd = int(d) }); err != nil {
		return -1, err
	}
	return fd, nil
}

func (m *muxPump) run() {
	defer close(m.done)
	defer m.ep.Close()
	var events [2]unix.EpollEvent
	for open := 2; open > 0; {
		n, err := m.waitReadable(events[:])
		if err != nil {
			var names []string
			for i := range m.streams {
				if s := &m.streams[i]; s.fd >= 0 {
					names = append(names, streamNames[i])
					s.finish()
				}
			}
			m.fail(fmt.Errorf("%s: %w", strings.Join(names, ", "), err))
			return
		}
		for _, ev := range events[:n] {
			i := ev.Fd
			if s := &m.streams[i]; s.fd >= 0 && !m.readOnce(s, streamNames[i]) {
				_ = unix.EpollCtl(m.epfd, unix.EPOLL_CTL_DEL, s.fd, nil)
				s.fd = -1
				open--
			}
		}
	}
}

func (m *muxPump) fail(err error) {
	if m.err == nil {
		m.err = err
	}
}

// readOnce reads what s's pipe holds, once, and logs the lines it
// completes; false means the pipe is finished (EOF or an error).
func (m *muxPump) readOnce(s *muxStream, name string) bool {
	var (
		n   int
		err error
	)
	for {
		n, err = syscall.Read(s.fd, s.buf.room())
		if err != syscall.EINTR {
			break
		}
	}
	switch {
	case err == syscall.EAGAIN:
		s.buf.dry()
		return true
	case err != nil:
		m.fail(fmt.Errorf("%s: %w", name, &os.PathError{Op: "read", Path: s.f.Name(), Err: err}))
		s.finish()
		return false
	case n == 0:
		s.finish()
		return false
	}
	s.buf.b = s.buf.b[:len(s.buf.b)+n]
	s.buf.emitLines(s.emit)
	return true
}

// finish logs a last line without newline and gives the buffer back.
func (s *muxStream) finish() {
	if l := &s.buf; l.b != nil && l.off < len(l.b) {
		s.emit(trimLineEnd(l.b[l.off:]))
	}
	s.buf.release()
}

// waitReadable waits until a pipe is readable and returns the events;
// after stopWaiting, it gives up with errOutputCut once both stayed empty
// for drainIdle.
func (m *muxPump) waitReadable(events []unix.EpollEvent) (int, error) {
	n, err := m.waitOnce(events)
	if !m.cut.Load() || !errors.Is(err, os.ErrDeadlineExceeded) {
		return n, err
	}
	// stopWaiting expired the deadline, possibly while data was arriving:
	// take what the pipes hold, and stop only when they hold nothing.
	_ = m.ep.SetReadDeadline(time.Now().Add(drainIdle))
	n, err = m.waitOnce(events)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return n, errOutputCut
	}
	return n, err
}

func (m *muxPump) waitOnce(events []unix.EpollEvent) (int, error) {
	var (
		n    int
		werr error
	)
	err := m.rc.Read(func(fd uintptr) bool {
		for {
			n, werr = unix.EpollWait(int(fd), events, 0)
			if werr != unix.EINTR {
				break
			}
		}
		if werr == nil && n == 0 {
			// Nothing readable: both pipes are empty, and a quiet child
			// need hold no buffer.
			m.streams[0].buf.dry()
			m.streams[1].buf.dry()
			return false
		}
		return true
	})
	if err == nil && werr != nil {
		err = os.NewSyscallError("epoll_wait", werr)
	}
	return n, err
}

func (m *muxPump) stopWaiting() {
	m.cut.Store(true)
	_ = m.ep.SetReadDeadline(time.Now())
}

func (m *muxPump) wait() error {
	<-m.done
	return m.err
}
