package control

import (
	"os"
	"path/filepath"
)

// Dir is where sockets go by default: $XDG_RUNTIME_DIR, or the temporary
// directory when it is unset.
func Dir() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return d
	}
	return os.TempDir()
}

// DefaultSocket is the socket of the tree named name when --socket is not
// given: Dir()/supervise-NAME.sock.
func DefaultSocket(name string) string {
	return filepath.Join(Dir(), "supervise-"+name+".sock")
}

// DefaultSockets lists the sockets in Dir() that a `supervise run` without
// --socket may have made, whether live or not.
func DefaultSockets() []string {
	m, _ := filepath.Glob(filepath.Join(Dir(), "supervise-*.sock"))
	return m
}
