// Package sdnotify speaks systemd's sd_notify protocol both ways: as a
// client, supervise tells its own service manager that it is ready, what it
// is doing, that it is stopping, and that it is alive (the watchdog); as a
// server, it receives the same messages from its children, with the
// sender's credentials, for readiness and watchdogs of its own.
//
// The wire format is one AF_UNIX datagram of newline-separated KEY=VALUE
// lines, sent to the socket named by $NOTIFY_SOCKET: a path, or an abstract
// name written with a leading '@'. See sd_notify(3).
package sdnotify
