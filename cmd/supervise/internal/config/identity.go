package config

import (
	"math"
	"os/user"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// Identity is who a process runs as and what bounds it.
type Identity struct {
	User   string // as written: a name or a uid; "" means supervise's, and the rest of these is unset
	Uid    int    // resolved
	Gid    int    // resolved: group:, else the user's primary group
	Groups []int  // resolved: groups:, else the user's supplementary groups
	Umask  *int   // nil: inherited
	// Rlimits by resource, soft and hard.
	Rlimits []Rlimit
}

// Rlimit is one resource limit, as rlimits: gives it.
type Rlimit struct {
	Name       string // such as "nofile"
	Resource   int
	Soft, Hard uint64 // rlimInfinity for unlimited
}

func isMapping(n ast.Node) bool {
	_, ok := n.(*ast.MappingNode)
	return ok
}

func rlimitKeys() []string {
	keys := make([]string, 0, len(rlimitNames))
	for k := range rlimitNames {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// identity reads user:, group:, groups:, umask: and rlimits:, resolving
// names in the system's user and group databases now.
func (d *decoder) identity(m *mapping) Identity {
	var id Identity
	var u *user.User
	if e := m.get("user"); e != nil {
		if s, ok := d.text(e.val, e.key); ok {
			id.User = s
			var err error
			if u, err = lookupUser(s); err != nil {
				d.errorf(e.val, e.key, "unknown user %q, expected a name or uid in the user database (%v)", s, err)
			} else {
				id.Uid, _ = strconv.Atoi(u.Uid)
				id.Gid, _ = strconv.Atoi(u.Gid)
				if gids, err := u.GroupIds(); err == nil {
					for _, g := range gids {
						if n, err := strconv.Atoi(g); err == nil {
							id.Groups = append(id.Groups, n)
						}
					}
				}
			}
		}
	}
	if e := m.get("group"); e != nil {
		if g, ok := d.group(e.val, e.key); ok {
			id.Gid = g
		}
	}
	if e := m.get("groups"); e != nil {
		id.Groups = []int{}
		if items, ok := d.list(e.val, e.key); ok {
			for i, n := range items {
				if g, ok := d.group(n, index(e.key, i)); ok {
					id.Groups = append(id.Groups, g)
				}
			}
		}
	}
	if (m.get("group") != nil || m.get("groups") != nil) && m.get("user") == nil {
		e := m.get("group")
		if e == nil {
			e = m.get("groups")
		}
		d.errorf(e.at, e.key, "found a group without user, expected user: too (a group alone would keep supervise's user)")
	}
	if e := m.get("umask"); e != nil {
		if s, ok := d.text(e.val, e.key); ok {
			v, err := strconv.ParseUint(s, 8, 32)
			if err != nil || v > 0o777 {
				d.errorf(e.val, e.key, "found %q, expected an octal umask such as \"022\" or \"0027\"", s)
			} else {
				mask := int(v)
				id.Umask = &mask
			}
		}
	}
	if e := m.get("rlimits"); e != nil {
		id.Rlimits = d.rlimits(e)
	}
	return id
}

func lookupUser(s string) (*user.User, error) {
	if _, err := strconv.Atoi(s); err == nil {
		return user.LookupId(s)
	}
	return user.Lookup(s)
}

// group reads a group name or gid and resolves it.
func (d *decoder) group(n ast.Node, key string) (int, bool) {
	s, ok := d.text(n, key)
	if !ok {
		return 0, false
	}
	var g *user.Group
	var err error
	if _, aerr := strconv.Atoi(s); aerr == nil {
		g, err = user.LookupGroupId(s)
	} else {
		g, err = user.LookupGroup(s)
	}
	if err != nil {
		d.errorf(n, key, "unknown group %q, expected a name or gid in the group database (%v)", s, err)
		return 0, false
	}
	gid, _ := strconv.Atoi(g.Gid)
	return gid, true
}

// rlimits reads rlimits: {nofile: 65536, core: unlimited,
// nproc: {soft: 1024, hard: 4096}}.
func (d *decoder) rlimits(e *entry) []Rlimit {
	m := d.mapping(e.val, e.key)
	if m == nil {
		return nil
	}
	d.checkKeys(m, rlimitKeys(), nowhere)
	var out []Rlimit
	for _, v := range m.entries {
		res, ok := rlimitNames[v.name]
		if !ok {
			continue
		}
		r := Rlimit{Name: v.name, Resource: res}
		if rv, _ := d.resolve(v.val, v.key); isMapping(rv) {
			sm := d.mapping(v.val, v.key)
			d.checkKeys(sm, []string{"soft", "hard"}, nowhere)
			se, he := sm.get("soft"), sm.get("hard")
			if se == nil || he == nil {
				d.errorf(v.val, v.key, "expected both soft and hard")
				continue
			}
			soft, ok1 := d.limit(se.val, se.key)
			hard, ok2 := d.limit(he.val, he.key)
			if !ok1 || !ok2 {
				continue
			}
			if soft > hard {
				d.errorf(se.val, se.key, "soft %s is above hard %s", limitText(soft), limitText(hard))
				continue
			}
			r.Soft, r.Hard = soft, hard
		} else {
			n, ok := d.limit(v.val, v.key)
			if !ok {
				continue
			}
			r.Soft, r.Hard = n, n
		}
		out = append(out, r)
	}
	return out
}

// limit reads a whole number of 0 or more, or unlimited.
func (d *decoder) limit(n ast.Node, key string) (uint64, bool) {
	s, ok := d.text(n, key)
	if !ok {
		return 0, false
	}
	if strings.EqualFold(s, "unlimited") || strings.EqualFold(s, "infinity") {
		return rlimInfinity, true
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil || v == math.MaxUint64 {
		d.errorf(n, key, "found %q, expected a whole number of 0 or more, or unlimited", s)
		return 0, false
	}
	return v, true
}

func limitText(v uint64) string {
	if v == rlimInfinity {
		return "unlimited"
	}
	return strconv.FormatUint(v, 10)
}
