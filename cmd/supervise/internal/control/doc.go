// Package control is how `supervise status` talks to a running
// `supervise run`: a Unix socket with mode 0600, one JSON request line and
// one JSON response per connection, bounded in number, time and size, and
// the rendering of the answer, escaped, as an aligned table or as JSON.
package control
