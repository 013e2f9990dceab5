package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// The checks below return "" when a value is valid and otherwise say
// what is wrong with it. Decoding and Validate share them.

// checkName checks a supervisor or process name.
func checkName(s string) string {
	if s == "" {
		return `found "", expected a name made of letters, digits, _ . and -`
	}
	if s == "." || s == ".." {
		return fmt.Sprintf("found %q, expected a name other than . and ..", s)
	}
	// The library says the same of a name with "/" (supervisor.Validate).
	if strings.Contains(s, "/") {
		return fmt.Sprintf(`found %q, expected a name without "/", which separates the names in a path`, s)
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-'
		if !ok {
			return fmt.Sprintf("found %q, expected a name made only of letters, digits, _ . and - (%q is not allowed)", s, r)
		}
	}
	return ""
}

func checkIntensity(n int) string {
	if n < 0 {
		return fmt.Sprintf("found %d, expected 0 or more restarts", n)
	}
	return ""
}

// checkPositive checks a duration that must not be zero.
func checkPositive(d time.Duration) string {
	if d <= 0 {
		return fmt.Sprintf("found %s, expected a duration above zero", d)
	}
	return ""
}

func checkNonNegative(d time.Duration) string {
	if d < 0 {
		return fmt.Sprintf("found %s, expected a duration of 0 or more", d)
	}
	return ""
}

// fieldMsg is a problem with a field of a settings mapping; field may
// list several, separated by commas, the first one set taking the blame.
type fieldMsg struct{ field, msg string }

// checkBackoff checks a resolved backoff.
func checkBackoff(b Backoff) []fieldMsg {
	var out []fieldMsg
	for _, f := range []fieldMsg{{"initial", checkNonNegative(b.Initial)}, {"max", checkNonNegative(b.Max)},
		{"reset_after", checkNonNegative(b.ResetAfter)}} {
		if f.msg != "" {
			out = append(out, f)
		}
	}
	if b.Initial > b.Max {
		out = append(out, fieldMsg{"initial,max", fmt.Sprintf("initial %s is above max %s, expected initial ≤ max", b.Initial, b.Max)})
	}
	if !(b.Multiplier >= 1) {
		out = append(out, fieldMsg{"multiplier", fmt.Sprintf("found %g, expected a multiplier of 1 or more", b.Multiplier)})
	}
	if !(b.Jitter >= 0 && b.Jitter < 1) {
		out = append(out, fieldMsg{"jitter", fmt.Sprintf("found %g, expected a jitter from 0 up to but not including 1", b.Jitter)})
	}
	return out
}

// checkSignificant applies OTP's rules for significant children.
func checkSignificant(restart RestartType, parent AutoShutdown) string {
	if restart == Permanent {
		return "a significant child must have restart transient or temporary, found permanent"
	}
	if parent == Never {
		return "a significant child needs auto_shutdown any_significant or all_significant on its supervisor, found never"
	}
	return ""
}

// checkOneShot: a step that is done once it exited 0 must not be
// restarted for exiting 0, which a permanent one would be, forever.
func checkOneShot(restart RestartType) string {
	if restart == Permanent {
		return "a one-shot step (ready: {exit: 0}) must have restart transient or temporary, found permanent, which would run it again after every exit"
	}
	return ""
}

func checkArgv(args []string) string {
	if len(args) == 0 {
		return "found an empty list, expected at least the program to run"
	}
	if args[0] == "" {
		return `found "" as the program, expected a program name or path`
	}
	return ""
}

// checkTCP checks a host:port address with a numeric port. An address
// with a ${VAR} in it is checked once expanded (see expansions).
func checkTCP(addr string) string {
	if strings.Contains(addr, "${") {
		return ""
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Sprintf("found %q, expected host:port such as 127.0.0.1:5432 (%v)", addr, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Sprintf("found port %q in %q, expected a port number from 1 to 65535", port, addr)
	}
	return ""
}

func checkProbability(p float64) string {
	if !(p >= 0 && p <= 1) {
		return fmt.Sprintf("found %g, expected a probability from 0 to 1", p)
	}
	return ""
}

func checkOutage(o Outage) string {
	if o.From >= o.To {
		return fmt.Sprintf("from %s is not before to %s, expected from < to", o.From, o.To)
	}
	return ""
}
