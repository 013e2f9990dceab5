//go:build !linux

package sdnotify

import (
	"context"
	"net"
)

// ServerSupported reports whether Listen works on this platform.
const ServerSupported = false

// Conn receives sd_notify messages; on this platform it cannot be made.
type Conn struct{}

// Listen returns ErrUnsupported: the kernel does not tell the sender of a
// datagram here.
func Listen(string) (*Conn, error) { return nil, ErrUnsupported }

// Read returns net.ErrClosed.
func (c *Conn) Read(context.Context) (Cred, Message, error) { return Cred{}, Message{}, net.ErrClosed }

// Dropped returns zero counts.
func (c *Conn) Dropped() Dropped { return Dropped{} }

// LocalAddr returns "".
func (c *Conn) LocalAddr() string { return "" }

// Close does nothing.
func (c *Conn) Close() error { return nil }
