package config

import (
	"fmt"
	"strings"
)

// DidYouMean returns ` (did you mean "x"?)` for the candidate closest to
// s, or "" when none is close enough to be a likely misspelling. Every
// near-miss message of supervise, the file's and the simulator's flags',
// uses it, so that they agree on what is close.
//
// Close is measured on the part of s that tells the candidates apart: a
// prefix they all share (SIG of the signal names) is typed by everyone
// and says nothing, so SIGFOO is as far from SIGIO as FOO is from IO. That
// part may be one edit away when it is up to 5 letters long, two when
// longer, and never as many edits as it has letters.
func DidYouMean(s string, candidates []string) string {
	norm := normalize(s)
	n := len(norm) - len(sharedPrefix(norm, candidates))
	limit := 1
	if n > 5 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		d := distance(norm, normalize(c))
		if d < bestDist && d < n {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// sharedPrefix is the longest prefix of s that every candidate has too,
// normalized; "" for fewer than two candidates, whose shared prefix is
// no convention but the one name itself.
func sharedPrefix(s string, candidates []string) string {
	if len(candidates) < 2 {
		return ""
	}
	p := s
	for _, c := range candidates {
		c = normalize(c)
		i := 0
		for i < len(p) && i < len(c) && p[i] == c[i] {
			i++
		}
		p = p[:i]
	}
	return p
}

// normalize lowers s and makes - and _ alike, so that Stop-Signal is one
// step from nothing.
func normalize(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), "-", "_")
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// oneOf lists choices as `a, b or c`.
func oneOf(choices []string) string {
	if len(choices) == 1 {
		return choices[0]
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}
