// Package daemon is `supervise run` and `supervise check`: it loads a
// file, builds its tree, and runs it in the foreground with a status
// socket, signal handling and, as PID 1 or a child subreaper, a reaper of
// every zombie.
package daemon
