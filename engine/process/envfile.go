package process

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// maxEnvFileSize bounds an environment file: a larger one is an error,
// not a slow start.
const maxEnvFileSize = 1 << 20

// ReadEnvFile reads an environment file of KEY=VALUE lines, as
// [Config.EnvFiles] does at every start: blank lines and lines
// starting with # are skipped, an "export " prefix is allowed, and a value
// wrapped in matching single or double quotes loses them (nothing else is
// interpreted). It returns "KEY=VALUE" entries in file order. A path
// starting with "-" names an optional file: without the "-", and nil, nil
// when it does not exist. An error names the file, and the line for a
// malformed one; a file larger than 1 MiB is an error, not a slow start.
func ReadEnvFile(path string) ([]string, error) {
	optional := strings.HasPrefix(path, "-")
	path = strings.TrimPrefix(path, "-")
	f, err := os.Open(path)
	if err != nil {
		if optional && errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("env file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxEnvFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("env file %s: %w", path, err)
	}
	if len(data) > maxEnvFileSize {
		return nil, fmt.Errorf("env file %s: larger than %d bytes", path, maxEnvFileSize)
	}
	return parseEnvFile(path, data)
}

func parseEnvFile(path string, data []byte) ([]string, error) {
	var env []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxEnvFileSize)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		key, val, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || !validEnvName(key) {
			return nil, fmt.Errorf("env file %s:%d: found %q, expected KEY=VALUE with a name of letters, digits and _", path, n, line)
		}
		val = strings.TrimSpace(val)
		if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
			val = val[1 : len(val)-1]
		}
		if strings.ContainsRune(val, 0) {
			return nil, fmt.Errorf("env file %s:%d: a NUL byte in the value of %s", path, n, key)
		}
		env = append(env, key+"="+val)
	}
	return env, sc.Err()
}

// validEnvName reports whether s is a shell variable name.
func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
