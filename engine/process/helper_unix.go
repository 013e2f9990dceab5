//go:build unix

package process

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// ExecHelper is the helper of [Identity.Helper]: given the arguments that
// follow the helper's own argv, it sets the umask and resource limits,
// then the groups, group and user, and execs the program in place. It
// returns only on failure, with the reason; the caller should then exit
// with 127, as a shell does for a program it cannot run.
func ExecHelper(args []string) error {
	var uid, gid = -1, -1
	var groups []int
	for len(args) > 0 && args[0] != "--" {
		if len(args) < 2 {
			return fmt.Errorf("helper: %s needs a value", args[0])
		}
		flag, val := args[0], args[1]
		args = args[2:]
		var err error
		switch flag {
		case "-umask":
			var m uint64
			if m, err = strconv.ParseUint(val, 8, 32); err == nil {
				syscall.Umask(int(m))
			}
		case "-rlimit":
			err = setRlimit(val)
		case "-uid":
			uid, err = strconv.Atoi(val)
		case "-gid":
			gid, err = strconv.Atoi(val)
		case "-groups":
			for g := range strings.SplitSeq(val, ",") {
				if g == "" {
					continue
				}
				n, gerr := strconv.Atoi(g)
				err = errors.Join(err, gerr)
				groups = append(groups, n)
			}
		default:
			err = errors.New("unknown flag")
		}
		if err != nil {
			return fmt.Errorf("helper: %s %s: %w", flag, val, err)
		}
	}
	if len(args) < 2 {
		return errors.New("helper: expected -- and the program to run")
	}
	argv := args[1:]
	if gid >= 0 {
		if err := syscall.Setgroups(groups); err != nil {
			return fmt.Errorf("helper: setgroups: %w", err)
		}
		if err := syscall.Setgid(gid); err != nil {
			return fmt.Errorf("helper: setgid %d: %w", gid, err)
		}
	}
	if uid >= 0 {
		if err := syscall.Setuid(uid); err != nil {
			return fmt.Errorf("helper: setuid %d: %w", uid, err)
		}
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return fmt.Errorf("helper: %w", err)
	}
	return fmt.Errorf("helper: exec %s: %w", path, syscall.Exec(path, argv, os.Environ()))
}

func setRlimit(spec string) error {
	parts := strings.Split(spec, ":")
	if len(parts) != 3 {
		return errors.New("expected RESOURCE:SOFT:HARD")
	}
	res, err1 := strconv.Atoi(parts[0])
	soft, err2 := strconv.ParseUint(parts[1], 10, 64)
	hard, err3 := strconv.ParseUint(parts[2], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return err
	}
	var rl syscall.Rlimit
	setLimit(&rl.Cur, soft)
	setLimit(&rl.Max, hard)
	return syscall.Setrlimit(res, &rl)
}

// setLimit stores v in a field that is a uint64 on Linux and an int64 on
// the BSDs, where RLIM_INFINITY is -1, the same bits.
func setLimit[T int64 | uint64](p *T, v uint64) { *p = T(v) }
