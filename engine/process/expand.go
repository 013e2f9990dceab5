package process

import (
	"fmt"
	"strings"
)

// ExpandEnv expands ${NAME} in s as [Config.Expand] does at every start,
// from envFiles, "KEY=VALUE" entries as [ReadEnvFile] returns them (the
// last of a key winning), then the supervisor's own environment:
// ${NAME:-default} gives default when NAME is unset or empty, $$ is
// a literal $, and any other $ (a bare $NAME among them) is left as it is,
// so that a shell command in an argument keeps its own variables. An
// unset NAME without a default is an error naming it, as is an
// unterminated ${ or a bad name.
func ExpandEnv(s string, envFiles []string) (string, error) {
	return expandEnv(s, envLookup(envFiles))
}

// expandEnv is ExpandEnv with a lookup of its own, which a start makes
// once for all its expansions.
func expandEnv(s string, lookup func(string) (string, bool)) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return "", fmt.Errorf("unterminated ${ in %q", s)
			}
			expr := s[i+2 : i+2+end]
			name, def, hasDef := strings.Cut(expr, ":-")
			if !validEnvName(name) {
				return "", fmt.Errorf("${%s}: expected a variable name of letters, digits and _", expr)
			}
			v, ok := lookup(name)
			switch {
			case hasDef && v == "":
				v = def
			case !ok:
				return "", fmt.Errorf("${%s} is not set (write ${%s:-default} for a default)", name, name)
			}
			b.WriteString(v)
			i += 2 + end
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
