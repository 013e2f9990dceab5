package control

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Dir is where sockets go by default: $XDG_RUNTIME_DIR, or when it is
// unset supervise-UID in the temporary directory, a directory that only
// the user may write (see EnsureDir): in a shared /tmp, another user could
// otherwise plant a socket there or squat the path.
func Dir() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "supervise-"+strconv.Itoa(os.Geteuid()))
}

// DefaultSocket is the socket of the tree named name when --socket is not
// given: Dir()/supervise-NAME.sock.
func DefaultSocket(name string) string {
	return filepath.Join(Dir(), "supervise-"+name+".sock")
}

// EnsureDir makes sure that Dir() exists and, when it is the directory in
// the temporary directory, that it is the user's alone: created with mode
// 0700 if missing, then, without following a symlink, a directory owned
// by the user with mode 0700. Otherwise it refuses, and says why.
func EnsureDir() error {
	d := Dir()
	if os.Getenv("XDG_RUNTIME_DIR") != "" {
		return nil // made by the login manager for this user alone
	}
	if err := os.Mkdir(d, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("default socket directory: %w", err)
	}
	fi, err := os.Lstat(d)
	if err != nil {
		return fmt.Errorf("default socket directory: %w", err)
	}
	if err := private(fi); err != nil {
		return fmt.Errorf("default socket directory %s: %v; remove it, set XDG_RUNTIME_DIR or pass --socket", d, err)
	}
	return nil
}

// private checks that fi is a directory (not a symlink to one) of ours
// with mode 0700.
func private(fi fs.FileInfo) error {
	switch uid, known := owner(fi); {
	case fi.Mode()&fs.ModeSymlink != 0:
		return errors.New("is a symlink, not a directory")
	case !fi.IsDir():
		return errors.New("is not a directory")
	case known && uid != os.Geteuid():
		return fmt.Errorf("owned by uid %d, not by you (uid %d)", uid, os.Geteuid())
	case fi.Mode().Perm() != 0o700:
		return fmt.Errorf("has mode %04o, want 0700", fi.Mode().Perm())
	}
	return nil
}

// skipped is a socket that discovery passed over, and why.
type skipped struct {
	path, why string
}

// DefaultSockets lists the sockets in Dir() that a `supervise run` without
// --socket may have made, whether live or not, that the user may trust:
// sockets owned by the user or by root. It also returns what it skipped.
func DefaultSockets() (trusted []string, skip []skipped) {
	m, _ := filepath.Glob(filepath.Join(Dir(), "supervise-*.sock"))
	for _, p := range m {
		if why := untrusted(p); why != "" {
			skip = append(skip, skipped{p, why})
			continue
		}
		trusted = append(trusted, p)
	}
	return trusted, skip
}

// untrusted says why the socket at p is not to be asked, or "".
func untrusted(p string) string {
	fi, err := os.Lstat(p)
	if err != nil {
		return err.Error()
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return "not a socket"
	}
	if uid, known := owner(fi); known && uid != os.Geteuid() && uid != 0 {
		return fmt.Sprintf("owned by uid %d, not by you (uid %d) or root", uid, os.Geteuid())
	}
	return ""
}
