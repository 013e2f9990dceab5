package process

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Credential is a user, its group and its supplementary groups, as
// [Identity.Credential] gives them to a process. It has effect on Unix
// only; elsewhere it is ignored.
type Credential struct {
	// Uid and Gid are the user ID and the primary group ID the process
	// runs as; both are always set, so a zero one is root's, not "leave
	// it unchanged".
	Uid, Gid uint32
	// Groups are the supplementary groups, set as they are: nil or empty
	// means none (setgroups with an empty list), not the supervisor's own
	// groups.
	Groups []uint32
}

// Rlimit is one resource limit of a [Process], as setrlimit(2) takes it.
type Rlimit struct {
	Resource   int    // such as unix.RLIMIT_NOFILE
	Soft, Hard uint64 // RLIM_INFINITY (^uint64(0)) for unlimited
}

// Identity is who a [Process] runs as and what bounds it, all in force
// before the program's first instruction.
type Identity struct {
	// Credential, when set, is the user, group and supplementary groups
	// the process runs as (the supervisor must be root to change them).
	Credential *Credential
	// Umask, when set, is the process's file mode creation mask.
	Umask *int
	// Rlimits are set, soft and hard, before the program starts.
	Rlimits []Rlimit
	// Helper is the argv of a program that [ExecHelper] serves, such as
	// this program's own binary in a hidden mode: Umask and Rlimits are
	// process-wide, so only a process between fork and the program can set
	// them, and Go's fork cannot. The helper sets them, then the
	// credentials, then execs the program in place, with no window in
	// which the program runs without them. Required when Umask or
	// Rlimits are set.
	Helper []string
}

func (id Identity) needsHelper() bool { return id.Umask != nil || len(id.Rlimits) > 0 }

func (id Identity) validate() error {
	if id.needsHelper() && len(id.Helper) == 0 {
		return errors.New("process: Config: Umask and Rlimits need Identity.Helper")
	}
	return nil
}

// wrap returns the argv to exec: argv itself, or the helper's invocation.
func (id Identity) wrap(argv []string) []string {
	if !id.needsHelper() {
		return argv
	}
	out := append([]string(nil), id.Helper...)
	if id.Umask != nil {
		out = append(out, "-umask", strconv.FormatInt(int64(*id.Umask), 8))
	}
	for _, r := range id.Rlimits {
		out = append(out, "-rlimit", fmt.Sprintf("%d:%d:%d", r.Resource, r.Soft, r.Hard))
	}
	if c := id.Credential; c != nil {
		groups := make([]string, len(c.Groups))
		for i, g := range c.Groups {
			groups[i] = strconv.FormatUint(uint64(g), 10)
		}
		out = append(out, "-uid", strconv.FormatUint(uint64(c.Uid), 10), "-gid", strconv.FormatUint(uint64(c.Gid), 10),
			"-groups", strings.Join(groups, ","))
	}
	return append(append(out, "--"), argv...)
}
