package sdnotify

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxStatus bounds the length in bytes of Message.Status: a status is shown
// on one line of `supervise status`, not stored as a document.
const MaxStatus = 256

// Message is what one datagram said. Keys it does not know are ignored, as
// systemd ignores them; a key given twice takes its last value.
type Message struct {
	Ready    bool // READY=1: start-up (or a reload) is complete
	Stopping bool // STOPPING=1: the sender began shutting down
	Watchdog bool // WATCHDOG=1: a keep-alive ping
	// WatchdogTrigger is WATCHDOG=trigger: the sender asks to be treated
	// as if it had missed its ping.
	WatchdogTrigger bool
	// Status is STATUS=, when HasStatus: one line of valid UTF-8 without
	// control characters (each replaced by U+FFFD), at most MaxStatus
	// bytes. An empty STATUS= clears it.
	Status    string
	HasStatus bool
	// ExtendTimeout is EXTEND_TIMEOUT_USEC=, when positive: the sender
	// asks for this much more time, from now, for what it is doing.
	ExtendTimeout time.Duration
}

// Parse reads one datagram. A datagram that holds a NUL byte is garbage to
// systemd and says nothing here either: Parse returns the zero Message.
// Values that do not parse (READY=0, EXTEND_TIMEOUT_USEC=abc) are ignored.
func Parse(b []byte) Message {
	var m Message
	if bytes.IndexByte(b, 0) >= 0 {
		return m
	}
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		key, value, ok := bytes.Cut(line, []byte{'='})
		if !ok {
			continue
		}
		m.set(string(key), value)
	}
	return m
}

func (m *Message) set(key string, value []byte) {
	switch key {
	case "READY":
		m.Ready = m.Ready || string(value) == "1"
	case "STOPPING":
		m.Stopping = m.Stopping || string(value) == "1"
	case "WATCHDOG":
		switch string(value) {
		case "1":
			m.Watchdog = true
		case "trigger":
			m.WatchdogTrigger = true
		}
	case "STATUS":
		m.Status, m.HasStatus = cleanStatus(value), true
	case "EXTEND_TIMEOUT_USEC":
		if d, ok := parseUsec(string(value)); ok {
			m.ExtendTimeout = d
		}
	}
}

// parseUsec reads a decimal count of microseconds, as systemd's
// safe_atou64 does, saturating at the largest whole number of
// microseconds that a Duration holds.
func parseUsec(s string) (time.Duration, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' { // no sign, no space
		return 0, false
	}
	us, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false
	}
	const maxUsec = uint64(1<<63-1) / uint64(time.Microsecond)
	if us > maxUsec {
		us = maxUsec
	}
	return time.Duration(us) * time.Microsecond, true
}

// cleanStatus makes a status safe to print on a terminal: a sender could
// otherwise write escape sequences into an operator's `supervise status`.
func cleanStatus(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(string(b), "\uFFFD"))
	if len(s) <= MaxStatus {
		return s
	}
	cut := MaxStatus
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// String returns the message in its wire form, the keys in a fixed order,
// such that Parse([]byte(m.String())) == m for every parsed m.
func (m Message) String() string {
	var lines []string
	add := func(ok bool, line string) {
		if ok {
			lines = append(lines, line)
		}
	}
	add(m.Ready, "READY=1")
	add(m.Stopping, "STOPPING=1")
	add(m.Watchdog, "WATCHDOG=1")
	add(m.WatchdogTrigger, "WATCHDOG=trigger")
	add(m.HasStatus, "STATUS="+m.Status)
	add(m.ExtendTimeout > 0, "EXTEND_TIMEOUT_USEC="+strconv.FormatInt(m.ExtendTimeout.Microseconds(), 10))
	return strings.Join(lines, "\n")
}
