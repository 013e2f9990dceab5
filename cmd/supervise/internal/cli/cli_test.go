package cli

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		args           []string
		code           int
		stdout, stderr string // substrings; "" means empty
	}{
		{[]string{"FILE"}, -1, "", ""},
		{[]string{"-x", "1", "FILE"}, -1, "", ""},
		{[]string{"--help"}, 0, "Usage: cmd", ""},
		{[]string{"-bogus"}, ExitUsage, "", "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("cmd", flag.ContinueOnError)
		fs.Int("x", 0, "a number")
		var out, errOut bytes.Buffer
		code := Parse(fs, "Usage: cmd FILE\n", tt.args, &out, &errOut)
		if code != tt.code {
			t.Errorf("Parse(%q) = %d; want %d", tt.args, code, tt.code)
		}
		for _, c := range []struct {
			name, got, want string
		}{{"stdout", out.String(), tt.stdout}, {"stderr", errOut.String(), tt.stderr}} {
			if (c.want == "") != (c.got == "") || !strings.Contains(c.got, c.want) {
				t.Errorf("Parse(%q) %s = %q; want it to hold %q", tt.args, c.name, c.got, c.want)
			}
		}
		// The help is printed once, never on both streams.
		if strings.Count(out.String()+errOut.String(), "Usage: cmd") > 1 {
			t.Errorf("Parse(%q) printed the help twice", tt.args)
		}
	}
}
