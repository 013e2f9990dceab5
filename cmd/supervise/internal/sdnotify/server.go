package sdnotify

import "errors"

// MaxDatagram bounds the size of a message that Conn reads: systemd's own
// limit is a page, and supervise's children have no more to say.
const MaxDatagram = 4096

// ErrUnsupported is returned by Listen where the kernel does not tell a
// datagram's sender (everywhere but Linux).
var ErrUnsupported = errors.New("sdnotify: receiving notifications needs Linux (SO_PASSCRED)")

// Cred is the sender of a message, as the kernel vouches for it: the
// process that sent it, and its user and group IDs, in the receiver's
// namespaces.
type Cred struct {
	PID, UID, GID int
}

// Dropped counts what a Conn read and threw away.
type Dropped struct {
	// Oversize datagrams were longer than MaxDatagram.
	Oversize uint64
	// Anonymous datagrams came without the sender's credentials, or
	// from a process outside the receiver's PID namespace (PID 0): their
	// sender cannot be told, so they cannot be attributed to a child.
	Anonymous uint64
}
