package cli

import (
	"bytes"
	"flag"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		args           []string
		code           int
		rest           []string
		x              int
		stdout, stderr string // substrings; "" means empty
	}{
		{[]string{"FILE"}, -1, []string{"FILE"}, 0, "", ""},
		{[]string{"-x", "1", "FILE"}, -1, []string{"FILE"}, 1, "", ""},
		// Flags after the file, as `supervise run tree.yaml --log-format text`.
		{[]string{"FILE", "-x", "2"}, -1, []string{"FILE"}, 2, "", ""},
		{[]string{"A", "--x=3", "B"}, -1, []string{"A", "B"}, 3, "", ""},
		{[]string{"-x", "1", "--", "-x", "B"}, -1, []string{"-x", "B"}, 1, "", ""},
		{[]string{"A", "--", "-x"}, -1, []string{"A", "-x"}, 0, "", ""},
		{[]string{"-"}, -1, []string{"-"}, 0, "", ""},
		{nil, -1, nil, 0, "", ""},
		{[]string{"--help"}, 0, nil, 0, "Usage: cmd", ""},
		{[]string{"FILE", "--help"}, 0, nil, 0, "Usage: cmd", ""},
		{[]string{"-bogus"}, ExitUsage, nil, 0, "", "supervise cmd: flag provided but not defined: --bogus; see supervise cmd --help\n"},
		{[]string{"FILE", "-bogus"}, ExitUsage, nil, 0, "", "flag provided but not defined: --bogus"},
		{[]string{"-x", "y"}, ExitUsage, nil, 0, "", `supervise cmd: invalid value "y" for flag -x: parse error; see supervise cmd --help`},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("cmd", flag.ContinueOnError)
		x := fs.Int("x", 0, "a number")
		var out, errOut bytes.Buffer
		rest, code := Parse(fs, "Usage: cmd FILE\n", tt.args, &out, &errOut)
		if code != tt.code || !slices.Equal(rest, tt.rest) || *x != tt.x {
			t.Errorf("Parse(%q) = %q, %d, x=%d; want %q, %d, x=%d", tt.args, rest, code, *x, tt.rest, tt.code, tt.x)
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

// PrintUsage spells long flags with two dashes, as the usage lines do,
// and keeps one for a one-letter flag.
func TestPrintUsageSpellsFlagsAsDocumented(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("socket", "", "the `PATH` of the socket")
	fs.Bool("e", false, "one letter")
	var b strings.Builder
	PrintUsage(&b, fs, "Usage: x\n")
	for _, want := range []string{"Usage: x\n", "\n  -e\tone letter\n", "\n  --socket PATH\n"} {
		if got := b.String(); !strings.Contains(got, want) {
			t.Errorf("PrintUsage wrote %q; want it to contain %q", got, want)
		}
	}
}
