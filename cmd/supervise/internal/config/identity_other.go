//go:build !unix

package config

// rlimitNames is empty: resource limits are a Unix notion.
var rlimitNames = map[string]int{}

const rlimInfinity = ^uint64(0)
