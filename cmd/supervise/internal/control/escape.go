package control

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Everything a socket answers is printed with its control characters
// escaped: a planted or buggy supervise must not be able to send escape
// sequences to the terminal of whoever runs `supervise status`.

// escape returns s with control characters (C0, DEL, C1) and the bidi
// overrides written as Go escapes, such as \x1b or \u202e.
func escape(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// escapeJSON escapes in encoded JSON what encoding/json leaves raw: DEL,
// the C1 controls and the bidi overrides, as \uXXXX. Outside strings JSON
// is ASCII, so every such rune is inside a string, where \uXXXX is valid.
func escapeJSON(j []byte) []byte {
	if bytes.IndexFunc(j, rawInJSON) < 0 {
		return j
	}
	var b bytes.Buffer
	for _, r := range string(j) {
		if rawInJSON(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.Bytes()
}

// rawInJSON: encoding/json escapes the C0 controls itself; the newline
// after each object is not in a string.
func rawInJSON(r rune) bool { return r >= 0x7f && unsafeRune(r) }
