package config

import (
	"fmt"
	"net"
)

// httpAddr reads http:, the address of the HTTP server, as host:port.
func (d *decoder) httpAddr(e *entry) string {
	s, ok := d.str(e.val, e.key)
	if !ok {
		return ""
	}
	if msg := CheckHTTPAddr(s); msg != "" {
		d.errorf(e.val, e.key, "%s", msg)
		return ""
	}
	return s
}

// CheckHTTPAddr returns what is wrong with an HTTP listen address, ""
// when nothing is: it must be host:port or :port.
func CheckHTTPAddr(s string) string {
	if _, _, err := net.SplitHostPort(s); err != nil {
		return fmt.Sprintf("found %q, expected an address host:port or :port, such as 127.0.0.1:9090", s)
	}
	return ""
}
