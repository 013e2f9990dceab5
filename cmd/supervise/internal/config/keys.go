package config

import (
	"fmt"
	"slices"
)

// The keys of each kind of mapping.
var (
	supervisorKeys = []string{"name", "strategy", "intensity", "period", "backoff", "shutdown", "auto_shutdown", "children"}
	rootOnlyKeys   = []string{"exit_codes", "signals", "http", "drain"}
	rootKeys       = append(slices.Clone(supervisorKeys), rootOnlyKeys...)
	groupKeys      = append(slices.Clone(supervisorKeys), "restart", "significant")
	processKeys    = []string{"name", "command", "restart", "significant", "stop_signal", "shutdown",
		"start_timeout", "dir", "env", "env_file", "ready", "simulate", "backoff",
		"user", "group", "groups", "umask", "rlimits", "reload_signal", "live", "watchdog"}
	childKeys    = append(slices.Clone(groupKeys), processKeys...)
	backoffKeys  = []string{"initial", "max", "multiplier", "jitter", "reset_after"}
	readyKeys    = []string{"tcp", "log", "exec", "exit", "notify", "timeout"}
	liveKeys     = []string{"tcp", "http", "exec", "every", "timeout", "failures", "grace"}
	simulateKeys = []string{"start", "ready", "stop", "fail_at", "mtbf", "crash_on_start", "outages", "hang"}
	hangKeys     = []string{"mtbf", "duration"}
	outageKeys   = []string{"from", "to"}
)

// rootMisplaced explains keys that are valid on children but not the root.
func rootMisplaced(k string) string {
	switch {
	case slices.Contains(groupKeys, k):
		return fmt.Sprintf("%s applies only to a child, not to the root supervisor", k)
	case slices.Contains(processKeys, k):
		return fmt.Sprintf("%s applies only to a process (a child with command); the root is a supervisor, put processes under children", k)
	}
	return ""
}

// rootOnly explains a key of the root found on a child.
func rootOnly(k string) string {
	if slices.Contains(rootOnlyKeys, k) {
		return fmt.Sprintf("%s applies only to the root, the file's top level", k)
	}
	return ""
}

// groupMisplaced explains process keys found on a supervisor.
func groupMisplaced(k string) string {
	if why := rootOnly(k); why != "" {
		return why
	}
	if slices.Contains(processKeys, k) {
		return fmt.Sprintf("%s applies only to a process (a child with command), not to a supervisor (a child with children)", k)
	}
	return ""
}

// processMisplaced explains supervisor keys found on a process.
func processMisplaced(k string) string {
	if why := rootOnly(k); why != "" {
		return why
	}
	if slices.Contains(groupKeys, k) {
		return fmt.Sprintf("%s applies only to a supervisor (a child with children), not to a process (a child with command)", k)
	}
	return ""
}
