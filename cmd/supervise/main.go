// Command supervise runs a tree of OS processes from a YAML file with the
// semantics of the arbor supervision trees: ordered starts gated on
// readiness, restart types and strategies, restart intensity and backoff,
// and a LIFO shutdown that kills whole process groups. See docs/supervise.md.
package main

import (
	"os"
)

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}
