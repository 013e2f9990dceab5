package sdnotify

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	long := strings.Repeat("é", MaxStatus) // 2 bytes each
	tests := []struct {
		name string
		in   string
		want Message
	}{
		{"empty", "", Message{}},
		{"ready", "READY=1", Message{Ready: true}},
		{"ready not 1", "READY=0\nREADY=yes", Message{}},
		{"every key", "READY=1\nSTOPPING=1\nWATCHDOG=1\nSTATUS=serving\nEXTEND_TIMEOUT_USEC=1500000",
			Message{Ready: true, Stopping: true, Watchdog: true, Status: "serving", HasStatus: true, ExtendTimeout: 1500 * time.Millisecond}},
		{"trailing newline", "WATCHDOG=1\n", Message{Watchdog: true}},
		{"watchdog trigger", "WATCHDOG=trigger", Message{WatchdogTrigger: true}},
		{"unknown keys ignored", "MAINPID=12\nFOO=bar\nnot a pair\nREADY=1", Message{Ready: true}},
		{"last status wins", "STATUS=a\nSTATUS=b", Message{Status: "b", HasStatus: true}},
		{"empty status clears", "STATUS=", Message{HasStatus: true}},
		{"status keeps '='", "STATUS=x=y", Message{Status: "x=y", HasStatus: true}},
		{"status control chars", "STATUS=a\x1b[2Jb\rc\td", Message{Status: "a\uFFFD[2Jb\uFFFDc\uFFFDd", HasStatus: true}},
		{"status bad utf-8", "STATUS=a\xffb", Message{Status: "a\uFFFDb", HasStatus: true}},
		{"status cut on a rune", "STATUS=x" + long, Message{Status: "x" + strings.Repeat("é", (MaxStatus-1)/2), HasStatus: true}},
		{"NUL drops all", "READY=1\x00", Message{}},
		{"extend bad", "EXTEND_TIMEOUT_USEC=-5\nEXTEND_TIMEOUT_USEC=+5\nEXTEND_TIMEOUT_USEC= 5\nEXTEND_TIMEOUT_USEC=5s", Message{}},
		{"extend huge saturates", "EXTEND_TIMEOUT_USEC=18446744073709551615", Message{ExtendTimeout: time.Duration(1<<63-1) / time.Microsecond * time.Microsecond}},
		{"extend overflow ignored", "EXTEND_TIMEOUT_USEC=18446744073709551616", Message{}},
		{"no key trim", " READY=1\nREADY =1", Message{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse([]byte(tt.in)); got != tt.want {
				t.Errorf("Parse(%q) = %+v; want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestMessageString(t *testing.T) {
	m := Message{Ready: true, Status: "3 running", HasStatus: true, ExtendTimeout: 2 * time.Second}
	if got, want := m.String(), "READY=1\nSTATUS=3 running\nEXTEND_TIMEOUT_USEC=2000000"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
}

// FuzzParse: Parse never panics, keeps its bounds, and its result survives
// the wire form unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"READY=1", "READY=1\nSTATUS=ok\n", "WATCHDOG=trigger", "EXTEND_TIMEOUT_USEC=99999999999999999",
		"STATUS=\xff\x1b", "STOPPING=1\x00", "=\n=\n", "STATUS=" + strings.Repeat("ü", 300)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m := Parse(b)
		if len(m.Status) > MaxStatus {
			t.Fatalf("status of %d bytes; want at most %d", len(m.Status), MaxStatus)
		}
		if strings.ContainsAny(m.Status, "\n\r\x00\x1b") || strings.ToValidUTF8(m.Status, "") != m.Status {
			t.Fatalf("status %q is not one clean line", m.Status)
		}
		if m.ExtendTimeout < 0 {
			t.Fatalf("ExtendTimeout %v < 0", m.ExtendTimeout)
		}
		if again := Parse([]byte(m.String())); again != m {
			t.Fatalf("Parse(%q) = %+v; want %+v", m.String(), again, m)
		}
	})
}
